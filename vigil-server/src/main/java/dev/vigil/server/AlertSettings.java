package dev.vigil.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Alerting ({@code alerts.*}): whether the server evaluates alert rules, the rules file it reads
 * (and re-reads when it changes), and how often the rules are evaluated.
 *
 * @param enabled whether rules are evaluated at all ({@code alerts.enabled})
 * @param file the rules file ({@code alerts.file}); a missing file means the built-in rules alone
 * @param interval how often the leader evaluates every rule ({@code alerts.interval}), 1 s to 1 h
 */
public record AlertSettings(boolean enabled, Path file, Duration interval) {
  /** On, {@code alerts.yaml} in the working directory (beside the default {@code vigil.yaml}), every 15 s. */
  public static final AlertSettings DEFAULTS = new AlertSettings(true, Path.of("alerts.yaml"), Duration.ofSeconds(15));

  public AlertSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(interval, "interval");
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("interval: must be 1s to 1h");
    }
  }
}
