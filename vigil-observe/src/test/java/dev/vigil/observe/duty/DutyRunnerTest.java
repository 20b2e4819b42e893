package dev.vigil.observe.duty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DutyRunnerTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:03Z");
  private final ManualClock clock = new ManualClock(T0);

  @Test
  void a_duty_is_due_at_once_then_at_each_multiple_of_its_period() {
    var duty = new Recording("sampler", Duration.ofSeconds(10), false);
    var runner = DutyRunner.builder().clock(clock).duty(duty).build();

    runner.runDueNow();
    runner.runDueNow();
    clock.advance(Duration.ofSeconds(6)); // :09
    runner.runDueNow();
    clock.advance(Duration.ofSeconds(1)); // :10
    runner.runDueNow();

    assertThat(duty.runs).containsExactly(T0, Instant.parse("2025-01-01T00:00:10Z"));
  }

  @Test
  void a_leader_only_duty_runs_only_while_this_node_leads() {
    var leads = new AtomicBoolean(false);
    var everywhere = new Recording("sampler", Duration.ofSeconds(10), false);
    var leaderOnly = new Recording("rollup", Duration.ofSeconds(10), true);
    var runner = DutyRunner.builder().clock(clock).leader(leads::get).duty(everywhere).duty(leaderOnly).build();

    runner.runDueNow();
    clock.advance(Duration.ofSeconds(10));
    leads.set(true);
    runner.runDueNow();

    assertThat(everywhere.runs).hasSize(2);
    assertThat(leaderOnly.runs).containsExactly(T0.plusSeconds(10));
  }

  @Test
  void a_failing_duty_stops_nothing_else_and_runs_again_when_next_due() {
    var failing = new Recording("purge", Duration.ofSeconds(10), false) {
      @Override
      public void run(Instant now) {
        super.run(now);
        throw new IllegalStateException("the store is down");
      }
    };
    var after = new Recording("sampler", Duration.ofSeconds(10), false);
    var runner = DutyRunner.builder().clock(clock).duty(failing).duty(after).build();

    runner.runDueNow();
    clock.advance(Duration.ofSeconds(10));
    runner.runDueNow();

    assertThat(failing.runs).hasSize(2);
    assertThat(after.runs).hasSize(2);
  }

  @Test
  void run_all_now_runs_every_duty_whether_due_or_not() {
    var duty = new Recording("rollup", Duration.ofMinutes(1), false);
    var runner = DutyRunner.builder().clock(clock).duty(duty).build();

    runner.runDueNow();
    runner.runAllNow();

    assertThat(duty.runs).hasSize(2);
  }

  @Test
  void started_it_runs_duties_on_its_own_thread_until_closed() {
    var duty = new Recording("sampler", Duration.ofMillis(50), false);
    try (var runner = DutyRunner.builder().tick(Duration.ofMillis(10)).duty(duty).build().start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> duty.count() >= 3);
    }
    int after = duty.count();
    assertThat(duty.thread).startsWith("vigil-duties");
    assertThat(duty.count()).isEqualTo(after);
  }

  private static class Recording implements PeriodicDuty {
    final List<Instant> runs = new ArrayList<>();
    final String name;
    final Duration period;
    final boolean leaderOnly;
    volatile String thread;

    Recording(String name, Duration period, boolean leaderOnly) {
      this.name = name;
      this.period = period;
      this.leaderOnly = leaderOnly;
    }

    synchronized int count() {
      return runs.size();
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Duration period() {
      return period;
    }

    @Override
    public boolean leaderOnly() {
      return leaderOnly;
    }

    @Override
    public synchronized void run(Instant now) {
      thread = Thread.currentThread().getName();
      runs.add(now);
    }
  }
}
