package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.llm.PriceRow;
import dev.vigil.llm.TokenCounts;
import dev.vigil.llm.UsdPerMillion;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.ServerTestSupport;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code GET} and {@code PUT /api/v1/llm/prices}: defaults, configured overrides, rows added and replaced, bad rows refused with nothing changed. */
class LlmPricesApiTest extends ServerTestSupport {
  private static final String ROW =
      """
      {"provider":"acme","model_pattern":"rocket-1","valid_from":"2025-01-01",
       "usd_per_million":{"input":1,"cached_input":0.5,"output":4}}""";

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.llmPrices(List.of(
        new PriceRow("acme", "configured-1", LocalDate.parse("2025-01-01"), UsdPerMillion.of("2", "1", "8"))));
  }

  private Reply put(String body) {
    return api.send(api.request("/api/v1/llm/prices").header("Content-Type", "application/json")
        .PUT(BodyPublishers.ofString(body)));
  }

  private List<JsonNode> rows() {
    Reply r = api.get("/api/v1/llm/prices");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return StreamSupport.stream(r.json().get("prices").spliterator(), false).toList();
  }

  private static List<String> patterns(List<JsonNode> rows, String provider) {
    return rows.stream().filter(r -> r.get("provider").asText().equals(provider))
        .map(r -> r.get("model_pattern").asText()).toList();
  }

  @Test
  void get_lists_the_shipped_defaults_and_the_configured_rows_in_the_documented_shape() {
    List<JsonNode> rows = rows();
    assertThat(rows).extracting(r -> r.get("provider").asText()).contains("openai", "anthropic", "google", "mistral");
    assertThat(patterns(rows, "acme")).containsExactly("configured-1");
    JsonNode mini = rows.stream().filter(r -> r.get("model_pattern").asText().startsWith("gpt-4o-mini")).findFirst().orElseThrow();
    assertThat(mini.get("valid_from").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(mini.get("usd_per_million").get("input").decimalValue()).isEqualByComparingTo("0.15");
    assertThat(mini.get("usd_per_million").get("cached_input").decimalValue()).isEqualByComparingTo("0.075");
    assertThat(mini.get("usd_per_million").get("output").decimalValue()).isEqualByComparingTo("0.60");
  }

  @Test
  void put_adds_rows_and_replaces_the_one_with_the_same_provider_pattern_and_date() {
    Reply added = put("{\"prices\":[" + ROW + "]}");
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    assertThat(patterns(rows(), "acme")).containsExactly("configured-1", "rocket-1");

    Reply replaced = put("{\"prices\":[" + ROW.replace("\"output\":4", "\"output\":6") + "]}");
    assertThat(replaced.status()).isEqualTo(200);
    List<JsonNode> acme = rows().stream().filter(r -> r.get("model_pattern").asText().equals("rocket-1")).toList();
    assertThat(acme).singleElement().satisfies(r ->
        assertThat(r.get("usd_per_million").get("output").decimalValue()).isEqualByComparingTo("6"));
    // the engine prices with the row put: 1M output tokens at 6 dollars
    assertThat(server.vigil().prices().cost("acme", "rocket-1", Instant.now(), TokenCounts.of(0, 1_000_000)))
        .get().satisfies(c -> assertThat(c).isEqualByComparingTo("6"));
  }

  @Test
  void a_bad_row_is_refused_with_problem_json_naming_it_and_nothing_is_added() {
    List<JsonNode> before = rows();
    String good = ROW.replace("rocket-1", "rocket-2");
    assertRefused("{\"prices\":[" + good + "," + ROW.replace("\"output\":4", "\"output\":-4") + "]}",
        "prices[1].usd_per_million.output");
    assertRefused("{\"prices\":[" + good + "," + ROW.replace("rocket-1", "rocket-(") + "]}", "prices[1].model_pattern");
    assertRefused("{\"prices\":[" + ROW.replace("\"provider\":\"acme\",", "") + "]}", "prices[0].provider");
    assertRefused("{\"prices\":[" + ROW.replace("\"provider\"", "\"tier\":1,\"provider\"") + "]}", "prices[0].tier");
    assertRefused("{\"prices\":[" + ROW.replace("2025-01-01", "yesterday") + "]}", "prices[0].valid_from");
    assertRefused("{\"rows\":[" + ROW + "]}", "rows");
    assertRefused("{}", "prices");
    assertThat(rows()).isEqualTo(before);
    assertThat(server.vigil().prices().rowFor("acme", "rocket-2", Instant.now())).isEmpty();
  }

  private void assertRefused(String body, String field) {
    Reply r = put(body);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
  }
}
