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
 */
public record HttpSettings(
    String host,
    int port,
    String apiToken,
    List<String> openPaths,
    long maxBodyBytes,
    int maxPayloadBytes,
    Duration defaultLease) {

  public HttpSettings {
    openPaths = List.copyOf(openPaths);
  }
}
