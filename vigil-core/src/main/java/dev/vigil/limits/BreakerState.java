package dev.vigil.limits;

/** Where a circuit breaker stands. */
public enum BreakerState {
  /** Jobs start; attempts are counted. */
  CLOSED(0, "closed"),
  /** The cool-down has passed: one probe job may start, the others stay held. */
  HALF_OPEN(1, "half_open"),
  /** Too many attempts failed: the breaker's jobs are held until the cool-down ends. */
  OPEN(2, "open");

  private final int value;
  private final String wireName;

  BreakerState(int value, String wireName) {
    this.value = value;
    this.wireName = wireName;
  }

  /** The value of the {@code vigil_breaker_state} gauge: 0 closed, 1 half-open, 2 open. */
  public int value() {
    return value;
  }

  /** The name in JSON, metric labels and logs: {@code closed}, {@code half_open}, {@code open}. */
  public String wireName() {
    return wireName;
  }
}
