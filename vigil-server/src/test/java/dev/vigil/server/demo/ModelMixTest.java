package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.llm.PriceTable;
import dev.vigil.llm.TokenCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ModelMixTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final PriceTable PRICES = PriceTable.withDefaults();

  private final ModelMix mix = new ModelMix(new Random(7));

  @Test
  void every_model_of_the_mix_is_priced_by_the_default_table_except_the_one_left_unpriced() {
    List<ModelMix.Model> models = new ArrayList<>();
    Stream.of(ModelMix.CHAT, ModelMix.POST, ModelMix.DREAM, ModelMix.DIGEST).forEach(a -> models.addAll(List.of(a)));
    models.add(ModelMix.REASONING);

    assertThat(models)
        .allSatisfy(m -> assertThat(PRICES.rowFor(m.provider(), m.model(), NOW)).as("%s", m).isPresent());
    assertThat(PRICES.rowFor(ModelMix.UNPRICED.provider(), ModelMix.UNPRICED.model(), NOW)).isEmpty();
  }

  @Test
  void chat_calls_use_small_models_with_600_to_2000_input_tokens_some_cached_and_a_few_unpriced() {
    List<ModelMix.Model> smallOrUnpriced = new ArrayList<>(List.of(ModelMix.CHAT));
    smallOrUnpriced.add(ModelMix.UNPRICED);
    int n = 10_000;
    int unpriced = 0;
    int cached = 0;
    for (int i = 0; i < n; i++) {
      ModelMix.Call call = mix.chat();
      TokenCounts t = call.tokens();
      assertThat(t.input()).isBetween(600L, 2_000L);
      assertThat(t.output()).isBetween(50L, 400L);
      assertThat(t.cachedInput()).isLessThanOrEqualTo(t.input() * 8 / 10 + 1);
      assertThat(t.reasoning()).isZero();
      assertThat(call.model()).isIn(smallOrUnpriced);
      unpriced += call.model() == ModelMix.UNPRICED ? 1 : 0;
      cached += t.cachedInput() > 0 ? 1 : 0;
    }
    assertThat(unpriced).as("unpriced chat calls of %s", n).isBetween(200, 400);
    assertThat(cached).as("calls with a cached prefix of %s", n).isBetween(5_000, 7_000);
  }

  @Test
  void a_dream_writes_with_one_big_model_and_reasons_every_third_step_with_tokens_cached_after_the_first() {
    ModelMix.Model dreamer = mix.dreamer();
    List<ModelMix.Call> steps = new ArrayList<>();
    for (int step = 1; step <= 10; step++) {
      steps.add(mix.dreamStep(dreamer, step));
    }

    assertThat(List.of(ModelMix.DREAM)).contains(dreamer);
    assertThat(steps.getFirst().tokens().cachedInput()).isZero();
    for (int step = 1; step <= 10; step++) {
      ModelMix.Call call = steps.get(step - 1);
      assertThat(call.tokens().input()).isBetween(4_000L, 12_000L);
      if (step % 3 == 0) {
        assertThat(call.model()).isEqualTo(ModelMix.REASONING);
        assertThat(call.tokens().reasoning()).isPositive().isLessThan(call.tokens().output());
      } else {
        assertThat(call.model()).isEqualTo(dreamer);
        assertThat(call.tokens().reasoning()).isZero();
      }
      if (step > 1) {
        assertThat(call.tokens().cachedInput()).as("step %s", step).isPositive();
      }
    }
  }

  @Test
  void a_failed_call_is_billed_for_its_input_only() {
    ModelMix.Call call = mix.post();

    assertThat(call.inputOnly())
        .isEqualTo(new TokenCounts(call.tokens().input(), call.tokens().cachedInput(), 0, 0));
    assertThat(PRICES.cost(call.model().provider(), call.model().model(), NOW, call.inputOnly()).orElseThrow())
        .isPositive();
  }

  @Test
  void the_same_seed_draws_the_same_calls() {
    var a = new ModelMix(new Random(42));
    var b = new ModelMix(new Random(42));

    for (int i = 0; i < 100; i++) {
      assertThat(a.chat()).isEqualTo(b.chat());
      assertThat(a.digest()).isEqualTo(b.digest());
    }
  }
}
