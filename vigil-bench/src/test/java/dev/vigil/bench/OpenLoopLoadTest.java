package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The overload scenario's generator is open-loop: arrivals keep their schedule however slowly the
 * earlier ones are answered, and each knows when it was due, so latency is counted from then.
 */
class OpenLoopLoadTest {

  @Test
  void every_arrival_is_sent_on_schedule_while_none_has_been_answered() throws Exception {
    var answer = new CountDownLatch(1);
    var dues = new ConcurrentLinkedQueue<Long>();
    var answered = new AtomicInteger();
    OpenLoopLoad.Result r =
        new OpenLoopLoad(200, Duration.ofMillis(500), 1_000, Duration.ofSeconds(30))
            .run(
                soon(),
                (seq, due) -> {
                  dues.add(due);
                  answer.await();
                  answered.incrementAndGet();
                },
                answer::countDown);
    // no arrival can return before the window closes, yet all of them went out
    assertThat(r.fired()).isEqualTo(100);
    assertThat(r.dropped()).isZero();
    assertThat(r.unfinished()).isZero();
    assertThat(r.failed()).isZero();
    assertThat(answered.get()).isEqualTo(100);
    assertThat(dues).hasSize(100);
    // each is told the schedule's time, 5 ms apart from the start, not when it was sent
    assertThat(dues.stream().map(d -> d - r.startNanos()).sorted().toList())
        .isEqualTo(LongStream.range(0, 100).map(i -> i * 5_000_000L).boxed().toList());
    assertThat(r.endNanos() - r.startNanos()).isEqualTo(500_000_000L);
  }

  @Test
  void arrivals_beyond_the_in_flight_bound_are_dropped_and_counted() throws Exception {
    var answer = new CountDownLatch(1);
    OpenLoopLoad.Result r =
        new OpenLoopLoad(200, Duration.ofMillis(100), 5, Duration.ofSeconds(30))
            .run(soon(), (seq, due) -> answer.await(), answer::countDown);
    assertThat(r.fired()).isEqualTo(5);
    assertThat(r.dropped()).isEqualTo(15);
  }

  @Test
  void a_failing_arrival_is_counted_and_kept_for_the_report() throws Exception {
    OpenLoopLoad.Result r =
        new OpenLoopLoad(100, Duration.ofMillis(50), 10, Duration.ofSeconds(30))
            .run(
                soon(),
                (seq, due) -> {
                  throw new IllegalStateException("boom " + seq);
                },
                () -> {});
    assertThat(r.failed()).isEqualTo(r.fired()).isEqualTo(5);
    assertThat(r.firstFailure()).isInstanceOf(IllegalStateException.class);
  }

  private static long soon() {
    return System.nanoTime() + 20_000_000L;
  }
}
