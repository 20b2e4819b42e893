package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.InvalidRequestException;
import dev.vigil.InvalidRequestException.FieldError;
import dev.vigil.job.JobRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobRequestJsonTest {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private static final JobRequest EVERY_FIELD =
      JobRequest.builder("generate_reply")
          .lane("cognition")
          .payloadJson("{\"post_id\":\"p1\",\"n\":[1,2.5,null]}")
          .runAt(Instant.parse("2026-01-01T08:30:00.123Z"))
          .delay(Duration.ofMillis(1_500))
          .maxAttempts(4)
          .timeout(Duration.ofMillis(15_000))
          .uniqueKey("reply:p1:persona2")
          .correlationId("c-123")
          .parentId("0190a1b2-parent")
          .tags(List.of("chat", "persona2"))
          .build();

  @Test
  void every_field_survives_a_write_and_read() {
    ObjectNode json = JobRequestJson.write(EVERY_FIELD, MAPPER);

    assertThat(JobRequestJson.read(json, MAPPER)).isEqualTo(EVERY_FIELD);
  }

  @Test
  void every_field_survives_a_trip_through_json_text() throws Exception {
    String text = JobRequestJson.write(EVERY_FIELD, MAPPER).toString();

    assertThat(JobRequestJson.read(MAPPER.readTree(text), MAPPER)).isEqualTo(EVERY_FIELD);
  }

  @Test
  void written_json_uses_the_http_api_names_and_units() {
    ObjectNode json = JobRequestJson.write(EVERY_FIELD, MAPPER);

    assertThat(json.properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder(
            "type",
            "lane",
            "payload",
            "run_at",
            "delay_ms",
            "max_attempts",
            "timeout_ms",
            "unique_key",
            "correlation_id",
            "parent_id",
            "tags");
    assertThat(json.get("payload").isObject()).as("payload is a JSON value, not a string").isTrue();
    assertThat(json.get("run_at").asText()).isEqualTo("2026-01-01T08:30:00.123Z");
    assertThat(json.get("delay_ms").asLong()).isEqualTo(1_500);
    assertThat(json.get("timeout_ms").asLong()).isEqualTo(15_000);
    assertThat(json.get("tags").isArray()).isTrue();
  }

  @Test
  void unset_fields_are_left_out_and_read_back_as_unset() {
    ObjectNode json = JobRequestJson.write(JobRequest.builder("ping").build(), MAPPER);

    assertThat(json.toString()).isEqualTo("{\"type\":\"ping\"}");
    assertThat(JobRequestJson.read(json, MAPPER)).isEqualTo(JobRequest.builder("ping").build());
  }

  @Test
  void a_payload_object_is_written_as_json_and_read_back_as_json_text() {
    JobRequest request = JobRequest.builder("t").payload(Map.of("post_id", "p1")).build();

    JobRequest back = JobRequestJson.read(JobRequestJson.write(request, MAPPER), MAPPER);

    assertThat(back.payloadJson()).isEqualTo("{\"post_id\":\"p1\"}");
    assertThat(back.payload()).isNull();
  }

  @Test
  void the_api_reference_example_is_read_with_nulls_as_absent() throws Exception {
    String example =
        """
        {"type":"generate_reply","lane":"cognition","payload":{"post_id":"p1"},
         "run_at":null,"delay_ms":0,"max_attempts":3,"timeout_ms":15000,
         "unique_key":"reply:p1:persona2","correlation_id":"c-123","parent_id":null,"tags":["chat"]}
        """;

    JobRequest r = JobRequestJson.read(MAPPER.readTree(example), MAPPER);

    assertThat(r)
        .isEqualTo(
            JobRequest.builder("generate_reply")
                .lane("cognition")
                .payloadJson("{\"post_id\":\"p1\"}")
                .delay(Duration.ZERO)
                .maxAttempts(3)
                .timeout(Duration.ofSeconds(15))
                .uniqueKey("reply:p1:persona2")
                .correlationId("c-123")
                .tags(List.of("chat"))
                .build());
  }

  @Test
  void a_json_null_payload_means_no_payload() throws Exception {
    JobRequest r =
        JobRequestJson.read(MAPPER.readTree("{\"type\":\"t\",\"payload\":null}"), MAPPER);

    assertThat(r.payloadJson()).isNull();
  }

  @Test
  void unknown_fields_are_each_reported_by_name() throws Exception {
    JsonNode json = MAPPER.readTree("{\"type\":\"t\",\"priority\":1,\"Lane\":\"x\",\"delayMs\":5}");

    assertThatThrownBy(() -> JobRequestJson.read(json, MAPPER))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FieldError::field)
                  .containsExactlyInAnyOrder("priority", "Lane", "delayMs");
              assertThat(e.errors()).extracting(FieldError::message).containsOnly("unknown field");
            });
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          type           | 5
          type           | ["a"]
          lane           | true
          run_at         | 1767225600000
          run_at         | "tomorrow"
          run_at         | "2026-01-01 08:00"
          delay_ms       | "1000"
          delay_ms       | 1.5
          delay_ms       | 99999999999999999999999
          max_attempts   | "3"
          max_attempts   | 3.0
          timeout_ms     | []
          timeout_ms     | {}
          unique_key     | {"k":1}
          correlation_id | 1
          parent_id      | false
          tags           | "chat"
          tags           | ["chat", 1]
          tags           | {"0":"chat"}
          """)
  void a_field_of_the_wrong_json_type_is_reported_by_name(String field, String value)
      throws Exception {
    String json = "{\"type\":\"t\",\"" + field + "\":" + value + "}";
    if (field.equals("type")) {
      json = "{\"type\":" + value + "}";
    }
    JsonNode node = MAPPER.readTree(json);

    assertThatThrownBy(() -> JobRequestJson.read(node, MAPPER))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly(field));
  }

  @Test
  void every_bad_field_is_reported_at_once() throws Exception {
    JsonNode node =
        MAPPER.readTree(
            "{\"type\":1,\"lane\":2,\"run_at\":\"soon\",\"delay_ms\":\"x\",\"max_attempts\":[],"
                + "\"timeout_ms\":true,\"unique_key\":3,\"correlation_id\":4,\"parent_id\":5,"
                + "\"tags\":6,\"extra\":7}");

    assertThatThrownBy(() -> JobRequestJson.read(node, MAPPER))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                        "extra",
                        "type",
                        "lane",
                        "run_at",
                        "delay_ms",
                        "max_attempts",
                        "timeout_ms",
                        "unique_key",
                        "correlation_id",
                        "parent_id",
                        "tags"));
  }

  @Test
  void a_max_attempts_beyond_int_range_stays_out_of_range_instead_of_wrapping() throws Exception {
    // 4294967299 would wrap to 3 in an int cast and pass validation as a sane value.
    JobRequest r =
        JobRequestJson.read(
            MAPPER.readTree("{\"type\":\"t\",\"max_attempts\":4294967299}"), MAPPER);

    assertThat(r.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[{\"type\":\"t\"}]", "\"t\"", "42", "true", "null"})
  void anything_but_a_json_object_is_refused(String text) throws Exception {
    JsonNode node = MAPPER.readTree(text);

    assertThatThrownBy(() -> JobRequestJson.read(node, MAPPER))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("JSON object");
  }

  @Test
  void a_missing_document_is_refused() {
    assertThatThrownBy(() -> JobRequestJson.read(null, MAPPER))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void writing_a_request_whose_payload_text_is_not_json_is_refused_on_payload() {
    JobRequest request = JobRequest.builder("t").payloadJson("{\"a\":").build();

    assertThatThrownBy(() -> JobRequestJson.write(request, MAPPER))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("payload"));
  }
}
