package dev.vigil.server;

import dev.vigil.observe.errors.Fingerprinter;
import java.util.List;

/**
 * How errors are grouped ({@code errors.*}): prefixes of Java classes and Python modules that are
 * not the application's own, and prefixes that are, besides {@link Fingerprinter}'s defaults.
 *
 * @param inAppExclude more prefixes that are not in-app ({@code com.acme.vendor.})
 * @param inAppInclude prefixes that are in-app whatever the exclusions say
 */
public record ErrorSettings(List<String> inAppExclude, List<String> inAppInclude) {
  /** Fingerprinter's defaults alone. */
  public static final ErrorSettings DEFAULTS = new ErrorSettings(List.of(), List.of());

  public ErrorSettings {
    inAppExclude = List.copyOf(inAppExclude);
    inAppInclude = List.copyOf(inAppInclude);
  }

  /**
   * The fingerprinter these settings describe.
   *
   * @throws IllegalArgumentException for a blank prefix or one with spaces
   */
  public Fingerprinter fingerprinter() {
    return Fingerprinter.builder().inAppExclude(inAppExclude).inAppInclude(inAppInclude).build();
  }
}
