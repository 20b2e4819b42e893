package dev.vigil.server.http;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The paths served without the API token ({@code server.open_paths}): each exact, or a prefix
 * ending in {@code /*}. {@link BearerAuth} asks {@link #isOpen} of every request; the
 * configuration asks {@link #refusal} of every pattern before a server starts.
 *
 * <p>Design note: the token guards the method as well as the path, but an open path is open for
 * every method. So a pattern that covers any route that changes something (any route but a
 * GET of {@link ApiRoutes}) would let anyone enqueue, cancel or claim without the token, and
 * {@code /*} or {@code /api/*} would switch authentication off altogether; such patterns are
 * refused. "Covers" counts what reaches a route: any value in a path parameter, and the path with
 * a trailing slash (the router ignores one), so {@code /api/v1/jobs/*} covers
 * {@code POST /api/v1/jobs} through {@code /api/v1/jobs/}.
 */
public final class OpenPaths {
  private static final String ADVICE =
      " to anyone without the token; open only paths that change nothing, such as /health/live or /metrics";

  private OpenPaths() {}

  /**
   * Why {@code pattern} may not be open, or empty when it may.
   *
   * @param pattern an exact path or a prefix ending in {@code /*}, starting with {@code /}
   */
  public static Optional<String> refusal(String pattern) {
    List<ApiRoutes.Route> routes = ApiRoutes.declared();
    List<ApiRoutes.Route> api = routes.stream().filter(r -> r.path().startsWith("/api/v1/")).toList();
    if (isPrefix(pattern) && api.stream().allMatch(r -> covers(pattern, r.path()))) {
      return Optional.of("'" + pattern + "' would open the whole API, changes included," + ADVICE);
    }
    return routes.stream()
        .filter(r -> r.changes() && covers(pattern, r.path()))
        .findFirst()
        .map(r -> "'" + pattern + "' would open " + r.method().name() + " " + r.path() + ", which changes state," + ADVICE);
  }

  /**
   * Whether request path {@code path} is open under {@code patterns}; a path with dot segments,
   * empty segments or backslashes never is (fail closed).
   */
  static boolean isOpen(List<String> patterns, String path) {
    if (path.contains("/.") || path.contains("//") || path.contains("\\")) {
      return false;
    }
    for (String open : patterns) {
      if (isPrefix(open) ? path.startsWith(open.substring(0, open.length() - 1)) : path.equals(open)) {
        return true;
      }
    }
    return false;
  }

  /** Whether some request path that reaches the route {@code template} is open under {@code pattern}. */
  static boolean covers(String pattern, String template) {
    String[] route = segments(template);
    if (isPrefix(pattern)) {
      String[] prefix = segments(pattern.substring(0, pattern.length() - 2));
      return route.length >= prefix.length && matches(prefix, Arrays.copyOf(route, prefix.length));
    }
    String exact = pattern.length() > 1 && pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
    String[] path = segments(exact);
    return path.length == route.length && matches(path, route);
  }

  private static boolean isPrefix(String pattern) {
    return pattern.endsWith("/*");
  }

  /** Segment by segment; a route's {@code {parameter}} takes any segment. */
  private static boolean matches(String[] path, String[] route) {
    for (int i = 0; i < path.length; i++) {
      boolean parameter = route[i].startsWith("{") && route[i].endsWith("}");
      if (!parameter && !route[i].equals(path[i])) {
        return false;
      }
    }
    return true;
  }

  private static String[] segments(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
