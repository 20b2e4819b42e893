package dev.vigil.server.http;

import dev.vigil.observe.history.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP rate limits ({@code http_limits.*}): how many requests one client may send to the routes of
 * each class in a window. A client is the API token that authenticated the request, or the remote
 * address when none did; the classes are {@code read} (GET routes), {@code claim} (a remote
 * worker's claim, heartbeat, complete and fail) and {@code write} (every other route that changes
 * something). Health routes, {@code /metrics} and {@code /api/openapi.json} are never limited.
 *
 * @param enabled whether requests are limited; {@code null} (the default) limits them unless the
 *     server listens on a loopback address, where the only clients are the machine's own processes
 * @param read the quota of each client on {@code read} routes
 * @param write the quota of each client on {@code write} routes
 * @param claim the quota of each client on {@code claim} routes
 */
public record HttpLimitSettings(Boolean enabled, Quota read, Quota write, Quota claim) {
  /** On unless the server listens on a loopback address; 1200 reads, 600 writes and 6000 claims a minute. */
  public static final HttpLimitSettings DEFAULTS =
      new HttpLimitSettings(null, Quota.parse("1200/1m"), Quota.parse("600/1m"), Quota.parse("6000/1m"));

  public HttpLimitSettings {
    Objects.requireNonNull(read, "read");
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(claim, "claim");
  }

  /** Whether requests are limited on a server listening on a loopback address ({@code loopbackBind}) or not. */
  public boolean enabledOn(boolean loopbackBind) {
    return enabled == null ? !loopbackBind : enabled;
  }

  /** The same quotas, switched on or off ({@code null}: by the address listened on). */
  public HttpLimitSettings withEnabled(Boolean on) {
    return new HttpLimitSettings(on, read, write, claim);
  }

  /**
   * {@code requests} per {@code window}, written {@code N/duration} ({@code 1200/1m}). The window
   * is whole seconds, as the {@code w} parameter of {@code RateLimit-Policy} is.
   *
   * @param requests 1 to 1,000,000,000
   * @param window 1 s to 1 day, in whole seconds
   */
  public record Quota(long requests, Duration window) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,10})\\s*/\\s*(\\S+)");
    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    /** @throws IllegalArgumentException when a value is out of range */
    public Quota {
      Objects.requireNonNull(window, "window");
      if (requests < 1 || requests > 1_000_000_000L) {
        throw new IllegalArgumentException("must allow 1 to 1000000000 requests (got " + requests + ")");
      }
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(MAX_WINDOW) > 0 || window.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException("must have a window of whole seconds from 1s to 1d (got " + Durations.format(window) + ")");
      }
    }

    /**
     * The quota written {@code text}: a count, a slash and a duration ({@code 600/1m}, {@code 10/1s},
     * {@code 5000/1h}).
     *
     * @throws IllegalArgumentException saying what is wrong, without the key
     */
    public static Quota parse(String text) {
      Matcher m = TEXT.matcher(text == null ? "" : text.strip());
      Duration window = m.matches() ? Durations.parse(m.group(2)).orElse(null) : null;
      if (window == null) {
        String shown = text == null ? "" : text.length() > 40 ? text.substring(0, 40) + "…" : text;
        throw new IllegalArgumentException("must be requests per window such as 1200/1m, 10/1s or 5000/1h (got '" + shown + "')");
      }
      return new Quota(Long.parseLong(m.group(1)), window);
    }

    /** The window in seconds, as {@code RateLimit-Policy} gives it. */
    public long windowSeconds() {
      return window.toSeconds();
    }

    /** As written in configuration: {@code 1200/1m}. */
    @Override
    public String toString() {
      return requests + "/" + Durations.format(window);
    }
  }
}
