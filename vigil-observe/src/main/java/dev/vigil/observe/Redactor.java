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
 *   <li>the application's own secrets ({@link Builder#secret}), wherever their exact text appears:
 *       {@code [secret]};
 *   <li>values of sensitive JSON fields ({@link #DEFAULT_JSON_FIELDS} and those added; a name may
 *       hold {@code *} wildcards), in JSON documents, JSON inside other text, escaped JSON and
 *       {@code name=value} pairs: {@code [redacted]};
 *   <li>configured regular expressions: {@code [redacted]} (only group 1 when the pattern has a
 *       group, so {@code customer=(\d+)} keeps the word {@code customer=});
 *   <li>the built-in detectors ({@link #DETECTORS}): PEM private key blocks ({@code [private
 *       key]}), passwords in URLs ({@code scheme://user:[redacted]@host}), JSON Web Tokens, AWS
 *       access key ids and secret keys, API keys and tokens of common vendors, webhook URLs, {@code
 *       Bearer}/{@code Basic} and other {@code Authorization} credentials ({@code [token]}),
 *       {@code password=…}-style assignments ({@code [redacted]}), e-mail addresses ({@code
 *       [email]}), Luhn-valid card numbers ({@code [card]}), IPv6 and IPv4 addresses ({@code
 *       [ip]}), phone numbers ({@code [phone]}).
 * </ol>
 *
 * <p>Near misses stay as they are: ISO dates and times, version numbers of up to three parts and
 * {@code v1.2.3.4}, digit runs that fail the Luhn check or are longer than 19 digits, epoch
 * timestamps, ids without separators, the loopback and unspecified addresses, URLs without a
 * password, words that merely start like a key ({@code hf_hub_download}), text about passwords
 * without an assignment ({@code password policy}). A bare four-part dotted number ({@code
 * 1.2.3.4}) is taken for an IPv4 address. {@code docs/observability.md} lists every rule.
 *
 * <p>Immutable and thread-safe; build once and share.
 */
public final class Redactor implements UnaryOperator<String> {

  /**
   * JSON field names whose values are always masked, matched case-insensitively; {@code *} stands
   * for any run of characters ({@code *secret*} masks {@code client_secret} and {@code
   * SecretAccessKey}, {@code *token} masks {@code accessToken} but not {@code max_tokens}).
   */
  public static final Set<String> DEFAULT_JSON_FIELDS =
      Set.of(
          "password", "passwd", "secret", "client_secret", "token", "access_token", "refresh_token",
          "id_token", "api_key", "apikey", "authorization", "cookie", "session", "content", "message",
          "messages", "prompt", "completion", "text", "body", "email", "phone",
          // credentials under other names
          "pwd", "passphrase", "private_key", "privatekey", "credential", "credentials", "x-api-key",
          "proxy-authorization", "set-cookie", "*password*", "*passwd*", "*secret*", "*token", "*api_key*",
          "*api-key*", "*apikey*", "*private_key*", "*privatekey*", "*credentials");

  /** The built-in detectors by name, in the order they run. */
  public static final List<String> DETECTORS = Detectors.NAMES;

  private static final Redactor DEFAULTS = builder().build();

  private final LiteralSecrets secrets;
  private final JsonFields jsonFields;
  private final List<Detector> plain;

  private Redactor(Builder b) {
    this.secrets = new LiteralSecrets(b.secrets);
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
    String out = secrets.isEmpty() ? text : secrets.redact(text);
    return redactPlain(jsonFields.redact(out, this::redactValue));
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
    private final List<String> secrets = new ArrayList<>();

    private Builder() {}

    /**
     * Also masks every occurrence of this exact text as {@code [secret]}, before any other rule:
     * for the application's own credentials (its API token, a database password), which have no
     * shape a detector could know. It is found as written, inside JSON strings and percent-encoded
     * in URLs. Null and values shorter than 8 characters are ignored: they are too likely to be
     * ordinary words.
     */
    public Builder secret(String value) {
      if (value != null && value.length() >= LiteralSecrets.MIN_LENGTH) {
        secrets.add(value);
      }
      return this;
    }

    /** Adds every value of {@code values}; see {@link #secret(String)}. */
    public Builder secrets(Collection<String> values) {
      values.forEach(this::secret);
      return this;
    }

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
     * #DEFAULT_JSON_FIELDS}. A {@code *} in the name stands for any run of characters: {@code
     * *diagnosis*} masks {@code primary_diagnosis} too.
     *
     * @throws IllegalArgumentException for a blank name, or one of wildcards only (it would mask
     *     every field)
     */
    public Builder jsonField(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a JSON field name must not be blank");
      }
      if (name.strip().chars().allMatch(c -> c == '*')) {
        throw new IllegalArgumentException("a JSON field name must hold more than '*'");
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
