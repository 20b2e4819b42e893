package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Vigil;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * Label values come from bounded sets: 10,000 jobs, each with its own unique key and correlation
 * id, leave the number of series exactly where 100 jobs left it, and no key or id reaches a label.
 */
class MetricsCardinalityTest extends ServerTestSupport {
  private static final int FIRST = 100;
  private static final int TOTAL = 10_000;
  private static final int BATCH = 1_000;

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("echo", ctx -> {});
  }

  @Test
  void ten_thousand_distinct_unique_keys_and_correlation_ids_do_not_grow_the_series() {
    enqueueJobs(0, FIRST);
    awaitSucceeded(FIRST);
    api.get("/metrics"); // the first scrape records its own request; count from the second
    Scrape after100 = scrape();

    for (int from = FIRST; from < TOTAL; from += BATCH) {
      enqueueJobs(from, Math.min(TOTAL, from + BATCH));
    }
    awaitSucceeded(TOTAL);
    Scrape after10k = scrape();

    assertThat(after10k.value("vigil_jobs_succeeded_total", "lane", "cognition", "type", "echo")).isEqualTo(TOTAL);
    assertThat(after10k.vigilSeries()).as(after10k.countsByName().toString()).isEqualTo(after100.vigilSeries());
    assertThat(after10k.samples().size()).isLessThan(after100.samples().size() + 50);
    assertThat(after10k.text()).doesNotContain("key-4242").doesNotContain("corr-4242").doesNotContain("user-");
  }

  private void enqueueJobs(int from, int to) {
    var jobs = new StringJoiner(",", "{\"jobs\":[", "]}");
    for (int i = from; i < to; i++) {
      jobs.add(
          "{\"type\":\"echo\",\"lane\":\"cognition\",\"unique_key\":\"key-%d\",\"correlation_id\":\"corr-%d\",\"payload\":{\"user\":\"user-%d\"}}"
              .formatted(i, i, i));
    }
    Reply reply = api.post("/api/v1/jobs/batch", jobs.toString());
    assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
  }

  private void awaitSucceeded(int n) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/api/v1/stats").json().get("jobs").get("succeeded").asLong() == n);
  }

  private Scrape scrape() {
    return new Scrape(api.get("/metrics").text());
  }
}
