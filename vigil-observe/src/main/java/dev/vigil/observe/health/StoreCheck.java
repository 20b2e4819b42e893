package dev.vigil.observe.health;

import java.time.Duration;

/** A timed round trip to the store. */
final class StoreCheck implements HealthCheck {
  private final Runnable roundTrip;
  private final Duration warnAbove;

  StoreCheck(Runnable roundTrip, Duration warnAbove) {
    this.roundTrip = roundTrip;
    this.warnAbove = warnAbove;
  }

  @Override
  public CheckResult check() {
    long start = System.nanoTime();
    roundTrip.run();
    long nanos = System.nanoTime() - start;
    double ms = Checks.round(nanos / 1e6, 3);
    CheckResult r =
        nanos > warnAbove.toNanos()
            ? CheckResult.degraded("slow: answered in " + ms + " ms (over " + warnAbove.toMillis() + " ms)")
            : CheckResult.healthy("answered in " + ms + " ms");
    return r.with("round_trip_ms", ms);
  }
}
