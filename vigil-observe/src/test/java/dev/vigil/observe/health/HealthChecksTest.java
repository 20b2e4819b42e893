package dev.vigil.observe.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

  /** Long enough for any busy machine: only a check that hangs on purpose ever reaches it. */
  private static final Duration PATIENCE = Duration.ofMinutes(1);

  private static HealthChecks.Builder fresh() {
    return HealthChecks.builder().cacheFor(Duration.ZERO).timeout(PATIENCE);
  }

  @Test
  void the_report_is_the_worst_of_its_checks_with_every_check_by_name_in_order() {
    HealthReport report =
        fresh()
            .add("a", () -> CheckResult.healthy("fine"))
            .add("b", () -> CheckResult.degraded("slow"))
            .add("c", () -> CheckResult.healthy("fine"))
            .clock(() -> Instant.parse("2026-01-05T10:00:00Z"))
            .uptime(() -> Duration.ofSeconds(42))
            .build()
            .report();

    assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
    assertThat(report.checks()).containsOnlyKeys("a", "b", "c");
    assertThat(report.checks().keySet()).containsExactly("a", "b", "c");
    assertThat(report.timestamp()).isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
    assertThat(report.uptime()).isEqualTo(Duration.ofSeconds(42));
    assertThat(report.checks().get("a").latencyMs()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void no_checks_is_healthy() {
    assertThat(fresh().build().report().status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void a_check_that_throws_is_unhealthy_and_reported_by_exception_type_never_its_message() {
    HealthReport report =
        fresh()
            .add("llm", () -> {
              throw new IllegalStateException("token sk-live-1234 rejected for alice@example.com");
            })
            .build()
            .report();

    CheckResult llm = report.checks().get("llm");
    assertThat(report.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(llm.status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(llm.message()).isEqualTo("failed: IllegalStateException");
  }

  @Test
  void a_check_that_does_not_answer_in_time_is_unhealthy_and_not_started_again_while_it_hangs() throws Exception {
    var release = new CountDownLatch(1);
    var calls = new AtomicInteger();
    HealthChecks health =
        fresh()
            .add("hangs", () -> {
              calls.incrementAndGet();
              release.await();
              return CheckResult.healthy("late");
            }, Duration.ofMillis(100))
            .add("quick", () -> CheckResult.healthy("fine"))
            .build();

    HealthReport first = health.report();
    HealthReport second = health.report();

    assertThat(first.checks().get("hangs").status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(first.checks().get("hangs").message()).isEqualTo("no answer within 100 ms");
    assertThat(first.checks().get("quick").status()).isEqualTo(HealthStatus.HEALTHY);
    assertThat(second.checks().get("hangs").status()).isEqualTo(HealthStatus.UNHEALTHY);
    assertThat(calls).hasValue(1);

    release.countDown();
    // once it returned, the next report starts it again (one that lands as it returns may show its late answer)
    org.awaitility.Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> health.report().checks().get("hangs").status() == HealthStatus.HEALTHY && calls.get() == 2);
  }

  @Test
  void checks_run_in_parallel() {
    var barrier = new CyclicBarrier(2);
    HealthCheck meetsTheOther = () -> {
      barrier.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      return CheckResult.healthy("met");
    };

    HealthReport report = fresh().add("one", meetsTheOther).add("two", meetsTheOther).build().report();

    assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
  }

  @Test
  void a_report_is_reused_within_the_cache_period() {
    var calls = new AtomicInteger();
    HealthChecks health =
        HealthChecks.builder()
            .cacheFor(Duration.ofMinutes(5))
            .add("counted", () -> CheckResult.healthy("call " + calls.incrementAndGet()))
            .build();

    HealthReport first = health.report();
    HealthReport second = health.report();

    assertThat(second).isSameAs(first);
    assertThat(calls).hasValue(1);
  }
}
