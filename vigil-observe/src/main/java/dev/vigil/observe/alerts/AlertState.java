package dev.vigil.observe.alerts;

import java.util.Locale;

/**
 * Where an alert is in its life, as in Prometheus: {@code pending} while its condition has held
 * for less than the rule's {@code for}, {@code firing} after, and {@code resolved} once the
 * condition (and {@code keep_firing_for}) no longer holds. An alert whose condition does not hold
 * is inactive and not kept at all.
 */
public enum AlertState {
  PENDING,
  FIRING,
  RESOLVED;

  /** The name in the API and the rules file: {@code pending}, {@code firing}, {@code resolved}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
