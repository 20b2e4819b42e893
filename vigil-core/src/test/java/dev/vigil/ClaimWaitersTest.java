package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClaimWaitersTest {
  private static final int COGNITION = 0;
  private static final int SOCIAL = 1;
  private static final int BACKGROUND = 3;

  private final ClaimWaiters waiters = new ClaimWaiters(4, new ClaimLimits(Duration.ofMinutes(10), 3, 2));

  private static boolean[] serving(int... lanes) {
    boolean[] served = new boolean[4];
    for (int lane : lanes) {
      served[lane] = true;
    }
    return served;
  }

  @Test
  void new_work_in_a_lane_wakes_only_the_claims_that_serve_it() {
    var social = waiters.register("w-1", serving(SOCIAL));
    var both = waiters.register("w-2", serving(COGNITION, BACKGROUND));

    waiters.wake(BACKGROUND);

    assertThat(social.woken()).isFalse();
    assertThat(both.woken()).isTrue();
  }

  @Test
  void a_wake_between_clearing_and_waiting_is_not_lost() throws Exception {
    var w = waiters.register("w-1", serving(SOCIAL));
    w.clear();
    waiters.wake(SOCIAL);

    long start = System.nanoTime();
    w.await(Duration.ofMinutes(1).toNanos());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void claims_beyond_the_limits_are_refused_and_a_removed_claim_frees_its_place() {
    var first = waiters.register("w-1", serving(SOCIAL));
    waiters.register("w-1", serving(SOCIAL));

    assertThatThrownBy(() -> waiters.register("w-1", serving(SOCIAL)))
        .isInstanceOf(TooManyClaimsException.class)
        .hasMessageContaining("w-1");
    waiters.register("w-2", serving(SOCIAL));
    assertThatThrownBy(() -> waiters.register("w-3", serving(SOCIAL)))
        .isInstanceOf(TooManyClaimsException.class)
        .satisfies(e -> assertThat(((TooManyClaimsException) e).retryAfter()).isPositive());

    waiters.remove(first);

    assertThat(waiters.size()).isEqualTo(2);
    assertThat(waiters.register("w-1", serving(SOCIAL))).isNotNull();
  }
}
