package dev.vigil.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Without an API token (allowed on a loopback address only), serves only what a loopback client
 * sent on purpose: {@code Host} must name the loopback interface ({@code localhost},
 * {@code 127.0.0.0/8} or {@code [::1]}, with any port), and an {@code Origin}, when a browser sends
 * one, must be a loopback origin too. Anything else answers 403 before auth and routing.
 *
 * <p>Design note: a server without a token trusts whoever can connect to it, and on a loopback
 * address that is meant to be the machine's own processes. A browser on that machine is one of
 * them, driven by any web page: through DNS rebinding (attacker.example resolving to 127.0.0.1
 * after the page loaded, so its scripts talk to the server as their own origin, with {@code Host:
 * attacker.example}) or a plain cross-site request (a form or {@code fetch} from another site,
 * which carries that site's {@code Origin}, or {@code null} from a sandboxed or local page). The
 * browser always says which host it thinks it talks to and, for a cross-site request, which site
 * sent it; both are checked here. Names and addresses are matched as text, never resolved: a
 * lookup is what rebinding attacks. A request without {@code Host} (HTTP/1.0) is served, since
 * browsers always send one.
 */
final class LoopbackGuard implements Handler {
  private static final Pattern AUTHORITY = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+)(?::(\\d{1,5}))?");
  private static final Pattern IPV4 = Pattern.compile("127(?:\\.(?:0|[1-9]\\d{0,2})){3}");

  @Override
  public void handle(Context ctx) {
    String host = ctx.header("Host");
    if (host != null && !isLoopbackAuthority(host)) {
      throw forbidden(
          "host-not-allowed",
          "without server.api_token only loopback clients are served: Host must be localhost, 127.0.0.0/8 or [::1];"
              + " set server.api_token to serve other names");
    }
    String origin = ctx.header("Origin");
    if (origin != null && !isLoopbackOrigin(origin)) {
      throw forbidden(
          "cross-origin",
          "without server.api_token requests from other sites' pages are refused: Origin must be a loopback origin");
    }
  }

  /** {@code host} or {@code host:port}, the host {@code localhost}, in 127.0.0.0/8 or {@code [::1]}. */
  static boolean isLoopbackAuthority(String authority) {
    Matcher m = AUTHORITY.matcher(authority.trim());
    if (!m.matches()) {
      return false;
    }
    String port = m.group(2);
    return (port == null || Integer.parseInt(port) <= 65_535) && isLoopbackHost(m.group(1));
  }

  /** {@code http(s)://host[:port]} with a loopback host; {@code null} (an opaque origin) never is. */
  static boolean isLoopbackOrigin(String origin) {
    URI uri;
    try {
      uri = new URI(origin.trim());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return (scheme.equals("http") || scheme.equals("https"))
        && uri.getRawUserInfo() == null
        && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
        && uri.getRawQuery() == null
        && uri.getHost() != null
        && isLoopbackHost(uri.getHost());
  }

  private static boolean isLoopbackHost(String host) {
    if (host.startsWith("[")) {
      return isIpv6Loopback(host.substring(1, host.length() - 1));
    }
    return host.equalsIgnoreCase("localhost") || (IPV4.matcher(host).matches() && octetsInRange(host));
  }

  private static boolean octetsInRange(String ipv4) {
    for (String octet : ipv4.split("\\.")) {
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /** {@code ::1} in any spelling; an IPv4-mapped address is not taken for it. Never a lookup. */
  private static boolean isIpv6Loopback(String literal) {
    if (!literal.contains(":") || !literal.matches("[0-9A-Fa-f:]+")) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(literal); // a literal: parsed, not looked up
      return address instanceof Inet6Address && address.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static ApiProblem forbidden(String slug, String detail) {
    return Problem.of(403, slug, "Forbidden", detail).toException();
  }
}
