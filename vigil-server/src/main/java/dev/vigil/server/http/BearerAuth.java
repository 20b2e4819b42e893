package dev.vigil.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * Requires {@code Authorization: Bearer <token>} on every path except the open ones, when a token
 * is configured. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which
 * takes the same time wherever they differ and does not reveal the token's length. Runs before
 * routing, so unknown paths answer 401 too, and nothing about the API leaks to a caller without
 * the token. A request that carries the token, on an open path too, is marked with the token's
 * name ({@link #tokenName}), by which the rate limits know their client.
 */
final class BearerAuth implements Handler {
  /** The name of the one API token (there are no users yet). */
  static final String TOKEN_NAME = "api";

  private static final String SCHEME = "bearer ";
  private static final String TOKEN_ATTRIBUTE = "vigil.token";

  private final byte[] expected;
  private final List<String> openPaths;

  BearerAuth(String token, List<String> openPaths) {
    this.expected = token == null ? null : sha256(token);
    this.openPaths = List.copyOf(openPaths);
  }

  @Override
  public void handle(Context ctx) {
    if (expected == null) {
      return;
    }
    String header = ctx.header("Authorization");
    boolean ok =
        header != null
            && header.length() > SCHEME.length()
            && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
            && MessageDigest.isEqual(expected, sha256(header.substring(SCHEME.length()).trim()));
    if (ok) {
      ctx.attribute(TOKEN_ATTRIBUTE, TOKEN_NAME);
    } else if (!OpenPaths.isOpen(openPaths, ctx.path())) {
      throw new Problem(
              401,
              "unauthorized",
              "Unauthorized",
              header == null ? "this path needs Authorization: Bearer <token>" : "the bearer token is not valid",
              List.of(),
              Map.of("WWW-Authenticate", "Bearer realm=\"vigil\""))
          .toException();
    }
  }

  /**
   * The name of the token that authenticated {@code ctx}, or null: no token is set, or the request
   * reached an open path without it (or with a wrong one).
   */
  static String tokenName(Context ctx) {
    return ctx.attribute(TOKEN_ATTRIBUTE);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
