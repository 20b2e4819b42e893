package dev.vigil.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** Polling waits for the harness's own bookkeeping (never inside a measured engine path). */
final class Waits {
  private Waits() {}

  /**
   * Polls {@code done} every {@code every} until it holds or {@code limit} passes; true if it held.
   */
  static boolean until(BooleanSupplier done, Duration every, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(every);
    }
    return true;
  }

  /**
   * Waits until every one of {@code jobs} has started, then until every one has durably
   * succeeded, within the scenario's limit (a minute with {@code --quick}, else ten); false when
   * the limit passed first.
   */
  static boolean drained(Sizes s, long jobs, LongSupplier started, LongSupplier succeeded)
      throws InterruptedException {
    Duration limit = s.quick() ? Duration.ofSeconds(60) : Duration.ofMinutes(10);
    return until(() -> started.getAsLong() >= jobs, Duration.ofMillis(2), limit)
        && until(() -> succeeded.getAsLong() >= jobs, Duration.ofMillis(5), limit);
  }
}
