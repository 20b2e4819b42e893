package dev.vigil;

import dev.vigil.llm.spi.UsageStore;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes recorded model calls older than their retention, on the leader, at most once an hour and
 * in batches, so that the usage table stays bounded however long the engine runs. What the meters
 * counted stays in metric history; only the per-call records go.
 */
final class UsageRetention {
  static final Duration DEFAULT = Duration.ofDays(90);
  private static final Duration EVERY = Duration.ofHours(1);
  private static final int BATCH = 5_000;
  private static final Logger log = LoggerFactory.getLogger(UsageRetention.class);

  private final UsageStore usage;
  private final Duration retention;
  private Instant lastRun = Instant.MIN;

  /** @param usage the store's usage records; null when the store keeps none (nothing to do) */
  UsageRetention(UsageStore usage, Duration retention) {
    this.usage = usage;
    this.retention = retention;
  }

  /** Deletes what expired, if an hour has passed since the last run. */
  void run(Instant now) {
    if (usage == null || now.isBefore(lastRun.plus(EVERY))) {
      return;
    }
    lastRun = now;
    Instant cutoff = now.minus(retention);
    int deleted = 0;
    int batch;
    do {
      batch = usage.deleteBefore(cutoff, BATCH);
      deleted += batch;
    } while (batch == BATCH);
    if (deleted > 0) {
      log.info("deleted {} model call records older than {}", deleted, cutoff);
    }
  }
}
