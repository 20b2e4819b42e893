package dev.vigil.carbon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelSizesTest {

  private final ModelSizes sizes = ModelSizes.shipped();

  @ParameterizedTest
  @CsvSource({
    "gpt-4o, 137.5",
    "gpt-4o-2024-08-06, 137.5",
    "gpt-4o-mini, 45",
    "gpt-4o-mini-2024-07-18, 45",
    "GPT-4o-Mini, 45",
    "claude-3-5-sonnet-20241022, 250",
    "claude-3-haiku@20240307, 112.5",
    "gemini-1.5-pro-002, 137.5",
    "mistral-large-2402, 337.5",
    "mistral-large-2411, 123",
    "mistral-large-latest, 123",
    "mistral-small-2402, 12.9",
    "mistral-small-2501, 24",
    "open-mixtral-8x22b, 39.1",
  })
  void known_names_with_or_without_a_version_suffix_resolve(String model, double activeB) {
    assertThat(sizes.lookup(model))
        .get()
        .extracting(ModelSizes.ModelSize::activeB)
        .isEqualTo(activeB);
  }

  @ParameterizedTest
  @CsvSource({"gpt-5", "gpt-4o-mini-search", "llama-3-70b", "claude-3-5-sonnet-v2", "''"})
  void unknown_names_or_unknown_suffixes_do_not_resolve(String model) {
    assertThat(sizes.lookup(model)).isEmpty();
  }

  @Test
  void a_closed_model_is_marked_undisclosed_and_an_open_one_disclosed() {
    assertThat(sizes.lookup("gpt-4o").orElseThrow().disclosed()).isFalse();
    assertThat(sizes.lookup("open-mistral-nemo-2407").orElseThrow().disclosed()).isTrue();
  }

  @Test
  void every_row_names_its_source() {
    assertThat(sizes.size()).isGreaterThan(20);
    assertThat(sizes.lookup("gpt-4").orElseThrow().source()).startsWith("ecologits:");
    assertThat(sizes.lookup(null)).isEmpty();
  }
}
