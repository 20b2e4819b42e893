package dev.vigil.job;

import java.util.List;

/**
 * An exception that says how it is grouped with others. When a handler throws one, its attempt's
 * error is grouped by these parts instead of by its type and stack frames (as Sentry's custom
 * fingerprints); a part {@value #DEFAULT} stands for the default grouping, so {@code
 * List.of("{{ default }}", "tenant-tier:free")} splits a group in two.
 *
 * <pre>{@code
 * class ProviderException extends RuntimeException implements Fingerprinted {
 *   final String provider;
 *   public List<String> fingerprint() { return List.of("provider-down", provider); }
 * }
 * }</pre>
 *
 * Parts name kinds of failure (a provider, an error code), never values such as ids or user data:
 * each distinct fingerprint becomes a group. They are redacted like every stored error.
 */
public interface Fingerprinted {

  /** The part that stands for the default grouping. */
  String DEFAULT = "{{ default }}";

  /** The parts of this error's fingerprint; none means the default grouping. */
  List<String> fingerprint();
}
