package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Readiness's store probe on a ticker moved by hand: answers age only when a test says so, and no
 * assertion reads how long something took, so a busy machine cannot fail these tests.
 */
class StoreHealthTest {
  /** Longer than any busy machine needs; a caller that waited this long would be a bug. */
  private static final Duration PATIENCE = Duration.ofMinutes(1);

  private static final long PAST_MAX_AGE = StoreHealth.MAX_AGE.toNanos() + 1;

  private final AtomicLong ticker = new AtomicLong();

  @Test
  void a_probe_that_answers_is_up_and_one_that_throws_is_down_with_the_kind_of_failure() {
    var fail = new AtomicBoolean();
    var health =
        new StoreHealth(
            () -> {
              if (fail.get()) {
                throw new IllegalStateException("connection refused to secret-host");
              }
            },
            PATIENCE,
            ticker::get);

    assertThat(health.check().up()).isTrue();
    fail.set(true);
    ticker.addAndGet(PAST_MAX_AGE);
    StoreHealth.Result down = health.check();

    assertThat(down.up()).isFalse();
    assertThat(down.reason()).isEqualTo("IllegalStateException");
  }

  @Test
  void a_stuck_probe_is_down_after_the_timeout_and_later_callers_do_not_start_another() {
    var release = new CountDownLatch(1);
    var calls = new AtomicInteger();
    var health =
        new StoreHealth(
            () -> {
              calls.incrementAndGet();
              awaitQuietly(release);
            },
            Duration.ofMillis(200),
            ticker::get);

    StoreHealth.Result first = health.check();
    await().atMost(PATIENCE).until(() -> calls.get() == 1);
    ticker.addAndGet(PAST_MAX_AGE);
    StoreHealth.Result second = health.check();

    assertThat(first.up()).isFalse();
    assertThat(first.reason()).isEqualTo("no answer within 200 ms");
    assertThat(second.up()).isFalse();

    release.countDown();
    await().atMost(PATIENCE).until(() -> health.check().up());
    assertThat(calls).hasValue(1);
  }

  @Test
  void answers_are_reused_for_a_moment() {
    var calls = new AtomicInteger();
    var health = new StoreHealth(calls::incrementAndGet, PATIENCE, ticker::get);

    for (int i = 0; i < 50; i++) {
      assertThat(health.check().up()).isTrue();
    }
    assertThat(calls).hasValue(1);

    ticker.addAndGet(PAST_MAX_AGE);
    assertThat(health.check().up()).isTrue();
    assertThat(calls).hasValue(2);
  }

  @Test
  void once_the_store_is_down_callers_hear_so_at_once_while_a_fresh_probe_runs_behind_them() {
    var calls = new AtomicInteger();
    var back = new CountDownLatch(1);
    var health =
        new StoreHealth(
            () -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("no connection");
              }
              awaitQuietly(back); // a pool waiting for a connection, until the database is back
            },
            Duration.ofHours(1),
            ticker::get);

    assertThat(health.check().up()).isFalse();
    for (int i = 0; i < 5; i++) {
      ticker.addAndGet(PAST_MAX_AGE);
      StoreHealth.Result r =
          assertTimeoutPreemptively(PATIENCE, health::check, "answered without waiting for the probe");
      assertThat(r.up()).isFalse();
    }
    await().atMost(PATIENCE).until(() -> calls.get() == 2);

    back.countDown(); // the probe in flight finds the store back
    await().atMost(PATIENCE).until(() -> health.check().up());
    assertThat(calls).as("one probe behind all those callers").hasValue(2);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
