package dev.vigil.observe.errors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Python tracebacks: {@code File "path", line N, in function} frames, then the exception's
 * {@code Type: message} line, for each traceback of a chain ("During handling of the above
 * exception…", "The above exception was the direct cause…"). Python prints the chain cause first
 * and each traceback's most recent call last; {@link #parse} answers both the other way round, as
 * Java does: the exception raised last first, the most recent call first.
 *
 * <p>A frame's module comes from its file: the path after {@code site-packages/} or {@code
 * dist-packages/} for installed packages, after {@code lib/pythonX.Y/} for the standard library
 * (neither is in-app), and otherwise the file's last two path segments (the application's own
 * code: deployments differ in where the code lives, {@code /app} or {@code /srv/app}), without
 * {@code .py}, joined by dots. Files such as {@code <frozen importlib._bootstrap>} and {@code
 * <string>} are not in-app.
 */
final class PythonStacks {
  private static final Pattern FRAME = Pattern.compile("^File \"(.*)\", line \\d+, in (.+)$");
  private static final Pattern EXCEPTION = Pattern.compile("^([A-Za-z_][\\w.]*)(?::.*)?$");
  private static final Pattern STDLIB = Pattern.compile("^(?:.*/)?lib/python\\d+(?:\\.\\d+)?/");

  private PythonStacks() {}

  /** The exceptions of a traceback, raised last first; empty when it holds no Python frame. */
  static List<ExceptionBlock> parse(String stack, InApp inApp) {
    var blocks = new ArrayList<ExceptionBlock>();
    List<Frame> frames = null;
    for (String line : stack.split("\\R")) {
      String t = line.strip();
      if (t.startsWith("Traceback (most recent call last)")) {
        frames = new ArrayList<>();
        continue;
      }
      Matcher frame = FRAME.matcher(t);
      if (frame.matches()) {
        if (frames == null) {
          frames = new ArrayList<>();
        }
        frames.add(frame(frame.group(1), frame.group(2).strip(), inApp));
        continue;
      }
      if (frames != null && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
        Matcher type = EXCEPTION.matcher(t);
        Collections.reverse(frames);
        blocks.add(new ExceptionBlock(type.matches() ? type.group(1) : null, frames));
        frames = null;
      }
    }
    if (frames != null && !frames.isEmpty()) {
      Collections.reverse(frames); // a traceback cut short before its exception line
      blocks.add(new ExceptionBlock(null, frames));
    }
    Collections.reverse(blocks);
    return blocks;
  }

  private static Frame frame(String file, String function, InApp inApp) {
    String path = file.replace('\\', '/');
    if (path.startsWith("<")) {
      return new Frame(path, function, false);
    }
    boolean library = false;
    for (String marker : new String[] {"site-packages/", "dist-packages/"}) {
      int at = path.lastIndexOf(marker);
      if (at >= 0) {
        path = path.substring(at + marker.length());
        library = true;
      }
    }
    Matcher stdlib = STDLIB.matcher(path);
    if (!library && stdlib.find()) {
      path = path.substring(stdlib.end());
      library = true;
    }
    if (!library) {
      String[] segments = path.split("/");
      path = segments.length < 2 ? segments[segments.length - 1]
          : segments[segments.length - 2] + "/" + segments[segments.length - 1];
    }
    if (path.endsWith(".py")) {
      path = path.substring(0, path.length() - 3);
    }
    String module = path.replace('/', '.');
    return new Frame(module, function, !library && inApp.test(module));
  }
}
