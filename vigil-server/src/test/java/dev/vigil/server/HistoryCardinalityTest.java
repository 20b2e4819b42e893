package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.InvalidRequestException;
import dev.vigil.observe.history.HistoryFunction;
import dev.vigil.observe.history.HistoryQuery;
import dev.vigil.observe.history.HistorySettings;
import dev.vigil.observe.history.MetricHistory;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.server.ApiClient.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * History is bounded by the same label caps as {@code /metrics}: once 200 job types have their own
 * label, 10,000 more distinct types, each job with its own unique key and a user id in its payload,
 * leave the number of Vigil's stored series exactly where it was (the JVM's may gain one when a
 * first collection of some kind happens), and no key, payload or user id reaches a stored label.
 */
class HistoryCardinalityTest extends ServerTestSupport {
  private static final int FIRST = 300;
  private static final int MORE = 10_000;
  private static final int BATCH = 1_000;

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.history(HistorySettings.DEFAULTS.withInterval(Duration.ofSeconds(1)));
  }

  @Test
  void ten_thousand_distinct_job_types_and_unique_keys_leave_the_stored_series_flat() {
    HistoryStore store = Stores.history(server.vigil().store());
    MetricHistory history = server.metricHistory().orElseThrow();

    enqueue(0, FIRST);
    awaitEnqueuedOther(history, FIRST - 200);
    List<StoredSeries> after300 = store.series();

    for (int from = FIRST; from < FIRST + MORE; from += BATCH) {
      enqueue(from, from + BATCH);
    }
    awaitEnqueuedOther(history, FIRST - 200 + MORE);
    server.runHistoryDueNow();
    List<StoredSeries> after10k = store.series();

    // JVM meters may appear meanwhile (a first garbage collection of some kind); Vigil's may not
    assertThat(vigil(after10k)).hasSameSizeAs(vigil(after300));
    assertThat(after10k.size()).isLessThanOrEqualTo(after300.size() + 5);
    assertThat(after10k.stream().filter(s -> s.key().name().equals("vigil_jobs_enqueued_total")))
        .as("200 types and other").hasSize(201);
    assertThat(after10k).allSatisfy(s -> assertThat(s.key().labels().values())
        .noneMatch(v -> v.startsWith("key-") || v.startsWith("user-") || v.contains("{"))
        .noneMatch(v -> v.matches("t\\d+") && Integer.parseInt(v.substring(1)) >= FIRST));
  }

  private static List<StoredSeries> vigil(List<StoredSeries> series) {
    return series.stream().filter(s -> s.key().name().startsWith("vigil_")).toList();
  }

  /** Waits for a snapshot that counted {@code n} jobs of types beyond the cap as {@code other}. */
  private void awaitEnqueuedOther(MetricHistory history, int n) {
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(InvalidRequestException.class) // until the first snapshot holds the metric
        .until(() -> {
      Instant now = Instant.now();
      var r = history.query(HistoryQuery.builder("vigil_jobs_enqueued_total").fn(HistoryFunction.INCREASE)
          .match("type", "other").from(now).to(now).step(Duration.ofMinutes(15)).build());
      return !r.series().isEmpty() && r.series().getFirst().points().getFirst().value() == n;
    });
  }

  private void enqueue(int from, int to) {
    var jobs = new StringJoiner(",", "{\"jobs\":[", "]}");
    for (int i = from; i < to; i++) {
      jobs.add(
          "{\"type\":\"t%d\",\"lane\":\"background\",\"unique_key\":\"key-%d\",\"payload\":{\"user\":\"user-%d\"}}"
              .formatted(i, i, i));
    }
    Reply reply = api.post("/api/v1/jobs/batch", jobs.toString());
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }
}
