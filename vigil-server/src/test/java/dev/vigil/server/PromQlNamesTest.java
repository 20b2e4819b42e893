package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
  @Test
  void names_are_read_past_functions_aggregations_grouping_matchers_ranges_and_numbers() {
    String expr =
        """
        histogram_quantile(0.99, sum by (lane, le) (rate(vigil_job_queue_wait_seconds_bucket{lane=~"cog{n}ition",type!="x"}[5m])))
          > 5 * 1e3 and on (instance) (up offset 15m) or vector(0)
          / ignoring (lane) group_left () sum(vigil_worker_slots) unless lane:vigil_x:rate5m
        """;

    assertThat(PromQlNames.metricNames(expr))
        .containsExactlyInAnyOrder("vigil_job_queue_wait_seconds_bucket", "up", "vigil_worker_slots", "lane:vigil_x:rate5m");
  }

  @Test
  void label_replace_strings_and_aggregations_with_a_trailing_by_are_not_names() {
    String expr = "label_replace(sum(ALERTS{alertstate=\"firing\"}) by (alertname), \"a\", \"$1\", \"b\", \"(.*)\") > bool 0";

    assertThat(PromQlNames.metricNames(expr)).containsExactly("ALERTS");
  }
}
