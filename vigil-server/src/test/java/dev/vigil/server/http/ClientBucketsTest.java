package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.http.ClientBuckets.Take;
import dev.vigil.server.http.HttpLimitSettings.Quota;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One bucket per client, refilled evenly over the window, on a clock moved by hand. */
class ClientBucketsTest {
  /** A clock that moves only when told. */
  private static final class ManualTime implements TimeMeter {
    private long nanos;

    void advance(Duration d) {
      nanos += d.toNanos();
    }

    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  private final ManualTime time = new ManualTime();

  @Test
  void a_client_gets_its_quota_at_once_then_one_request_back_per_share_of_the_window() {
    var buckets = new ClientBuckets(Quota.parse("3/1m"), time, 10);

    assertThat(buckets.take("a")).isEqualTo(new Take(true, 2, 20));
    assertThat(buckets.take("a")).isEqualTo(new Take(true, 1, 20));
    assertThat(buckets.take("a")).isEqualTo(new Take(true, 0, 20));
    assertThat(buckets.take("a")).isEqualTo(new Take(false, 0, 20));

    time.advance(Duration.ofSeconds(15));
    assertThat(buckets.take("a")).isEqualTo(new Take(false, 0, 5));

    time.advance(Duration.ofSeconds(5));
    assertThat(buckets.take("a")).isEqualTo(new Take(true, 0, 20));
  }

  @Test
  void the_wait_is_rounded_up_to_whole_seconds() {
    var buckets = new ClientBuckets(Quota.parse("1/1s"), time, 10);
    buckets.take("a");

    time.advance(Duration.ofMillis(999));

    assertThat(buckets.take("a")).isEqualTo(new Take(false, 0, 1));
  }

  @Test
  void clients_have_buckets_of_their_own() {
    var buckets = new ClientBuckets(Quota.parse("1/1h"), time, 10);

    assertThat(buckets.take("a").allowed()).isTrue();
    assertThat(buckets.take("a").allowed()).isFalse();
    assertThat(buckets.take("b").allowed()).isTrue();
  }

  @Test
  void the_least_recently_seen_clients_are_forgotten_beyond_the_bound() {
    var buckets = new ClientBuckets(Quota.parse("1/1h"), time, 3);
    buckets.take("a");
    buckets.take("b");
    buckets.take("c");
    buckets.take("a");

    buckets.take("d");

    assertThat(buckets.clients()).isEqualTo(3);
    assertThat(buckets.take("a").allowed()).as("a was seen recently: kept, still empty").isFalse();
    assertThat(buckets.take("b").allowed()).as("b was the least recent: forgotten, a fresh bucket").isTrue();
  }
}
