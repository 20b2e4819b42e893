package dev.vigil.observe.errors;

import java.util.Objects;

/**
 * What grouping made of one error.
 *
 * @param groupId the group's id: the first 16 hex digits of the SHA-256 of {@code text}, so the
 *     same fingerprint always gives the same id, on every node and for any stored attempt
 * @param text the fingerprint's parts, one per line: the error type, then each in-app frame
 *     ({@code module in function}) of each exception of the chain; or the type and the normalised
 *     message; or the handler's own parts
 * @param title the error's type and the first line of its (redacted) message, at most {@value
 *     #MAX_TITLE} characters
 * @param errorType the error's type as stored
 * @param culprit the top in-app frame of the exception raised last ({@code module in function}),
 *     or {@code null} when there is no stack
 */
public record Fingerprint(String groupId, String text, String title, String errorType, String culprit) {

  /** Longest title kept, in characters. */
  public static final int MAX_TITLE = 200;

  public Fingerprint {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(errorType, "errorType");
  }
}
