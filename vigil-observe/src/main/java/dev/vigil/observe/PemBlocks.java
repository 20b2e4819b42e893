package dev.vigil.observe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM private key blocks, found in time linear in the text: each {@code BEGIN} line is matched by
 * the first {@code END} line after it; once no {@code END} is left, every later block is taken to
 * be cut short and loses the lines that look like its body (base64 lines of 16 characters or more,
 * and the {@code Proc-Type:}/{@code DEK-Info:} headers of an encrypted key). Line breaks may be
 * real or escaped ({@code \n} inside a JSON string).
 */
final class PemBlocks implements Detector {
  private static final String LABEL = "(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----";
  private static final Pattern BEGIN = Pattern.compile("-----BEGIN " + LABEL);
  private static final Pattern END = Pattern.compile("-----END " + LABEL);
  private static final Pattern BODY =
      Pattern.compile(
          "(?:(?:\\s|\\\\[nr])*+(?:[A-Za-z0-9+/=]{16,}+|(?:Proc-Type|DEK-Info|Comment|Version):[^\\r\\n\\\\]*+))*+");

  private final String name;
  private final String mask;

  PemBlocks(String name, String mask) {
    this.name = name;
    this.mask = mask;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String redact(String text) {
    if (!text.contains("PRIVATE KEY")) {
      return text;
    }
    Matcher begin = BEGIN.matcher(text);
    Matcher end = END.matcher(text);
    Matcher body = BODY.matcher(text);
    StringBuilder out = null;
    int last = 0;
    boolean endsLeft = true;
    while (begin.find(last)) {
      int stop;
      if (endsLeft && end.find(begin.end())) {
        stop = end.end();
      } else {
        endsLeft = false;
        body.region(begin.end(), text.length()).lookingAt();
        stop = body.end();
      }
      if (out == null) {
        out = new StringBuilder(text.length());
      }
      out.append(text, last, begin.start()).append(mask);
      last = stop;
    }
    return out == null ? text : out.append(text, last, text.length()).toString();
  }
}
