package dev.vigil.server.http;

import java.time.Duration;
import java.util.List;

/**
 * What the HTTP layer needs to know of the server's configuration.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param apiToken the bearer token required on every path but {@code openPaths}, or {@code null}
 * @param openPaths paths served without the token: exact, or a prefix ending in {@code /*}
 * @param maxBodyBytes the largest request body read; larger ones are refused with 413 unread
 * @param maxPayloadBytes the engine's payload limit; larger payloads are refused with 413
 * @param defaultLease the lease of a claim that does not give {@code lease_ms}
 * @param maxConnections the most connections open at once; further ones wait to be accepted
 * @param headerTimeout how long a connection may take to send a request's headers, from its
 *     opening or the end of the previous answer
 * @param limits the rate limits per client and route class ({@code http_limits.*}); {@code null} for
 *     the defaults
 */
public record HttpSettings(
    String host,
    int port,
    String apiToken,
    List<String> openPaths,
    long maxBodyBytes,
    int maxPayloadBytes,
    Duration defaultLease,
    int maxConnections,
    Duration headerTimeout,
    HttpLimitSettings limits) {

  /** The connection limit when none is given. */
  public static final int DEFAULT_MAX_CONNECTIONS = 1_000;

  /** The header timeout when none is given. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(20);

  public HttpSettings {
    openPaths = List.copyOf(openPaths);
    limits = limits == null ? HttpLimitSettings.DEFAULTS : limits;
  }

  /** With the default rate limits: on unless {@code host} is a loopback address. */
  public HttpSettings(
      String host,
      int port,
      String apiToken,
      List<String> openPaths,
      long maxBodyBytes,
      int maxPayloadBytes,
      Duration defaultLease,
      int maxConnections,
      Duration headerTimeout) {
    this(host, port, apiToken, openPaths, maxBodyBytes, maxPayloadBytes, defaultLease, maxConnections, headerTimeout,
        HttpLimitSettings.DEFAULTS);
  }

  /** With the default connection limit and header timeout. */
  public HttpSettings(
      String host,
      int port,
      String apiToken,
      List<String> openPaths,
      long maxBodyBytes,
      int maxPayloadBytes,
      Duration defaultLease) {
    this(host, port, apiToken, openPaths, maxBodyBytes, maxPayloadBytes, defaultLease, DEFAULT_MAX_CONNECTIONS,
        DEFAULT_HEADER_TIMEOUT);
  }
}
