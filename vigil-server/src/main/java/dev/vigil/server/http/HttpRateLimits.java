package dev.vigil.server.http;

import dev.vigil.server.http.ClientBuckets.Take;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rate limits per client and {@link RouteClass}: wraps each limited route's handler so that a
 * request first takes one from its client's bucket for the route's class, and answers 429 {@code
 * rate-limited} with {@code Retry-After} when the bucket is empty. Runs after authentication and
 * routing: requests to unknown paths or refused for want of the token never count, and a refused request has not
 * read its body nor reached the engine, so it changes nothing.
 *
 * <p>The client is the API token's name when the token authenticated the request ({@link
 * BearerAuth#tokenName}), else the remote address. The address is the connection's own: headers
 * such as {@code X-Forwarded-For} are not trusted, since any client can write them; behind a
 * proxy without a token every client shares the proxy's address.
 *
 * <p>Every answer of a limited route, refusals included, carries the fields of
 * draft-ietf-httpapi-ratelimit-headers-10: {@code RateLimit-Policy: "read";q=1200;w=60} (the
 * class's quota and window in seconds) and {@code RateLimit: "read";r=1187;t=1} (requests left, and
 * whole seconds until one more is available). Refusals are counted by class in {@code
 * vigil_http_rate_limited_total{route_class}}; the client is never a label nor logged.
 */
final class HttpRateLimits {
  /** No route is limited. */
  static final HttpRateLimits OFF = new HttpRateLimits(Map.of());

  /** One class's limit: its quota, its clients' buckets, its policy field and its refusal counter (or null). */
  private record Limit(RouteClass routeClass, Quota quota, ClientBuckets buckets, String policy, Counter refused) {}

  private final Map<RouteClass, Limit> limits;

  private HttpRateLimits(Map<RouteClass, Limit> limits) {
    this.limits = limits;
  }

  /**
   * The limits of a server with {@code settings}: {@link #OFF} when they are switched off, or by
   * default when the server listens on a loopback address.
   *
   * @param registry where refusals are counted, or {@code null}
   */
  static HttpRateLimits of(HttpSettings settings, MeterRegistry registry) {
    if (!settings.limits().enabledOn(isLoopback(settings.host()))) {
      return OFF;
    }
    return of(settings.limits(), registry, TimeMeter.SYSTEM_MILLISECONDS, ClientBuckets.MAX_CLIENTS);
  }

  /** Limits on, with the quotas of {@code settings}, buckets timed by {@code time}, at most {@code maxClients} per class. */
  private static HttpRateLimits of(HttpLimitSettings settings, MeterRegistry registry, TimeMeter time, int maxClients) {
    var limits = new EnumMap<RouteClass, Limit>(RouteClass.class);
    for (RouteClass c : RouteClass.values()) {
      Quota quota = quota(settings, c);
      String policy = "\"" + c.wireName() + "\";q=" + quota.requests() + ";w=" + quota.windowSeconds();
      Counter refused =
          registry == null
              ? null
              : Counter.builder("vigil.http.rate.limited")
                  .description("requests refused with 429 by the HTTP rate limits, by route class")
                  .tag("route_class", c.wireName())
                  .register(registry);
      limits.put(c, new Limit(c, quota, new ClientBuckets(quota, time, maxClients), policy, refused));
    }
    return new HttpRateLimits(limits);
  }

  /** {@code handler}, behind the limit of its route's class; {@code handler} itself when the route is not limited. */
  Handler guard(HandlerType method, String path, Handler handler) {
    Optional<Limit> limit = RouteClass.of(method, path).map(limits::get);
    if (limit.isEmpty()) {
      return handler;
    }
    Limit l = limit.get();
    return ctx -> {
      admit(ctx, l);
      handler.handle(ctx);
    };
  }

  private static void admit(Context ctx, Limit limit) {
    Take take = limit.buckets().take(client(ctx));
    String name = limit.routeClass().wireName();
    ctx.header("RateLimit-Policy", limit.policy());
    ctx.header("RateLimit", "\"" + name + "\";r=" + take.remaining() + ";t=" + take.seconds());
    if (!take.allowed()) {
      if (limit.refused() != null) {
        limit.refused().increment();
      }
      throw Problem.rateLimited(
              "this client sent more " + name + " requests than its quota of " + limit.quota()
                  + " allows; nothing was done, try again after Retry-After",
              Duration.ofSeconds(take.seconds()))
          .toException();
    }
  }

  private static String client(Context ctx) {
    String token = BearerAuth.tokenName(ctx);
    return token != null ? "token:" + token : "address:" + ctx.ip();
  }

  private static Quota quota(HttpLimitSettings settings, RouteClass c) {
    return switch (c) {
      case READ -> settings.read();
      case WRITE -> settings.write();
      case CLAIM -> settings.claim();
    };
  }

  /** Whether {@code host} is a loopback address; a name that does not resolve is taken for one that is not. */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
