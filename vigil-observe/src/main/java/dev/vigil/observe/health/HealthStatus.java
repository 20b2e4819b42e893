package dev.vigil.observe.health;

import java.util.Locale;

/** How healthy a check, or the whole node, is; worse states are declared later. */
public enum HealthStatus {
  /** Working as expected. */
  HEALTHY,
  /** Working, but near a limit or slow: worth a look, not a page. */
  DEGRADED,
  /** Not working, or past a limit: page someone; readiness fails when the check decides it. */
  UNHEALTHY;

  /** The name in JSON: {@code healthy}, {@code degraded} or {@code unhealthy}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of the two. */
  public HealthStatus worse(HealthStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
