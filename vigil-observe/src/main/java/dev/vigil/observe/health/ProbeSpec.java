package dev.vigil.observe.health;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dependency probe the user configures: a TCP connect ({@code tcp: host:port}, e.g. Redis or
 * Neo4j) or an HTTP GET ({@code http: url}, e.g. the LLM provider), each with a timeout. Its
 * {@code name} is the check's name in the health report.
 *
 * <p>Health answers and logs show a probe by its name and {@link #shownTarget()} only: scheme,
 * host and port. A URL's user info, path and query often carry credentials (a key in the query,
 * a token in the path), so they are used to probe and never shown.
 */
public record ProbeSpec(String name, Kind kind, String target, Duration timeout) {
  /** How the dependency is reached. */
  public enum Kind {
    TCP,
    HTTP
  }

  /** The timeout when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

  /** A host name or IPv4 address, or an IPv6 address in brackets: nothing that could hide a credential. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})|\\[[0-9A-Fa-f:.]{2,45}]");

  /**
   * @throws IllegalArgumentException naming the bad part: {@code name}, {@code tcp}, {@code http}
   *     or {@code timeout_ms}
   */
  public ProbeSpec {
    Objects.requireNonNull(kind, "kind");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name: must be lower-case letters, digits, '_' or '-', starting with a letter");
    }
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.toMillis() < 1 || timeout.toMillis() > 60_000) {
      throw new IllegalArgumentException("timeout_ms: must be between 1 and 60000");
    }
    if (kind == Kind.TCP) {
      hostAndPort(target);
    } else {
      url(target);
    }
  }

  public static ProbeSpec tcp(String name, String hostPort, Duration timeout) {
    return new ProbeSpec(name, Kind.TCP, hostPort, timeout);
  }

  public static ProbeSpec http(String name, String url, Duration timeout) {
    return new ProbeSpec(name, Kind.HTTP, url, timeout);
  }

  /** The check that probes this dependency. */
  public HealthCheck check() {
    if (kind == Kind.TCP) {
      String[] hp = hostAndPort(target);
      return Checks.tcp(hp[0], Integer.parseInt(hp[1]), timeout);
    }
    return Checks.http(url(target), timeout);
  }

  private static String[] hostAndPort(String target) {
    int colon = target == null ? -1 : target.lastIndexOf(':');
    if (colon <= 0 || colon == target.length() - 1) {
      throw new IllegalArgumentException("tcp: must be host:port");
    }
    String host = target.substring(0, colon);
    if (!HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("tcp: must be host:port, the host a name or an address ([::1] for IPv6)");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tcp: must be host:port");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("tcp: the port must be between 1 and 65535");
    }
    return new String[] {host, Integer.toString(port)};
  }

  private static URI url(String target) {
    URI uri;
    try {
      uri = target == null ? null : URI.create(target);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw new IllegalArgumentException("http: must be an http:// or https:// URL with a host");
    }
    return uri;
  }

  /**
   * What a health answer or a log line shows of the target: {@code tcp://host:port}, or a URL's
   * scheme, host and port ({@code https://api.example.com:443}), never its user info, path or
   * query.
   */
  public String shownTarget() {
    if (kind == Kind.TCP) {
      String[] hp = hostAndPort(target);
      String host = hp[0].contains(":") ? "[" + hp[0] + "]" : hp[0];
      return "tcp://" + host + ":" + hp[1];
    }
    return shown(url(target));
  }

  /** {@code scheme://host:port} of {@code url}; the scheme's default port when it names none. */
  static String shown(URI url) {
    String scheme = url.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + url.getHost() + ":" + port;
  }

  /** The same, showing the target as {@link #shownTarget()} does. */
  @Override
  public String toString() {
    return "ProbeSpec[" + name + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + shownTarget() + " "
        + timeout.toMillis() + " ms]";
  }
}
