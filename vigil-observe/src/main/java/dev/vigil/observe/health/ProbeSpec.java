package dev.vigil.observe.health;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dependency probe the user configures: a TCP connect ({@code tcp: host:port}, e.g. Redis or
 * Neo4j) or an HTTP GET ({@code http: url}, e.g. the LLM provider), each with a timeout. Its
 * {@code name} is the check's name in the health report.
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

  /** The same, never showing a URL's user info or query (they may carry credentials). */
  @Override
  public String toString() {
    String shown = target;
    if (kind == Kind.HTTP) {
      URI u = url(target);
      shown = u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + u.getRawPath();
    }
    return "ProbeSpec[" + name + " " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + shown + " "
        + timeout.toMillis() + " ms]";
  }
}
