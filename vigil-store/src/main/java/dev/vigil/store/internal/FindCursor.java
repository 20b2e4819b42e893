package dev.vigil.store.internal;

import dev.vigil.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque page position of a job listing: the id of the last job on the previous page,
 * versioned and base64url-encoded so that callers treat it as a token, not an id.
 */
public final class FindCursor {
  private static final String PREFIX = "v1:";

  private FindCursor() {}

  /** The cursor that continues after the job with this id. */
  public static String after(String lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The id a cursor continues after.
   *
   * @throws InvalidRequestException if {@code cursor} did not come from {@link #after}
   */
  public static String lastId(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(PREFIX) && text.length() > PREFIX.length()) {
        return text.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException e) {
      // not base64: reported below
    }
    throw new InvalidRequestException("cursor", "is not a cursor from a previous page");
  }
}
