package dev.vigil.observe.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Java stack traces as {@link Throwable#printStackTrace()} writes them: the exception's
 * frames, then each {@code Caused by:} with its own. Suppressed exceptions (indented) and {@code
 * ... n more} lines are skipped. Frames lose their class loader and module prefixes, file and
 * line; generated names are normalised so that the same code groups alike across builds and runs:
 *
 * <ul>
 *   <li>lambda classes {@code Foo$$Lambda$123/0x0000000800c4b2c8} and {@code Foo$$Lambda/0x…}
 *       become {@code Foo$$Lambda}, lambda methods {@code lambda$send$12} become {@code
 *       lambda$send};
 *   <li>anonymous classes {@code Foo$1} become {@code Foo$N};
 *   <li>proxies and generated accessors ({@code $Proxy12}, {@code jdk.proxy2},
 *       {@code GeneratedMethodAccessor45}, CGLIB, ByteBuddy, Hibernate and Mockito suffixes) lose
 *       their numbers and hashes; synthetic {@code access$000} methods become {@code access$}.
 * </ul>
 */
final class JavaStacks {
  /** {@code at [loader/][module@version/]class.method(source)}, the source optional. */
  private static final Pattern FRAME =
      Pattern.compile("^at\\s+(?:[^\\s(]*/)?([\\p{L}_$][\\p{L}\\p{N}_$.]*)\\.([\\p{L}_$<][\\p{L}\\p{N}_$<>]*)\\s*(?:\\(.*)?$");

  private static final Pattern HIDDEN_LAMBDA = Pattern.compile("\\$\\$Lambda(?:\\$\\d+)?/(?:0x)?[0-9a-fA-F]+");
  private static final Pattern ANONYMOUS = Pattern.compile("\\$\\d+(?=$|\\$|\\.)");
  private static final Pattern GENERATED_HASH =
      Pattern.compile("(\\$\\$\\w*?(?:CGLIB|ByteBuddy|Javassist))\\$\\$[0-9a-fA-F]+");
  private static final Pattern GENERATED_NAME = Pattern.compile("(\\$(?:HibernateProxy|MockitoMock|ByteBuddy))\\$\\w+");
  private static final Pattern PROXY = Pattern.compile("\\$Proxy\\d+");
  private static final Pattern PROXY_MODULE = Pattern.compile("^jdk\\.proxy\\d+\\.");
  private static final Pattern ACCESSOR = Pattern.compile("(Generated\\w*Accessor)\\d+");
  private static final Pattern LAMBDA_METHOD = Pattern.compile("^(lambda\\$.*?)\\$\\d+$");
  private static final Pattern ACCESS_METHOD = Pattern.compile("^access\\$\\d+$");
  private static final Pattern TYPE = Pattern.compile("^[\\p{L}_$][\\p{L}\\p{N}_$.]*");

  private JavaStacks() {}

  /** The exceptions of a Java stack trace, outermost first; empty when it holds no Java frame. */
  static List<ExceptionBlock> parse(String stack, InApp inApp) {
    var blocks = new ArrayList<ExceptionBlock>();
    String type = null;
    List<Frame> frames = null;
    boolean anyFrame = false;
    for (String line : stack.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      boolean indented = line.startsWith("\t\t") || line.startsWith("\t ") || line.startsWith("        ");
      String t = line.strip();
      if (t.startsWith("Caused by: ") && !Character.isWhitespace(line.charAt(0))) {
        if (frames != null) {
          blocks.add(new ExceptionBlock(type, frames));
        }
        type = type(t.substring("Caused by: ".length()));
        frames = new ArrayList<>();
        continue;
      }
      Matcher m = FRAME.matcher(HIDDEN_LAMBDA.matcher(t).replaceAll("\\$\\$Lambda"));
      if (m.matches()) {
        if (indented) {
          continue; // a suppressed exception's frame
        }
        if (frames == null) {
          frames = new ArrayList<>();
        }
        String cls = normaliseClass(m.group(1));
        frames.add(new Frame(cls, normaliseMethod(m.group(2)), inApp.test(cls) && !cls.contains("$$Lambda")));
        anyFrame = true;
      } else if (frames == null && type == null) {
        type = type(t); // the first line: "type: message"
        frames = new ArrayList<>();
      }
      // other lines: a message's later lines, "... n more", "Suppressed: ...": nothing to group by
    }
    if (frames != null) {
      blocks.add(new ExceptionBlock(type, frames));
    }
    return anyFrame ? blocks : List.of();
  }

  static String normaliseClass(String cls) {
    String c = HIDDEN_LAMBDA.matcher(cls).replaceAll("\\$\\$Lambda");
    c = GENERATED_HASH.matcher(c).replaceAll("$1");
    c = GENERATED_NAME.matcher(c).replaceAll("$1");
    c = PROXY.matcher(c).replaceAll("\\$Proxy");
    c = PROXY_MODULE.matcher(c).replaceAll("jdk.proxy.");
    c = ACCESSOR.matcher(c).replaceAll("$1");
    return ANONYMOUS.matcher(c).replaceAll("\\$N");
  }

  static String normaliseMethod(String method) {
    Matcher lambda = LAMBDA_METHOD.matcher(method);
    if (lambda.matches()) {
      return lambda.group(1);
    }
    return ACCESS_METHOD.matcher(method).matches() ? "access$" : method;
  }

  /** The exception type at the start of {@code text} ({@code type: message}), or null. */
  private static String type(String text) {
    int colon = text.indexOf(": ");
    String head = colon < 0 ? text : text.substring(0, colon);
    Matcher m = TYPE.matcher(head.strip());
    return m.matches() ? m.group() : null;
  }
}
