package dev.vigil.observe;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The application's own secrets (an API token, a database password), masked wherever their exact
 * text appears, whatever surrounds it: no shape is needed, so a password that looks like a word is
 * found too. Each secret is also looked for as it is written inside a JSON string (quotes and
 * backslashes escaped) and inside a URL (percent-encoded). Longer texts are replaced first, so a
 * secret that holds another is masked whole.
 *
 * <p>Runs before every other rule: another detector masking part of a secret (its digits as a
 * phone number, say) would leave the rest unrecognisable.
 */
final class LiteralSecrets implements Detector {
  /** Shorter values are ignored: masking every {@code "admin"} would hide more than it protects. */
  static final int MIN_LENGTH = 8;

  static final String MASK = "[secret]";

  private final List<String> texts;

  LiteralSecrets(Collection<String> secrets) {
    Set<String> all = new LinkedHashSet<>();
    for (String s : secrets) {
      if (s != null && s.length() >= MIN_LENGTH) {
        all.add(s);
        all.add(jsonEscaped(s));
        all.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
      }
    }
    this.texts = all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  boolean isEmpty() {
    return texts.isEmpty();
  }

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public String redact(String text) {
    String out = text;
    for (String secret : texts) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  private static String jsonEscaped(String s) {
    var b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
