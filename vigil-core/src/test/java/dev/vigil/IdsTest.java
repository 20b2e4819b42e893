package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {
  /** Lower-case UUID text with version 7 and the RFC 9562 variant (10xx). */
  static final Pattern UUID_V7 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private static final Instant START = Instant.parse("2025-06-01T00:00:00Z");

  /** The Unix milliseconds in an id's first 48 bits. */
  static long millisOf(String id) {
    return UUID.fromString(id).getMostSignificantBits() >>> 16;
  }

  @Test
  void a_hundred_thousand_ids_in_one_millisecond_are_unique_and_strictly_increasing() {
    var clock = new ManualClock(START);
    var ids = new Ids(clock);

    var seen = new HashSet<String>();
    String previous = "";
    for (int i = 0; i < 100_000; i++) {
      String id = ids.next();
      assertThat(id.compareTo(previous)).as("id %d: %s after %s", i, id, previous).isPositive();
      previous = id;
      seen.add(id);
    }

    assertThat(seen).hasSize(100_000);
  }

  @Test
  void ids_are_version_7_uuids_carrying_the_clock_time() {
    var clock = new ManualClock(START);
    var ids = new Ids(clock);

    for (int i = 0; i < 1_000; i++) {
      String id = ids.next();
      assertThat(id).matches(UUID_V7);
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(7);
      assertThat(uuid.variant()).isEqualTo(2);
      assertThat(uuid.toString()).isEqualTo(id);
    }
    assertThat(millisOf(new Ids(clock).next())).isEqualTo(START.toEpochMilli());
  }

  @Test
  void ids_increase_as_the_milliseconds_advance_and_carry_each_millisecond() {
    var clock = new ManualClock(START);
    var ids = new Ids(clock);

    String previous = "";
    for (int i = 0; i < 5_000; i++) {
      clock.advance(Duration.ofMillis(1 + i % 3));
      String id = ids.next();
      assertThat(id).isGreaterThan(previous);
      assertThat(millisOf(id)).isEqualTo(clock.millis());
      previous = id;
    }
  }

  @Test
  void ids_keep_increasing_when_the_clock_steps_back() {
    var clock = new ManualClock(START);
    var ids = new Ids(clock);
    String before = ids.next();

    clock.advance(Duration.ofSeconds(-5));
    String after = ids.next();

    assertThat(after).isGreaterThan(before);
  }

  @Test
  void ids_drawn_from_many_threads_are_all_distinct() throws Exception {
    var ids = new Ids(new ManualClock(START));
    int threads = 4;
    int each = 10_000;
    List<Future<List<String>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        Callable<List<String>> draw =
            () -> {
              var mine = new ArrayList<String>(each);
              for (int i = 0; i < each; i++) {
                mine.add(ids.next());
              }
              return mine;
            };
        results.add(pool.submit(draw));
      }
      var all = new HashSet<String>();
      for (Future<List<String>> r : results) {
        List<String> mine = r.get();
        assertThat(mine).isSorted();
        all.addAll(mine);
      }
      assertThat(all).hasSize(threads * each);
    }
  }
}
