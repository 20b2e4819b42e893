package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventBusTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

  private final EventBus<JobEvent> bus = new EventBus<>(1_000);

  @AfterEach
  void close() {
    bus.close();
  }

  @Test
  void every_subscriber_receives_every_event_in_publish_order() {
    var first = new Recorder();
    var second = new Recorder();
    bus.subscribe(first);
    bus.subscribe(second);

    publish(0, 500);

    eventually().until(() -> first.count() == 500 && second.count() == 500);
    assertThat(first.ids()).containsExactlyElementsOf(ids(0, 500));
    assertThat(second.ids()).containsExactlyElementsOf(ids(0, 500));
    assertThat(bus.dropped()).isZero();
  }

  @Test
  void a_blocked_subscriber_neither_blocks_publish_nor_the_other_subscribers() throws Exception {
    var entered = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    var slowSeen = new CopyOnWriteArrayList<String>();
    Subscription slow =
        bus.subscribe(
            e -> {
              slowSeen.add(e.jobId());
              entered.countDown();
              awaitQuietly(release);
            });
    var fast = new Recorder();
    bus.subscribe(fast);

    publish(0, 1);
    assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    eventually().until(() -> fast.count() == 1);

    // 20,000 more while the slow subscriber is stuck in its first event. Published in buffer-sized
    // rounds so that the fast subscriber, which is never blocked, can be checked to lose nothing.
    CompletableFuture<Void> publishing =
        CompletableFuture.runAsync(
            () -> {
              for (int from = 1; from <= 20_000; from += 1_000) {
                publish(from, from + 1_000);
                int expected = from + 1_000;
                eventually().until(() -> fast.count() == expected);
              }
            });
    publishing.get(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS);

    assertThat(fast.ids()).containsExactlyElementsOf(ids(0, 20_001));
    // The slow subscriber's buffer held the first 1,000 of them; the other 19,000 were dropped
    // for it alone, and counted.
    assertThat(slow.dropped()).isEqualTo(19_000);
    assertThat(bus.dropped()).isEqualTo(19_000);

    release.countDown();
    eventually().until(() -> slowSeen.size() == 1_001);
    assertThat(slowSeen).containsExactlyElementsOf(ids(0, 1_001));
  }

  @Test
  void publish_returns_while_a_subscriber_is_blocked_and_its_buffer_is_full() throws Exception {
    var release = new CountDownLatch(1);
    bus.subscribe(e -> awaitQuietly(release));

    CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publish(0, 20_000));

    publishing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(bus.dropped()).isBetween(18_999L, 19_000L);
    release.countDown();
  }

  @Test
  void a_subscriber_that_throws_keeps_receiving_later_events() {
    var seen = new CopyOnWriteArrayList<String>();
    bus.subscribe(
        e -> {
          seen.add(e.jobId());
          if (e.jobId().equals("job-1")) {
            throw new IllegalStateException("subscriber bug");
          }
        });

    publish(0, 3);

    eventually().until(() -> seen.size() == 3);
    assertThat(seen).containsExactly("job-0", "job-1", "job-2");
  }

  @Test
  void closing_a_subscription_stops_its_delivery_only() {
    var leaving = new Recorder();
    var staying = new Recorder();
    Subscription subscription = bus.subscribe(leaving);
    bus.subscribe(staying);
    publish(0, 10);
    eventually().until(() -> leaving.count() == 10 && staying.count() == 10);

    subscription.close();
    publish(10, 20);

    eventually().until(() -> staying.count() == 20);
    assertThat(leaving.ids()).containsExactlyElementsOf(ids(0, 10));
    assertThat(subscription.dropped()).isZero();
  }

  @Test
  void closing_the_bus_stops_every_subscription() {
    var recorder = new Recorder();
    bus.subscribe(recorder);
    publish(0, 5);
    eventually().until(() -> recorder.count() == 5);

    bus.close();
    publish(5, 10);

    assertThat(recorder.ids()).containsExactlyElementsOf(ids(0, 5));
    assertThat(bus.dropped()).isZero();
  }

  private void publish(int from, int to) {
    for (int i = from; i < to; i++) {
      bus.publish(new JobEvent("job-" + i, "t", "background", null, JobState.READY, AT, null, 0));
    }
  }

  private static List<String> ids(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "job-" + i).toList();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Polls every millisecond for up to ten seconds: quick when things work, patient on a busy
   * machine.
   */
  private static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1));
  }

  /** Records the job ids it is given, in order. */
  private static final class Recorder implements Consumer<JobEvent> {
    private final List<String> ids = new ArrayList<>();

    @Override
    public synchronized void accept(JobEvent event) {
      ids.add(event.jobId());
    }

    synchronized int count() {
      return ids.size();
    }

    synchronized List<String> ids() {
      return List.copyOf(ids);
    }
  }
}
