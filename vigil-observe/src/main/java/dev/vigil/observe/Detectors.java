package dev.vigil.observe;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The built-in detectors, in the order the {@link Redactor} runs them: secrets first (so that the
 * digits of a key are never taken for a phone number), then e-mail addresses, card numbers,
 * addresses and phone numbers. Each pattern is anchored on both sides so that it never matches
 * inside a longer word or number: a 20-digit id is not a card, {@code v1.2.3.4} is not an address.
 */
final class Detectors {
  static final String API_KEY = "api_key";
  static final String BEARER = "bearer";
  static final String EMAIL = "email";
  static final String CARD = "card";
  static final String IPV6 = "ipv6";
  static final String IPV4 = "ipv4";
  static final String PHONE = "phone";

  /** Every built-in detector name, in run order. */
  static final List<String> NAMES = List.of(API_KEY, BEARER, EMAIL, CARD, IPV6, IPV4, PHONE);

  private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";

  private Detectors() {}

  /** The built-in detector of that name. */
  static Detector named(String name) {
    return switch (name) {
      case API_KEY -> apiKey();
      case BEARER -> bearer();
      case EMAIL -> email();
      case CARD -> card();
      case IPV6 -> ipv6();
      case IPV4 -> ipv4();
      case PHONE -> phone();
      default -> throw new IllegalArgumentException("no built-in detector named '" + name + "'");
    };
  }

  /**
   * Common API-key shapes: OpenAI and Anthropic ({@code sk-…}), Stripe ({@code sk_live_…}), AWS
   * access keys ({@code AKIA…}, {@code ASIA…}), GitHub ({@code ghp_…}, {@code github_pat_…}),
   * Slack ({@code xox…}), Google ({@code AIza…}), GitLab ({@code glpat-…}) and JSON Web Tokens.
   * Keys whose shape is loose ({@code sk-}, {@code xox}, {@code glpat-}) must hold a letter and a
   * digit, so {@code sk-learn-is-a-library} stays.
   */
  static Detector apiKey() {
    Pattern p =
        Pattern.compile(
            "(?<![\\w-])(?:"
                + "sk-(?:proj-|ant-|live-|test-|svcacct-)?[A-Za-z0-9_-]{16,}"
                + "|[rs]k_(?:live|test)_[A-Za-z0-9]{16,}"
                + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
                + "|gh[pousr]_[A-Za-z0-9]{30,}"
                + "|github_pat_[A-Za-z0-9_]{22,}"
                + "|xox[abposr]-[A-Za-z0-9-]{10,}"
                + "|AIza[0-9A-Za-z_-]{35}"
                + "|glpat-[A-Za-z0-9_-]{20,}"
                + "|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"
                + ")(?![\\w-])");
    return new PatternDetector(API_KEY, p, Detectors::letterAndDigit, Detectors::mayHoldKey, "[token]");
  }

  /** {@code Bearer …} and {@code Basic …} credentials; the scheme word stays. */
  static Detector bearer() {
    Pattern p = Pattern.compile("(?i)\\b(?:bearer|basic)\\s+([A-Za-z0-9._~+/=-]{8,})");
    return new PatternDetector(
        BEARER, p, s -> true, s -> containsIgnoreCase(s, "bearer") || containsIgnoreCase(s, "basic"), "[token]");
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
    "sk-", "sk_", "rk_", "AKIA", "ASIA", "gh", "github_pat_", "xox", "AIza", "glpat-", "eyJ"
  };

  private static boolean mayHoldKey(String s) {
    for (String prefix : KEY_PREFIXES) {
      if (s.contains(prefix)) {
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

  private static boolean containsIgnoreCase(String s, String word) {
    int n = word.length();
    for (int i = 0; i + n <= s.length(); i++) {
      if (s.regionMatches(true, i, word, 0, n)) {
        return true;
      }
    }
    return false;
  }
}
