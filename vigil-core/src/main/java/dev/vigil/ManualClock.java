package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to, for tests: give it to {@link Vigil.Builder#clock}, move
 * it with {@link #advance}, then call {@link Vigil#runDueNow()} to run whatever became due
 * (delayed jobs, retries, schedules, timeouts, lease rescues) without waiting. Thread-safe.
 */
public final class ManualClock implements InstantSource {
  private final AtomicReference<Instant> now;

  public ManualClock(Instant start) {
    now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public void advance(Duration by) {
    now.updateAndGet(t -> t.plus(by));
  }

  /** Sets the clock. */
  public void set(Instant instant) {
    now.set(instant);
  }
}
