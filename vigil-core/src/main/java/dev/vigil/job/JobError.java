package dev.vigil.job;

import java.util.List;
import java.util.Objects;

/**
 * What went wrong in an attempt: an error type (an exception class name or a worker's own
 * label), a message, optionally a stack trace, and optionally the handler's own grouping
 * fingerprint. Messages and stacks are stored as given to the store; the engine truncates them to
 * bounded lengths first.
 *
 * @param fingerprint how this error is grouped, when the handler chose it ({@link
 *     Fingerprinted}, {@link JobContext#fingerprint}, or a remote worker's {@code fingerprint}): its
 *     parts joined by line feeds; {@code null} for the default grouping (the type and the stack's
 *     frames, or the type and the message)
 */
public record JobError(String type, String message, String stack, String fingerprint) {

  /** Longest message kept, in characters. */
  public static final int MAX_MESSAGE = 2_000;

  /** Longest stack trace kept, in characters. */
  public static final int MAX_STACK = 8_000;

  /** Longest fingerprint kept, in characters (all its parts and their separators). */
  public static final int MAX_FINGERPRINT = 512;

  public JobError {
    Objects.requireNonNull(type, "type");
    message = truncate(message, MAX_MESSAGE);
    stack = truncate(stack, MAX_STACK);
    fingerprint = fingerprint == null || fingerprint.isBlank() ? null : truncate(fingerprint, MAX_FINGERPRINT);
  }

  /** An error grouped the default way. */
  public JobError(String type, String message, String stack) {
    this(type, message, stack, null);
  }

  /**
   * An error from a throwable, keeping its class name, message and a bounded stack trace, and its
   * fingerprint when it implements {@link Fingerprinted}.
   */
  public static JobError of(Throwable t) {
    var out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    String fingerprint = t instanceof Fingerprinted f ? fingerprint(f.fingerprint()) : null;
    return new JobError(t.getClass().getName(), String.valueOf(t.getMessage()), out.toString(), fingerprint);
  }

  /** An error with a type and a message but no stack. */
  public static JobError of(String type, String message) {
    return new JobError(type, message, null);
  }

  /** This error with the handler's own fingerprint (its parts); {@code null} or none: the default. */
  public JobError withFingerprint(List<String> parts) {
    return new JobError(type, message, stack, fingerprint(parts));
  }

  /** The fingerprint's parts; empty for the default grouping. */
  public List<String> fingerprintParts() {
    return fingerprint == null ? List.of() : List.of(fingerprint.split("\n", -1));
  }

  /**
   * Parts joined by line feeds (a line feed inside a part becomes a space); {@code null} when
   * there are none.
   */
  public static String fingerprint(List<String> parts) {
    if (parts == null || parts.isEmpty()) {
      return null;
    }
    var sb = new StringBuilder();
    for (String part : parts) {
      if (part == null || part.isBlank()) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(part.strip().replaceAll("[\\r\\n]+", " "));
    }
    return sb.isEmpty() ? null : sb.toString();
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
