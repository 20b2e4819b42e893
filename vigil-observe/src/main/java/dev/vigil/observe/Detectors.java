package dev.vigil.observe;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The built-in detectors, in the order the {@link Redactor} runs them: secrets first (so that the
 * digits of a key are never taken for a phone number, and a URL's password is masked before its
 * {@code pass@host} looks like an e-mail address), then e-mail addresses, card numbers, addresses
 * and phone numbers. Each pattern is anchored on both sides so that it never matches inside a
 * longer word or number: a 20-digit id is not a card, {@code v1.2.3.4} is not an address.
 *
 * <p>Every detector has a cheap pre-test (a literal that any match must contain) so that a line
 * with nothing of its kind never reaches its regular expression: most log lines pay a few {@code
 * indexOf} scans per detector, not a regular-expression search.
 */
final class Detectors {
  static final String PRIVATE_KEY = "private_key";
  static final String URL_PASSWORD = "url_password";
  static final String JWT = "jwt";
  static final String AWS = "aws";
  static final String API_KEY = "api_key";
  static final String WEBHOOK = "webhook";
  static final String BEARER = "bearer";
  static final String ASSIGNMENT = "assignment";
  static final String EMAIL = "email";
  static final String CARD = "card";
  static final String IPV6 = "ipv6";
  static final String IPV4 = "ipv4";
  static final String PHONE = "phone";

  /** Every built-in detector name, in run order. */
  static final List<String> NAMES =
      List.of(
          PRIVATE_KEY, URL_PASSWORD, JWT, AWS, API_KEY, WEBHOOK, BEARER, ASSIGNMENT, EMAIL, CARD, IPV6, IPV4, PHONE);

  /** What a secret is replaced with; {@code [private key]} for a whole PEM block. */
  static final String TOKEN_MASK = "[token]";

  static final String KEY_MASK = "[private key]";

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

  /** The masks the redactor writes: a value that is already one is not masked again. */
  private static final Set<String> MASKS = Set.of("[redacted]", "[token]", "[secret]", "[private key]");

  private Detectors() {}

  /** The built-in detector of that name. */
  static Detector named(String name) {
    return switch (name) {
      case PRIVATE_KEY -> privateKey();
      case URL_PASSWORD -> urlPassword();
      case JWT -> jwt();
      case AWS -> aws();
      case API_KEY -> apiKey();
      case WEBHOOK -> webhook();
      case BEARER -> bearer();
      case ASSIGNMENT -> assignment();
      case EMAIL -> email();
      case CARD -> card();
      case IPV6 -> ipv6();
      case IPV4 -> ipv4();
      case PHONE -> phone();
      default -> throw new IllegalArgumentException("no built-in detector named '" + name + "'");
    };
  }

  /**
   * PEM private key blocks, from {@code -----BEGIN … PRIVATE KEY-----} to the matching {@code
   * -----END … PRIVATE KEY-----} over any number of lines (real or escaped {@code \n} line
   * breaks): PKCS#8, {@code RSA}, {@code EC}, {@code DSA}, {@code OPENSSH}, {@code ENCRYPTED} and
   * PGP {@code PRIVATE KEY BLOCK}s. The whole block becomes {@code [private key]}. A block cut
   * short (no {@code END} line: a truncated message) loses its header lines and every base64 line
   * that follows. Public keys and certificates stay.
   */
  static Detector privateKey() {
    return new PemBlocks(PRIVATE_KEY, KEY_MASK);
  }

  /**
   * The password in a URL's user information, {@code scheme://user:password@host}: only the
   * password is masked, so the scheme, user and host stay for whoever reads the line. A password
   * holding a raw {@code @} is masked up to the last {@code @} before the path. URLs without a
   * password ({@code https://user@host}, {@code http://host:8080/a:b@c}) stay.
   */
  static Detector urlPassword() {
    Pattern p = Pattern.compile("://[^\\s:/?#@\"'<>\\[\\]]*:([^\\s/?#\"'<>]+)@");
    return new PatternDetector(
        URL_PASSWORD, p, s -> !MASKS.contains(s), s -> s.contains("://") && s.indexOf('@') >= 0, JsonFields.MASK);
  }

