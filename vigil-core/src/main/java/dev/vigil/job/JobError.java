package dev.vigil.job;

import java.util.Objects;

/**
 * What went wrong in an attempt: an error type (an exception class name or a worker's own
 * label), a message, and optionally a stack trace. Messages and stacks are stored as given to
 * the store; the engine truncates them to bounded lengths first.
 */
public record JobError(String type, String message, String stack) {

  /** Longest message kept, in characters. */
  public static final int MAX_MESSAGE = 2_000;

  /** Longest stack trace kept, in characters. */
  public static final int MAX_STACK = 8_000;

  public JobError {
    Objects.requireNonNull(type, "type");
    message = truncate(message, MAX_MESSAGE);
    stack = truncate(stack, MAX_STACK);
  }

  /** An error from a throwable, keeping its class name, message and a bounded stack trace. */
  public static JobError of(Throwable t) {
    var out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return new JobError(t.getClass().getName(), String.valueOf(t.getMessage()), out.toString());
  }

  /** An error with a type and a message but no stack. */
  public static JobError of(String type, String message) {
    return new JobError(type, message, null);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
