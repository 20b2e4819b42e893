package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StoreHealthTest {

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
            Duration.ofSeconds(2));

    assertThat(health.check().up()).isTrue();
    fail.set(true);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> !health.check().up());
    assertThat(health.check().reason()).isEqualTo("IllegalStateException");
  }

  @Test
  void a_stuck_probe_is_down_after_the_timeout_and_later_callers_do_not_wait_or_start_another()
      throws InterruptedException {
    var release = new CountDownLatch(1);
    var calls = new AtomicInteger();
    var health =
        new StoreHealth(
            () -> {
              calls.incrementAndGet();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            Duration.ofMillis(200));

    long start = System.nanoTime();
    StoreHealth.Result first = health.check();
    long firstMillis = (System.nanoTime() - start) / 1_000_000;
    long again = System.nanoTime();
    StoreHealth.Result second = health.check();
    long secondMillis = (System.nanoTime() - again) / 1_000_000;

    assertThat(first.up()).isFalse();
    assertThat(first.reason()).isEqualTo("no answer within 200 ms");
    assertThat(firstMillis).isBetween(150L, 2_000L);
    assertThat(second.up()).isFalse();
    assertThat(secondMillis).as("the second caller does not wait again").isLessThan(150L);
    assertThat(calls).hasValue(1);

    release.countDown();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> health.check().up());
  }

  @Test
  void answers_are_reused_for_a_moment() {
    var calls = new AtomicInteger();
    var health = new StoreHealth(calls::incrementAndGet, Duration.ofSeconds(2));

    for (int i = 0; i < 50; i++) {
      assertThat(health.check().up()).isTrue();
    }

    assertThat(calls.get()).isBetween(1, 5);
  }

  @Test
  void once_the_store_is_down_callers_hear_so_at_once_while_a_fresh_probe_runs_behind_them()
      throws InterruptedException {
    var down = new AtomicBoolean(true);
    var slow = new CountDownLatch(1);
    var health =
        new StoreHealth(
            () -> {
              if (down.get()) {
                try {
                  slow.await(); // a pool waiting for a connection that will not come
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("no connection");
              }
            },
            Duration.ofMillis(300));

    assertThat(health.check().up()).isFalse(); // waited the 300 ms once
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      StoreHealth.Result r = health.check();
      assertThat(r.up()).isFalse();
      assertThat((System.nanoTime() - start) / 1_000_000).as("answered without waiting").isLessThan(150L);
    }

    down.set(false);
    slow.countDown(); // the stuck probe ends (down); the next one finds the store back
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> health.check().up());
  }
}
