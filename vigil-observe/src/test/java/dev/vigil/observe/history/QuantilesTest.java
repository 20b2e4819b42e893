package dev.vigil.observe.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The cases of Prometheus's {@code histogram_quantile}, worked by hand. */
class QuantilesTest {
  private static final double[] BOUNDS = {1, 2, 4, 8};
  private static final double[] CUMULATIVE = {1, 3, 6, 10};

  @Test
  void the_rank_is_interpolated_linearly_inside_its_bucket() {
    // rank 5 of 10 falls in (2, 4], which holds ranks 4..6: 2 + 2 * (5 - 3) / 3
    assertThat(Quantiles.quantile(0.5, BOUNDS, CUMULATIVE, 10)).isCloseTo(2 + 4.0 / 3, within(1e-12));
    // rank 9 in (4, 8]: 4 + 4 * (9 - 6) / 4
    assertThat(Quantiles.quantile(0.9, BOUNDS, CUMULATIVE, 10)).isCloseTo(7.0, within(1e-12));
  }

  @Test
  void the_lowest_bucket_starts_at_zero() {
    assertThat(Quantiles.quantile(0.5, new double[] {1}, new double[] {10}, 10)).isEqualTo(0.5);
  }

  @Test
  void a_rank_beyond_the_highest_bound_answers_that_bound() {
    assertThat(Quantiles.quantile(0.99, BOUNDS, CUMULATIVE, 20)).isEqualTo(8.0);
  }

  @Test
  void a_lowest_bound_at_or_below_zero_is_the_answer_for_ranks_in_it() {
    assertThat(Quantiles.quantile(0.1, new double[] {-1, 1}, new double[] {5, 10}, 10)).isEqualTo(-1.0);
  }

  @Test
  void no_observations_or_no_finite_bucket_answer_nothing() {
    assertThat(Quantiles.quantile(0.5, BOUNDS, new double[4], 0)).isNaN();
    assertThat(Quantiles.quantile(0.5, new double[0], new double[0], 10)).isNaN();
  }

  @Test
  void counts_that_went_out_of_step_are_made_monotonic_first() {
    // the 3 at bound 4 is read as 5, as Prometheus's ensureMonotonic does: rank 5.5 falls in (4, 8],
    // which then holds ranks 5..10: 4 + 4 * (5.5 - 5) / 5 (and not 4 + 4 * 2.5 / 7)
    assertThat(Quantiles.quantile(0.55, BOUNDS, new double[] {1, 5, 3, 10}, 10)).isCloseTo(4.4, within(1e-12));
  }
}