  /**
   * JSON Web Tokens (and JWE): a base64url JSON header ({@code eyJ…}), a payload and a signature
   * that may be empty ({@code header.payload.}, the unsigned {@code alg: none} form). A dotted
   * version or a package name has no {@code eyJ} header and stays, and so does a header alone.
   */
  static Detector jwt() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w-])eyJ[A-Za-z0-9_-]{8,}(?:"
                + "\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*+(?:\\.[A-Za-z0-9_-]++){0,2}" // JWS, or JWE with a key
                + "|\\.\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]++\\.[A-Za-z0-9_-]++" // JWE without a key: header..iv.text.tag
                + ")(?![\\w-])");
    return new PatternDetector(JWT, p, s -> true, s -> s.contains("eyJ"), TOKEN_MASK);
  }

  /**
   * AWS credentials: access key ids ({@code AKIA…}, {@code ASIA…}, {@code ABIA…}, {@code ACCA…},
   * 20 characters), and secret access keys, 40 base64 characters, when they follow a known key
   * name ({@code aws_secret_access_key}, {@code SecretAccessKey}, {@code aws_secret_key}, {@code
   * secret_key}, …) with {@code =}, {@code :} or a space. A bare 40-character run elsewhere (a git
   * commit id, a hash) stays: nothing tells it from a secret key.
   */
  static Detector aws() {
    Pattern p =
        Pattern.compile(
            "(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}(?![A-Za-z0-9])"
                + "|(?i:(?<![A-Za-z0-9])(?:aws[_.-]?)?secret[_.-]?(?:access[_.-]?)?key|aws[_.-]?secret)"
                + "(?:\\\\?[\"'])?(?:\\s*(?::|=>?)\\s*|\\s+)(?:\\\\?[\"'])?"
                + "([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])");
    return new PatternDetector(
        AWS,
        p,
        s -> true,
        s -> s.contains("AKIA") || s.contains("ASIA") || s.contains("ABIA") || s.contains("ACCA")
            || containsIgnoreCase(s, "secret"),
        TOKEN_MASK);
  }

  /**
   * Common API-key shapes: OpenAI and Anthropic ({@code sk-…}), Stripe ({@code sk_live_…}, webhook
   * secrets {@code whsec_…}), GitHub ({@code ghp_…}, {@code github_pat_…}), Slack ({@code xox…}),
   * Google API keys ({@code AIza…}) and OAuth access tokens ({@code ya29.…}), GitLab ({@code
   * glpat-…}), npm ({@code npm_} and 36 characters) and Hugging Face ({@code hf_} and at least 30).
   * Keys whose shape is loose ({@code sk-}, {@code xox}, {@code glpat-}) must hold a letter and a
   * digit, so {@code sk-learn-is-a-library} stays; {@code npm_config_cache} and {@code
   * hf_hub_download} are too short or hold an underscore, and stay.
   */
  static Detector apiKey() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w-])(?:"
                + "sk-(?:proj-|ant-|live-|test-|svcacct-)?[A-Za-z0-9_-]{16,}"
                + "|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"
                + "|whsec_[A-Za-z0-9+/]{24,}"
                + "|gh[pousr]_[A-Za-z0-9]{30,}"
                + "|github_pat_[A-Za-z0-9_]{22,}"
                + "|xox[abposr]-[A-Za-z0-9-]{10,}"
                + "|AIza[0-9A-Za-z_-]{35}"
                + "|ya29\\.[0-9A-Za-z_-]{20,}(?:\\.[0-9A-Za-z_-]+)*"
                + "|glpat-[A-Za-z0-9_-]{20,}"
                + "|npm_[A-Za-z0-9]{36}"
                + "|hf_[A-Za-z0-9]{30,}"
                + ")(?![\\w-])");
    return new PatternDetector(API_KEY, p, Detectors::letterAndDigit, Detectors::mayHoldKey, TOKEN_MASK);
  }

  /**
   * Incoming-webhook URLs, whose path is the secret: Slack ({@code
   * hooks.slack.com/services/…}, {@code /workflows/…}, {@code /triggers/…}) and Discord ({@code
   * discord.com/api/webhooks/…}). The host and the path's first word stay: {@code
   * https://hooks.slack.com/services/[token]}.
   */
  static Detector webhook() {
    Pattern p =
        Pattern.compile(
            "(?i)(?:hooks\\.slack\\.com/(?:services|workflows|triggers)|discord(?:app)?\\.com/api/webhooks)/"
                + "([A-Za-z0-9/_-]{8,})");
    return new PatternDetector(
        WEBHOOK, p, s -> true, s -> s.contains("hooks.slack.com") || s.contains("/api/webhooks/"), TOKEN_MASK);
  }

  /**
   * {@code Bearer …} and {@code Basic …} credentials anywhere, and the credential of an {@code
   * Authorization} (or {@code Proxy-Authorization}) header or field with any other scheme ({@code
   * Token}, {@code ApiKey}, {@code Key}, {@code OAuth}, {@code SSWS}, …) or none. The scheme word
   * stays. A schemeless value must look like a credential (a digit, a symbol, or 16 characters),
   * so {@code Authorization: required} stays.
   */
  static Detector bearer() {
    Pattern schemes = Pattern.compile("(?i)\\b(?:bearer|basic)\\s+([A-Za-z0-9._~+/=-]{8,})");
    Pattern header =
        Pattern.compile(
            "(?i)\\b(?:proxy-)?authorization(?:\\\\?[\"'])?\\s*[:=]\\s*(?:\\\\?[\"'])?"
                + "(?:(?:token|apikey|api-key|key|oauth|ssws|sso-key|dsn|splunk|negotiate|ntlm|hmac|aws4-hmac-sha256)\\s+)?"
                + "([A-Za-z0-9._~+/=-]{8,})");
    return new Several(
        BEARER,
        List.of(
        new PatternDetector(
            BEARER, schemes, s -> true, s -> containsIgnoreCase(s, "bearer") || containsIgnoreCase(s, "basic"), TOKEN_MASK),
        new PatternDetector(
            BEARER, header, Detectors::credentialLike, s -> containsIgnoreCase(s, "authorization"), TOKEN_MASK)));
  }

  /**
   * The value after a credential's name and {@code =} or {@code :}: names that end with {@code
   * password}, {@code passwd}, {@code pwd}, {@code pass}, {@code passphrase}, {@code secret},
   * {@code secret_key}, {@code token}, {@code api_key} ({@code apikey}, {@code api-key}), {@code
   * access_key}, {@code private_key}, {@code credential(s)}, whatever comes before them ({@code
   * DB_PASSWORD=…}, {@code x-api-key: …}, {@code spring.datasource.password=…}, {@code
   * clientSecret: …}); a quoted value is masked inside its quotes. {@code password policy: …},
   * {@code max_tokens=512}, {@code secret_name: …} and {@code passwordless=true} name something
   * else and stay.
   */
  static Detector assignment() {
    return new Assignments(ASSIGNMENT, MASKS, JsonFields.MASK);
  }

  /** {@code name@domain.tld}; {@code user@localhost} (no top-level domain) and {@code @mentions} stay. */
  static Detector email() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}(?![\\w-])");
    return new PatternDetector(EMAIL, p, s -> true, s -> s.indexOf('@') >= 0, "[email]");
  }

  /**
   * Payment card numbers: 13 to 19 digits, optionally in groups split by spaces or dashes, starting
   * with 2 to 6 (Mastercard, Amex, Visa, Discover, UnionPay, JCB, Diners), and passing the Luhn
   * check. A number that fails Luhn, a longer digit run, and numbers starting with 1 (epoch
   * milliseconds, Unix timestamps) or 7 to 9 stay.
   */
  static Detector card() {
    Pattern p = Pattern.compile("(?<![\\w.-])[2-6]\\d{3}(?:[ -]?\\d){9,15}(?![\\w]|[.-]\\d)");
    return new PatternDetector(CARD, p, Detectors::luhn, Detectors::hasLongDigitRun, "[card]");
  }

  /**
   * IPv6 addresses, full or compressed, with an optional IPv4 tail; confirmed by parsing, so
   * times ({@code 09:18:40}), MAC addresses and {@code Foo::bar} stay. The loopback {@code ::1}
   * and the unspecified {@code ::} stay: they never identify anyone.
   */
  static Detector ipv6() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + OCTET + "(?:\\." + OCTET + "){3}|[0-9A-Fa-f]{0,4})(?![\\w:])");
    return new PatternDetector(IPV6, p, Detectors::isIpv6, s -> s.indexOf(':') != s.lastIndexOf(':'), "[ip]");
  }

  /**
   * Dotted-quad IPv4 addresses. Four dot-separated numbers of 0–255 are always taken for an
   * address (so a bare version number of four parts is masked too); {@code v1.2.3.4}, three-part
   * versions, longer dotted runs and the loopback ({@code 127.x.x.x}) and unspecified ({@code
   * 0.0.0.0}) addresses stay.
   */
  static Detector ipv4() {
    Pattern p = Pattern.compile("(?<![\\w.])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\w]|\\.\\d)");
    return new PatternDetector(
        IPV4, p, s -> !s.startsWith("127.") && !s.equals("0.0.0.0"), s -> s.indexOf('.') >= 0, "[ip]");
  }

  /**
   * Phone numbers: international ({@code +} and 8 to 15 digits, in groups), North American
   * ({@code 415-555-0134}, {@code (415) 555 0134}) and national numbers with a trunk 0 ({@code
   * 020 7946 0958}). Digits without any grouping or {@code +} stay (ids, timestamps), and so do
   * ISO dates and times.
   */
  static Detector phone() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w.+-])(?:"
                + "\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,6}"
                + "|(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}"
                + "|0\\d{1,4}[ -]\\d{3,4}[ -]?\\d{3,4}"
                + ")(?![\\w]|[.-]\\d)");
    return new PatternDetector(PHONE, p, Detectors::phoneDigits, Detectors::hasDigit, "[phone]");
  }

  // ---- confirmations and pre-tests

  static boolean luhn(String candidate) {
    int sum = 0;
    int digits = 0;
    boolean twice = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
      digits++;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  static boolean isIpv6(String s) {
    if (s.equals("::") || s.equals("::1")) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String[] parts = s.split(":", -1);
    int groups = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        continue; // the two sides of "::", or a leading/trailing "::"
      }
      if (i == parts.length - 1 && part.indexOf('.') >= 0) {
        groups += 2; // an IPv4 tail counts as two groups
      } else if (part.length() <= 4) {
        groups++;
      } else {
        return false;
      }
    }
    if ((s.startsWith(":") && !s.startsWith("::")) || (s.endsWith(":") && !s.endsWith("::"))) {
      return false;
    }
    return gap >= 0 ? groups <= 7 && groups >= 1 : groups == 8;
  }

  private static boolean phoneDigits(String s) {
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      if (Character.isDigit(s.charAt(i))) {
        digits++;
      }
    }
    return digits >= 8 && digits <= 15;
  }

  private static boolean letterAndDigit(String s) {
    boolean letter = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      letter |= Character.isLetter(c);
      digit |= Character.isDigit(c);
    }
    return letter && digit;
  }

  private static final String[] KEY_PREFIXES = {
    "sk-", "sk_", "rk_", "whsec_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "AIza", "ya29.",
    "glpat-", "npm_", "hf_"
  };

  private static boolean mayHoldKey(String s) {
    for (String prefix : KEY_PREFIXES) {
      if (s.contains(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** A digit, a symbol, or 16 characters: {@code Authorization: required} is no credential. */
  private static boolean credentialLike(String s) {
    if (s.length() >= 16) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isLetter(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLongDigitRun(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++run >= 4) {
          return true;
        }
      } else {
        run = 0;
      }
    }
    return false;
  }

  /** Whether {@code s} holds {@code word} (lower case, ASCII) in any case. */
  static boolean containsIgnoreCase(String s, String word) {
    int n = word.length();
    char lower = word.charAt(0);
    char upper = Character.toUpperCase(lower);
    int atLower = s.indexOf(lower);
    int atUpper = s.indexOf(upper);
    while (atLower >= 0 || atUpper >= 0) {
      int i = atLower < 0 ? atUpper : atUpper < 0 ? atLower : Math.min(atLower, atUpper);
      if (s.regionMatches(true, i + 1, word, 1, n - 1)) {
        return true;
      }
      if (i == atLower) {
        atLower = s.indexOf(lower, i + 1);
      } else {
        atUpper = s.indexOf(upper, i + 1);
      }
    }
    return false;
  }

  /** Several detectors that go by one name and run one after the other. */
  record Several(String name, List<Detector> parts) implements Detector {
    @Override
    public String redact(String text) {
      String out = text;
      for (Detector d : parts) {
        out = d.redact(out);
      }
      return out;
    }
  }
}
