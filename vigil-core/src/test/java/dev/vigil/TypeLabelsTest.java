package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeLabelsTest {

  @Test
  void the_first_types_keep_their_name_and_every_later_one_is_other() {
    var labels = new TypeLabels(Set.of());
    for (int i = 0; i < TypeLabels.MAX_TYPES; i++) {
      assertThat(labels.of("type-" + i)).isEqualTo("type-" + i);
    }

    assertThat(labels.of("one-too-many")).isEqualTo("other");
    assertThat(labels.of("type-7")).isEqualTo("type-7");
    assertThat(labels.size()).isEqualTo(TypeLabels.MAX_TYPES);
  }

  @Test
  void types_with_a_handler_keep_their_name_however_many_types_clients_invent() {
    var labels = new TypeLabels(Set.of("generate_reply"));
    for (int i = 0; i < 10 * TypeLabels.MAX_TYPES; i++) {
      labels.of("invented-" + i);
    }

    assertThat(labels.of("generate_reply")).isEqualTo("generate_reply");
    assertThat(labels.size()).isEqualTo(TypeLabels.MAX_TYPES);
  }

  @Test
  void a_request_without_a_valid_type_is_labelled_invalid_and_takes_no_place() {
    var labels = new TypeLabels(Set.of());

    assertThat(labels.ofRequest(null)).isEqualTo("invalid");
    assertThat(labels.ofRequest("")).isEqualTo("invalid");
    assertThat(labels.ofRequest("user@example.com says hi")).isEqualTo("invalid");
    assertThat(labels.ofRequest("x".repeat(201))).isEqualTo("invalid");
    assertThat(labels.ofRequest("digest.daily")).isEqualTo("digest.daily");
    assertThat(labels.size()).isEqualTo(1);
  }
}
