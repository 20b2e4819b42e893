package dev.vigil.observe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Masks personal data and secrets in text before it is written anywhere an operator reads it: log
 * lines (through {@link RedactingAppender}), stored error messages and stack traces, progress
 * messages and span attributes (through {@code Vigil.Builder.redactor}).
 *
 * <pre>{@code
 * Redactor redactor = Redactor.builder().pattern("ORD-\\d{8}").jsonField("diagnosis").build();
 * redactor.redact("mail ava@example.com from 10.1.2.3");  // "mail [email] from [ip]"
 * }</pre>
 *
 * <p>What it finds, in this order:
 *
 * <ol>
 *   <li>values of sensitive JSON fields ({@link #DEFAULT_JSON_FIELDS} and those added), in JSON
 *       documents, JSON inside other text, escaped JSON and {@code name=value} pairs: {@code
 *       [redacted]};
 *   <li>configured regular expressions: {@code [redacted]} (only group 1 when the pattern has a
 *       group, so {@code customer=(\d+)} keeps the word {@code customer=});
 *   <li>the built-in detectors: API keys and JSON Web Tokens and {@code Bearer}/{@code Basic}
 *       credentials ({@code [token]}), e-mail addresses ({@code [email]}), Luhn-valid card numbers
 *       ({@code [card]}), IPv6 and IPv4 addresses ({@code [ip]}), phone numbers ({@code [phone]}).
 * </ol>
 *
 * <p>Near misses stay as they are: ISO dates and times, version numbers of up to three parts and
 * {@code v1.2.3.4}, digit runs that fail the Luhn check or are longer than 19 digits, epoch
 * timestamps, ids without separators, the loopback and unspecified addresses. A bare four-part
 * dotted number ({@code 1.2.3.4}) is taken for an IPv4 address. {@code docs/observability.md}
 * lists every rule.
 *
 * <p>Immutable and thread-safe; build once and share.
 */
public final class Redactor implements UnaryOperator<String> {

  /** JSON field names whose values are always masked, matched case-insensitively. */
  public static final Set<String> DEFAULT_JSON_FIELDS =
      Set.of(
          "password", "passwd", "secret", "client_secret", "token", "access_token", "refresh_token",
          "id_token", "api_key", "apikey", "authorization", "cookie", "session", "content", "message",
          "messages", "prompt", "completion", "text", "body", "email", "phone");

  /** The built-in detectors by name, in the order they run. */
  public static final List<String> DETECTORS = Detectors.NAMES;

  private static final Redactor DEFAULTS = builder().build();

  private final JsonFields jsonFields;
  private final List<Detector> plain;

  private Redactor(Builder b) {
    this.jsonFields = new JsonFields(b.jsonFields);
    var detectors = new ArrayList<Detector>();
    int i = 0;
    for (Pattern p : b.patterns) {
      detectors.add(PatternDetector.of("pattern_" + i++, p, JsonFields.MASK));
    }
    for (String name : Detectors.NAMES) {
      if (!b.disabled.contains(name)) {
        detectors.add(Detectors.named(name));
      }
    }
    this.plain = List.copyOf(detectors);
  }

  /** Every built-in detector and the default JSON fields. */
  public static Redactor defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code text} with everything sensitive masked; null stays null. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return redactPlain(jsonFields.redact(text, this::redactValue));
  }

  /** The same as {@link #redact(String)}. */
  @Override
  public String apply(String text) {
    return redact(text);
  }

  /** The JSON field names whose values are masked, lower case. */
  public Set<String> jsonFields() {
    return jsonFields.names();
  }

  /** A string or number inside a JSON document: it may hold JSON of its own. */
  private String redactValue(String text) {
    return redactPlain(jsonFields.embedded(text));
  }

  private String redactPlain(String text) {
    String out = text;
    for (Detector d : plain) {
      out = d.redact(out);
    }
    return out;
  }

  /** Configures a {@link Redactor}; starts with every detector on and the default JSON fields. */
  public static final class Builder {
    private final List<Pattern> patterns = new ArrayList<>();
    private final Set<String> jsonFields = new LinkedHashSet<>(DEFAULT_JSON_FIELDS);
    private final Set<String> disabled = new LinkedHashSet<>();

    private Builder() {}

    /**
     * Also masks every match of this regular expression (Java syntax), or only its first group.
     *
     * @throws IllegalArgumentException if it is not a valid expression, or matches the empty text
     */
    public Builder pattern(String regex) {
      Pattern p;
      try {
        p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription(), e);
      }
      if (p.matcher("").matches()) {
        throw new IllegalArgumentException("a redaction pattern must not match the empty text");
      }
      patterns.add(p);
      return this;
    }

    /** Adds every expression of {@code regexes}; see {@link #pattern(String)}. */
    public Builder patterns(Collection<String> regexes) {
      regexes.forEach(this::pattern);
      return this;
    }

    /**
     * Also masks the values of this JSON field (case-insensitive), added to {@link
     * #DEFAULT_JSON_FIELDS}.
     *
     * @throws IllegalArgumentException for a blank name
     */
    public Builder jsonField(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a JSON field name must not be blank");
      }
      jsonFields.add(name.strip().toLowerCase(Locale.ROOT));
      return this;
    }

    /** Adds every name of {@code names}; see {@link #jsonField(String)}. */
    public Builder jsonFields(Collection<String> names) {
      names.forEach(this::jsonField);
      return this;
    }

    /**
     * Turns a built-in detector off, by its name in {@link #DETECTORS} (for example {@code ipv4}
     * where addresses in logs are needed and are not personal).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public Builder disable(String detector) {
      if (!Detectors.NAMES.contains(detector)) {
        throw new IllegalArgumentException(
            "unknown detector '" + detector + "'; one of " + String.join(", ", Detectors.NAMES));
      }
      disabled.add(detector);
      return this;
    }

    /** Turns off every named detector; see {@link #disable(String)}. */
    public Builder disable(Collection<String> detectors) {
      detectors.forEach(this::disable);
      return this;
    }

    public Redactor build() {
      return new Redactor(this);
    }
  }
}
