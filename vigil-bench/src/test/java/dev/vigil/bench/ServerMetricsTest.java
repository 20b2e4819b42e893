package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overload report reads the server's refusals and store timings from its {@code /metrics}. */
class ServerMetricsTest {
  private static final String SCRAPE =
      """
      # HELP vigil_jobs_rejected_total Jobs refused at enqueue
      # TYPE vigil_jobs_rejected_total counter
      vigil_jobs_rejected_total{lane="background",reason="lane_full",type="dream"} 120.0
      vigil_jobs_rejected_total{lane="sensory",reason="shed",type="observe"} 7.0
      vigil_jobs_rejected_total{lane="sensory",reason="overloaded",type="observe"} 3.0
      vigil_jobs_rejected_total{lane="social",reason="overloaded",type="post"} 0.0
      vigil_store_operation_seconds_bucket{operation="enqueue",le="0.05"} 990.0
      vigil_store_operation_seconds_bucket{operation="enqueue",le="0.1"} 995.0
      vigil_store_operation_seconds_bucket{operation="enqueue",le="+Inf"} 1000.0
      vigil_store_operation_seconds_count{operation="enqueue"} 1000.0
      vigil_store_operation_seconds_max{operation="enqueue"} 0.4125
      vigil_store_operation_seconds_count{operation="get"} 5.0
      """;

  @Test
  void refusals_are_summed_by_lane_and_reason_leaving_out_zeros() {
    assertThat(ServerMetrics.of(SCRAPE).rejections())
        .isEqualTo(
            Map.of(
                "background", Map.of("lane_full", 120L),
                "sensory", Map.of("shed", 7L, "overloaded", 3L)));
  }

  @Test
  void store_calls_over_100_ms_come_from_the_buckets_and_the_slowest_from_the_max() {
    assertThat(ServerMetrics.of(SCRAPE).storeOperations())
        .isEqualTo(
            Map.of("enqueue", Map.of("calls", 1000L, "over_100_ms", 5L, "max_ms", 412.5)));
  }
}
