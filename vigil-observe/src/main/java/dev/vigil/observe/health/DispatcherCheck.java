package dev.vigil.observe.health;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Supplier;

/** Whether the dispatcher loop still turns. */
final class DispatcherCheck implements HealthCheck {
  private final Supplier<Optional<Instant>> heartbeat;
  private final InstantSource clock;
  private final Duration warnAfter;
  private final Duration stallAfter;

  DispatcherCheck(Supplier<Optional<Instant>> heartbeat, InstantSource clock, Duration warnAfter, Duration stallAfter) {
    this.heartbeat = heartbeat;
    this.clock = clock;
    this.warnAfter = warnAfter;
    this.stallAfter = stallAfter;
  }

  @Override
  public CheckResult check() {
    Optional<Instant> last = heartbeat.get();
    if (last.isEmpty()) {
      return CheckResult.healthy("no dispatcher runs here (no in-process handlers, or stopping)")
          .with("running", false);
    }
    long ageMs = Math.max(0, clock.millis() - last.get().toEpochMilli());
    String text = "last turned " + ageMs + " ms ago";
    CheckResult r;
    if (ageMs > stallAfter.toMillis()) {
      r = CheckResult.unhealthy("stalled: " + text + " (over " + stallAfter.toMillis() + " ms)");
    } else if (ageMs > warnAfter.toMillis()) {
      r = CheckResult.degraded("slow: " + text + " (over " + warnAfter.toMillis() + " ms)");
    } else {
      r = CheckResult.healthy(text);
    }
    return r.with("running", true)
        .with("last_turn_age_ms", ageMs)
        .with("warn_after_ms", warnAfter.toMillis())
        .with("stall_after_ms", stallAfter.toMillis());
  }
}
