package dev.vigil.observe.health;

import java.time.Duration;
import java.util.function.LongSupplier;

/** A timed round trip to the store. */
final class StoreCheck implements HealthCheck {
  private final Runnable roundTrip;
  private final Duration warnAbove;
  private final LongSupplier nanoTime;

  StoreCheck(Runnable roundTrip, Duration warnAbove) {
    this(roundTrip, warnAbove, System::nanoTime);
  }

  /** @param nanoTime the ticker that times the round trip; tests move it by hand */
  StoreCheck(Runnable roundTrip, Duration warnAbove, LongSupplier nanoTime) {
    this.roundTrip = roundTrip;
    this.warnAbove = warnAbove;
    this.nanoTime = nanoTime;
  }

  @Override
  public CheckResult check() {
    long start = nanoTime.getAsLong();
    roundTrip.run();
    long nanos = nanoTime.getAsLong() - start;
    double ms = Checks.round(nanos / 1e6, 3);
    CheckResult r =
        nanos > warnAbove.toNanos()
            ? CheckResult.degraded("slow: answered in " + ms + " ms (over " + warnAbove.toMillis() + " ms)")
            : CheckResult.healthy("answered in " + ms + " ms");
    return r.with("round_trip_ms", ms);
  }
}
