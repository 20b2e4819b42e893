package dev.vigil.observe.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space where the data lives. Its answer never names the directory: health answers may be
 * open to callers who have no business knowing the server's file system.
 */
final class DiskSpaceCheck implements HealthCheck {
  private final Path dir;
  private final long minFree;
  private final long warnFree;

  DiskSpaceCheck(Path dir, long minFree, long warnFree) {
    this.dir = dir.toAbsolutePath();
    this.minFree = minFree;
    this.warnFree = warnFree;
  }

  @Override
  public CheckResult check() throws IOException {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return CheckResult.unhealthy("the data directory and its parents do not exist");
    }
    FileStore fs = Files.getFileStore(existing);
    long free = fs.getUsableSpace();
    long total = fs.getTotalSpace();
    String freeText = Checks.bytes(free) + " free of " + Checks.bytes(total);
    CheckResult r;
    if (free < minFree) {
      r = CheckResult.unhealthy(freeText + ", below the minimum of " + Checks.bytes(minFree));
    } else if (free < warnFree) {
      r = CheckResult.degraded(freeText + ", below the warning level of " + Checks.bytes(warnFree));
    } else {
      r = CheckResult.healthy(freeText);
    }
    return r.with("free_bytes", free)
        .with("total_bytes", total)
        .with("min_free_bytes", minFree)
        .with("warn_free_bytes", warnFree);
  }
}
