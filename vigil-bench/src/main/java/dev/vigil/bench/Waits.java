package dev.vigil.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

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
}
