package dev.vigil.server.cli;

import dev.vigil.observe.ControlCharacters;
import java.io.PrintWriter;

/**
 * Keeps what a server answered from acting on the terminal. Job fields come from remote workers
 * and callers (a worker id, an error message, a tag), so any of them may carry an escape sequence
 * that clears the screen, sets the window title or forges a line. Everything the CLI prints for
 * people passes {@link ControlCharacters#escape}: a line feed reads {@code \n}, ESC reads
 * <code>&#92;u001b</code>, BEL <code>&#92;u0007</code> (every C0 control, DEL, the C1 controls,
 * the Unicode line separators and the bidirectional overrides).
 *
 * <ul>
 *   <li>{@link Table} escapes each cell before it measures the columns, so they stay aligned;
 *   <li>{@link #safe} wraps standard output and standard error, so every other line (a detail
 *       line, a refusal's message, a stack trace) is escaped too: only the line ends the CLI
 *       itself writes with {@code println} pass as they are;
 *   <li>{@link #json} writes the raw controls a JSON answer may hold inside its strings (DEL, C1,
 *       the separators) as JSON escapes, so {@code --json} prints the same JSON value, safely.
 * </ul>
 */
final class Terminal {
  private Terminal() {}

  /** {@code text} with its control characters shown as escapes; null stays null. */
  static String escape(String text) {
    return ControlCharacters.escape(text);
  }

  /** A writer onto {@code out} that escapes every character written but println's line ends. */
  static PrintWriter safe(PrintWriter out) {
    return out instanceof Escaping ? out : new Escaping(out);
  }

  /**
   * The same JSON text with every raw character {@link ControlCharacters#isEscaped} but the
   * whitespace between tokens (tab, line feed, carriage return) written as a {@code \}{@code u}
   * escape; valid JSON holds such characters only inside strings, where the escape means the same.
   */
  static String json(String text) {
    var sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r' && ControlCharacters.isEscaped(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Escapes whatever is written; {@link #println()} alone ends a line. */
  private static final class Escaping extends PrintWriter {
    private final PrintWriter target;

    Escaping(PrintWriter target) {
      super(target);
      this.target = target;
    }

    @Override
    public void write(String s, int off, int len) {
      target.write(ControlCharacters.escape(s.substring(off, off + len)));
    }

    @Override
    public void write(char[] buf, int off, int len) {
      write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(int c) {
      write(String.valueOf((char) c), 0, 1);
    }

    @Override
    public void println() {
      target.println();
    }

    @Override
    public void flush() {
      target.flush();
    }

    @Override
    public boolean checkError() {
      return target.checkError();
    }
  }
}
