package dev.vigil.observe.health;

import java.util.function.LongSupplier;

/** Heap in use against the JVM's maximum. */
final class MemoryCheck implements HealthCheck {
  private final LongSupplier used;
  private final LongSupplier max;
  private final LongSupplier nonHeap;
  private final double warnRatio;
  private final double maxRatio;

  MemoryCheck(LongSupplier used, LongSupplier max, LongSupplier nonHeap, double warnRatio, double maxRatio) {
    this.used = used;
    this.max = max;
    this.nonHeap = nonHeap;
    this.warnRatio = warnRatio;
    this.maxRatio = maxRatio;
  }

  @Override
  public CheckResult check() {
    long u = used.getAsLong();
    long m = max.getAsLong();
    double ratio = m > 0 ? (double) u / m : 0;
    String text = Checks.bytes(u) + " of " + Checks.bytes(m) + " heap in use (" + Math.round(ratio * 100) + " %)";
    CheckResult r;
    if (ratio > maxRatio) {
      r = CheckResult.unhealthy(text + ", over " + Math.round(maxRatio * 100) + " %");
    } else if (ratio > warnRatio) {
      r = CheckResult.degraded(text + ", over " + Math.round(warnRatio * 100) + " %");
    } else {
      r = CheckResult.healthy(text);
    }
    return r.with("heap_used_bytes", u)
        .with("heap_max_bytes", m)
        .with("used_ratio", Checks.round(ratio, 4))
        .with("non_heap_used_bytes", nonHeap.getAsLong())
        .with("warn_used_ratio", warnRatio)
        .with("max_used_ratio", maxRatio);
  }
}
