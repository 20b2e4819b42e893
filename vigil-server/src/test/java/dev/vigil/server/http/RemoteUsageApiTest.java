package dev.vigil.server.http;

import static dev.vigil.server.http.JobsApiTest.errorFields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.job.RetryPolicy;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Remote workers report their model calls as {@code usage} records with {@code complete} and
 * {@code fail}: stored with the attempt and summed in the job's {@code usage}; a request with any
 * bad record is refused with 400 and stores nothing.
 */
class RemoteUsageApiTest extends ServerTestSupport {

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO))
        .llmPrices(List.of(
            new PriceRow("acme", "rocket-1", LocalDate.parse("2025-01-01"), UsdPerMillion.of("2", "1", "8"))));
  }

  private String token() {
    return claim("py-1", "social").get(0).get("lease_token").asText();
  }

  @Test
  void usage_sent_with_fail_and_complete_is_summed_with_the_failed_attempts_cost_apart() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    Reply failed =
        api.post("/api/v1/jobs/" + id + "/fail",
            ("{\"lease_token\":\"%s\",\"error\":{\"type\":\"Timeout\"},\"usage\":[{\"provider\":\"acme\","
                    + "\"model\":\"rocket-1\",\"input_tokens\":1000,\"output_tokens\":500,\"duration_ms\":900}]}")
                .formatted(token()));
    assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("ready"));

    Reply done =
        api.post("/api/v1/jobs/" + id + "/complete",
            ("{\"lease_token\":\"%s\",\"result\":{},\"usage\":[{\"provider\":\"acme\",\"model\":\"rocket-1\","
                    + "\"operation\":\"chat\",\"input_tokens\":2000,\"cached_input_tokens\":1000,\"output_tokens\":250,"
                    + "\"reasoning_tokens\":0,\"duration_ms\":400.5,\"outcome\":\"ok\"},"
                    + "{\"provider\":\"acme\",\"model\":\"unknown-x\",\"input_tokens\":5,\"output_tokens\":5,"
                    + "\"cost_usd\":0.25,\"outcome\":\"error\"}]}")
                .formatted(token()));
    assertThat(done.status()).as(done.toString()).isEqualTo(200);

    JsonNode usage = api.get("/api/v1/jobs/" + id).json().get("usage");
    assertThat(usage.get("calls").asLong()).isEqualTo(3);
    assertThat(usage.get("input_tokens").asLong()).isEqualTo(3_005);
    assertThat(usage.get("output_tokens").asLong()).isEqualTo(755);
    // (1000 x 2 + 500 x 8) / 1e6 = 0.006 failed; (1000 x 2 + 1000 x 1 + 250 x 8) / 1e6 = 0.005; 0.25 as sent
    assertThat(usage.get("cost_usd").decimalValue()).isEqualByComparingTo("0.261");
    assertThat(usage.get("retry_cost_usd").decimalValue()).isEqualByComparingTo("0.006");
  }

  @Test
  void a_bad_record_is_refused_with_400_naming_it_and_nothing_is_stored() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    String token = token();

    Reply refused =
        api.post("/api/v1/jobs/" + id + "/complete",
            ("{\"lease_token\":\"%s\",\"usage\":[{\"provider\":\"acme\",\"model\":\"rocket-1\",\"input_tokens\":10},"
                    + "{\"provider\":\"acme\",\"model\":\"rocket-1\",\"input_tokens\":-1,\"output_tokens\":\"many\","
                    + "\"cost_usd\":-0.5,\"colour\":\"red\"},{\"model\":\"rocket-1\",\"outcome\":\"meh\"}]}")
                .formatted(token));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(errorFields(refused))
        .contains(
            "usage[1].input_tokens", "usage[1].output_tokens", "usage[1].cost_usd", "usage[1].colour",
            "usage[2].provider", "usage[2].outcome")
        .noneMatch(f -> f.startsWith("usage[0]"));
    assertThat(state(id)).isEqualTo("running");
    Reply ok = api.post("/api/v1/jobs/" + id + "/complete", "{\"lease_token\":\"%s\"}".formatted(token));
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(api.get("/api/v1/jobs/" + id).json().get("usage").isNull()).isTrue();
  }

  @Test
  void more_than_a_thousand_records_or_usage_that_is_not_an_array_are_refused() {
    String id = enqueue("remote_summarise", "social").get("id").asText();
    String token = token();
    String record = "{\"provider\":\"acme\",\"model\":\"rocket-1\",\"input_tokens\":1}";
    String many = String.join(",", java.util.Collections.nCopies(1_001, record));

    Reply tooMany = api.post("/api/v1/jobs/" + id + "/complete",
        "{\"lease_token\":\"%s\",\"usage\":[%s]}".formatted(token, many));
    Reply notArray = api.post("/api/v1/jobs/" + id + "/fail",
        "{\"lease_token\":\"%s\",\"error\":{\"type\":\"X\"},\"usage\":{}}".formatted(token));

    assertThat(tooMany.status()).as(tooMany.toString()).isEqualTo(400);
    assertThat(errorFields(tooMany)).containsExactly("usage");
    assertThat(notArray.status()).as(notArray.toString()).isEqualTo(400);
    assertThat(errorFields(notArray)).containsExactly("usage");
    assertThat(state(id)).isEqualTo("running");
  }
}
