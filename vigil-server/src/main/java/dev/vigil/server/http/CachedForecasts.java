package dev.vigil.server.http;

import dev.vigil.observe.history.Forecast;
import dev.vigil.observe.history.Forecasts;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forecasts {@code /health/detailed} shows, computed at most once every {@link #TTL}: health
 * is polled often, and forecasts read an hour of history while they change slowly. Callers
 * arriving while they are computed wait for that answer rather than compute their own. When
 * history cannot be read the answer is empty (and logged): forecasts never fail health.
 */
final class CachedForecasts {
  static final Duration TTL = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(CachedForecasts.class);

  private final Forecasts forecasts;
  private final InstantSource clock;
  private Instant computedAt;
  private List<Forecast> last = List.of();

  CachedForecasts(Forecasts forecasts, InstantSource clock) {
    this.forecasts = forecasts;
    this.clock = clock;
  }

  synchronized List<Forecast> get() {
    Instant now = clock.instant();
    if (computedAt == null || !now.isBefore(computedAt.plus(TTL)) || now.isBefore(computedAt)) {
      computedAt = now;
      try {
        last = forecasts.compute();
      } catch (RuntimeException e) {
        log.warn("Could not compute forecasts from metric history: {}", e.toString());
        last = List.of();
      }
    }
    return last;
  }
}
