package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.InvalidRequestException.FieldError;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static java.util.List<FieldError> problems(String json) throws Exception {
    return JsonText.problems(MAPPER.readTree(json), "payload");
  }

  @Test
  void text_is_well_formed_when_every_surrogate_is_half_of_a_pair() {
    assertThat(JsonText.isWellFormed("plain é 😀")).isTrue();
    assertThat(JsonText.isWellFormed("")).isTrue();
    assertThat(JsonText.isWellFormed("\ud800")).isFalse();
    assertThat(JsonText.isWellFormed("\udc00\ud800")).isFalse();
    assertThat(JsonText.isWellFormed("x\ud83d")).isFalse();
    assertThat(JsonText.isWellFormed("\ude00x")).isFalse();
  }

  @Test
  void every_unstorable_value_is_named_by_its_path() throws Exception {
    assertThat(problems("{\"a\":[1,{\"b\":\"\\ud800\"}],\"n\":1e999,\"ok\":\"\\ud83d\\ude00\"}"))
        .extracting(FieldError::field)
        .containsExactly("payload.a[1].b", "payload.n");
    assertThat(problems("{\"o\":{\"\\udc00\":1}}")).extracting(FieldError::field).containsExactly("payload.o");
    assertThat(problems("-1e400")).extracting(FieldError::field).containsExactly("payload");
    assertThat(problems("{\"big\":123456789012345678901234567890,\"max\":1.7976931348623157e308}")).isEmpty();
  }

  @Test
  void a_value_full_of_problems_reports_a_bounded_number_of_them() throws Exception {
    String many = "[" + "\"\\ud800\",".repeat(100) + "1]";

    assertThat(problems(many)).hasSize(JsonText.MAX_PROBLEMS);
  }

  @Test
  void a_long_field_name_is_shortened_in_the_path_without_splitting_a_pair() throws Exception {
    String key = "k".repeat(63) + "😀" + "tail";

    FieldError e = problems("{\"" + key + "\":\"\\ud800\"}").get(0);

    assertThat(e.field()).isEqualTo("payload." + "k".repeat(63) + "…");
    assertThat(JsonText.isWellFormed(e.field())).isTrue();
  }
}
