package dev.vigil.server;

import dev.vigil.observe.Redactor;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The server's redaction rules ({@code redaction.*}): regular expressions and JSON field names
 * masked on top of the built-in detectors and {@link Redactor#DEFAULT_JSON_FIELDS}, and built-in
 * detectors turned off. The one {@link Redactor} built from them and the configured secrets ({@link
 * ServerConfig#redactor()}) is applied to every log line and to every error, progress message and
 * span attribute before it is stored.
 *
 * @param patterns Java regular expressions masked as {@code [redacted]} (only group 1 if they have
 *     a group)
 * @param jsonFields field names whose values are masked, added to the defaults
 * @param disabledDetectors names from {@link Redactor#DETECTORS} to turn off
 */
public record RedactionSettings(List<String> patterns, List<String> jsonFields, List<String> disabledDetectors) {
  /** Only the built-in rules. */
  public static final RedactionSettings DEFAULTS = new RedactionSettings(List.of(), List.of(), List.of());

  public RedactionSettings {
    patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
    jsonFields = List.copyOf(Objects.requireNonNull(jsonFields, "jsonFields"));
    disabledDetectors = List.copyOf(Objects.requireNonNull(disabledDetectors, "disabledDetectors"));
  }

  /**
   * The redactor these rules describe.
   *
   * @throws ConfigException naming the first invalid entry
   */
  public Redactor redactor() {
    return redactor(List.of());
  }

  /**
   * The redactor these rules describe that also masks {@code secrets} (the configuration's own
   * credentials) wherever their exact text appears; values shorter than 8 characters are skipped.
   *
   * @throws ConfigException naming the first invalid entry
   */
  public Redactor redactor(Collection<String> secrets) {
    Redactor.Builder b = Redactor.builder().secrets(secrets);
    for (int i = 0; i < patterns.size(); i++) {
      try {
        b.pattern(patterns.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("redaction.patterns[" + i + "]", e.getMessage());
      }
    }
    for (int i = 0; i < jsonFields.size(); i++) {
      try {
        b.jsonField(jsonFields.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("redaction.json_fields[" + i + "]", e.getMessage());
      }
    }
    for (int i = 0; i < disabledDetectors.size(); i++) {
      try {
        b.disable(disabledDetectors.get(i));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("redaction.disabled_detectors[" + i + "]", e.getMessage());
      }
    }
    return b.build();
  }
}
