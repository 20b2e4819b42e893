package dev.vigil.observe.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.InvalidRequestException;
import dev.vigil.job.JobError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The definition of a correct {@link ErrorGroupStore}: every store (SQLite, PostgreSQL) passes
 * this suite unchanged; a store's test class only says how to open it.
 *
 * <pre>{@code
 * class SqliteErrorGroupStoreTest extends ErrorGroupStoreContract {
 *   @TempDir Path dir;
 *   SqliteJobStore jobs;
 *
 *   protected ErrorGroupStore openStore() {
 *     jobs = SqliteJobStore.open(dir.resolve("vigil.db"));
 *     return jobs.errorGroups();
 *   }
 *
 *   @AfterEach void close() { jobs.close(); }
 * }
 * }</pre>
 *
 * {@link #openStore()} is called once before each test and must answer a store holding no group;
 * the subclass closes what it opened. Time never comes from a clock: every instant is given, on
 * whole milliseconds. Texts (titles, messages) are compared exactly, Unicode included.
 */
public abstract class ErrorGroupStoreContract {
  /** A quarter past an hour, so that hours are easy to tell apart. */
  protected static final Instant T0 = Instant.parse("2026-11-24T09:15:00Z");

  private static final Fingerprinter FINGERPRINTER = Fingerprinter.defaults();
  private ErrorGroupStore store;
  private int jobs;

  /** Opens the store under test, empty. */
  protected abstract ErrorGroupStore openStore();

  @BeforeEach
  protected final void openStoreBeforeEachTest() {
    store = openStore();
  }

  protected final ErrorGroupStore store() {
    return store;
  }

  // ---- helpers

  private static Fingerprint fingerprint(String type, String message) {
    return FINGERPRINTER.fingerprint(
        "reply",
        new JobError(type, message, type + ": " + message + "\n\tat com.acme.Reply.generate(Reply.java:42)\n"));
  }

  private static final Fingerprint BOOM = fingerprint("java.lang.IllegalStateException", "boom \u2013 ✓ 42");
  private static final Fingerprint OTHER = fingerprint("java.io.IOException", "disk full");

  private ErrorOccurrence occurrence(Fingerprint f, Instant at) {
    return occurrence(f, at, "reply", "cognition");
  }

  private ErrorOccurrence occurrence(Fingerprint f, Instant at, String type, String lane) {
    jobs++;
    return new ErrorOccurrence(f, "job-" + jobs, 1, type, lane, "failed", "message " + jobs + " \u2713", at);
  }

  private List<ErrorGroupEvent> record(Instant now, ErrorOccurrence... occurrences) {
    return store.record(List.of(occurrences), now);
  }

  private ErrorGroup get(String id, Instant now) {
    return store.get(id, now).orElseThrow();
  }

  // ---- recording

  @Test
  void a_first_occurrence_creates_an_unresolved_group_and_says_so() {
    ErrorOccurrence o = occurrence(BOOM, T0);

    List<ErrorGroupEvent> events = record(T0, o);

    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ErrorGroupEvent.Kind.NEW_ERROR_GROUP);
      assertThat(e.at()).isEqualTo(T0);
      assertThat(e.group().id()).isEqualTo(BOOM.groupId());
      assertThat(e.group().count()).isEqualTo(1);
    });
    ErrorGroup g = get(BOOM.groupId(), T0);
    assertThat(g.fingerprint()).isEqualTo(BOOM.text());
    assertThat(g.title()).isEqualTo("java.lang.IllegalStateException: boom \u2013 ✓ 42");
    assertThat(g.errorType()).isEqualTo("java.lang.IllegalStateException");
    assertThat(g.culprit()).isEqualTo("com.acme.Reply in generate");
    assertThat(g.firstSeen()).isEqualTo(T0);
    assertThat(g.lastSeen()).isEqualTo(T0);
    assertThat(g.count()).isEqualTo(1);
    assertThat(g.count24h()).isEqualTo(1);
    assertThat(g.hourly()).hasSize(24).endsWith(1L).containsOnlyOnce(1L);
    assertThat(g.jobTypes()).containsExactly("reply");
    assertThat(g.lanes()).containsExactly("cognition");
    assertThat(g.sampleJobIds()).containsExactly(o.jobId());
    assertThat(g.status()).isEqualTo(ErrorStatus.UNRESOLVED);
    assertThat(g.regressed()).isFalse();
    assertThat(g.unresolvedSince()).isEqualTo(T0);
    assertThat(g.resolvedAt()).isNull();
    assertThat(g.resolvedBy()).isNull();
    assertThat(g.regressedAt()).isNull();
    assertThat(store.get("0000000000000000", T0)).isEmpty();
  }

  @Test
  void later_occurrences_add_up_without_creating_the_group_again() {
    record(T0, occurrence(BOOM, T0));
    Instant t1 = T0.plusSeconds(60);
    ErrorOccurrence a = occurrence(BOOM, t1, "digest", "background");
    ErrorOccurrence b = occurrence(BOOM, t1.plusMillis(7), "reply", "social");

    List<ErrorGroupEvent> events = record(t1, a, b, occurrence(OTHER, t1));

    assertThat(events).singleElement().extracting(e -> e.group().id()).isEqualTo(OTHER.groupId());
    ErrorGroup g = get(BOOM.groupId(), t1);
    assertThat(g.count()).isEqualTo(3);
    assertThat(g.firstSeen()).isEqualTo(T0);
    assertThat(g.lastSeen()).isEqualTo(t1.plusMillis(7));
    assertThat(g.jobTypes()).containsExactly("reply", "digest");
    assertThat(g.lanes()).containsExactly("cognition", "background", "social");
    assertThat(g.sampleJobIds()).containsExactly(b.jobId(), a.jobId(), "job-1");
    assertThat(get(OTHER.groupId(), t1).count()).isEqualTo(1);
  }

  @Test
  void hourly_counts_cover_the_24_hours_up_to_the_time_of_reading() {
    Instant now = T0.plus(Duration.ofHours(30));
    record(
        now,
        occurrence(BOOM, T0), // 30 h before: counted in count, not in the last 24 h
        occurrence(BOOM, now.minus(Duration.ofHours(23))),
        occurrence(BOOM, now.minus(Duration.ofHours(2))),
        occurrence(BOOM, now.minus(Duration.ofMinutes(1))),
        occurrence(BOOM, now));

    ErrorGroup g = get(BOOM.groupId(), now);

    assertThat(g.count()).isEqualTo(5);
    assertThat(g.count24h()).isEqualTo(4);
    var expected = new ArrayList<>(Collections.nCopies(24, 0L));
    expected.set(0, 1L);
    expected.set(21, 1L);
    expected.set(23, 2L);
    assertThat(g.hourly()).containsExactlyElementsOf(expected);
    assertThat(get(BOOM.groupId(), now.plus(Duration.ofDays(2))).count24h()).isZero();
  }

  @Test
  void lists_and_occurrences_are_bounded() {
    var many = new ArrayList<ErrorOccurrence>();
    for (int i = 0; i < 30; i++) {
      many.add(occurrence(BOOM, T0.plusMillis(i), "type-" + i, "lane-" + i));
    }
    store.record(many, T0);
    ErrorOccurrence latest = occurrence(BOOM, T0.plusSeconds(5));
    record(T0.plusSeconds(5), latest);

    ErrorGroup g = get(BOOM.groupId(), T0.plusSeconds(5));
    List<ErrorGroupStore.StoredOccurrence> kept = store.occurrences(BOOM.groupId(), 100);

    assertThat(g.count()).isEqualTo(31);
    assertThat(g.jobTypes()).hasSize(ErrorGroup.MAX_JOB_TYPES).startsWith("type-0", "type-1");
    assertThat(g.lanes()).hasSize(ErrorGroup.MAX_LANES).startsWith("lane-0");
    assertThat(g.sampleJobIds()).hasSize(ErrorGroup.MAX_SAMPLES).startsWith(latest.jobId(), many.get(29).jobId());
    assertThat(kept).hasSize(ErrorOccurrence.KEPT);
    assertThat(kept.get(0))
        .isEqualTo(
            new ErrorGroupStore.StoredOccurrence(
                latest.jobId(), 1, latest.at(), "reply", "cognition", "failed", "java.lang.IllegalStateException",
                latest.message()));
    assertThat(kept.get(1).jobId()).isEqualTo(many.get(29).jobId());
    assertThat(kept.get(19).jobId()).isEqualTo(many.get(11).jobId());
    assertThat(store.occurrences(BOOM.groupId(), 3)).hasSize(3);
    assertThat(store.occurrences("0000000000000000", 3)).isEmpty();
  }

  // ---- status

  @Test
  void resolving_records_when_and_by_whom_and_resolving_again_changes_nothing() {
    record(T0, occurrence(BOOM, T0));
    Instant t1 = T0.plus(Duration.ofHours(3));

    ErrorGroupStore.StatusChange change = store.setStatus(BOOM.groupId(), ErrorStatus.RESOLVED, "ava", t1).orElseThrow();
    Optional<ErrorGroupStore.StatusChange> again = store.setStatus(BOOM.groupId(), ErrorStatus.RESOLVED, "bo", t1.plusSeconds(1));

    assertThat(change.before().status()).isEqualTo(ErrorStatus.UNRESOLVED);
    assertThat(change.after().status()).isEqualTo(ErrorStatus.RESOLVED);
    assertThat(change.after().resolvedAt()).isEqualTo(t1);
    assertThat(change.after().resolvedBy()).isEqualTo("ava");
    assertThat(change.after().unresolvedSince()).isEqualTo(T0);
    assertThat(again).get().satisfies(c -> assertThat(c.after()).isEqualTo(c.before()));
    assertThat(get(BOOM.groupId(), t1).resolvedBy()).isEqualTo("ava");
    assertThat(store.setStatus("0000000000000000", ErrorStatus.RESOLVED, "ava", t1)).isEmpty();
  }

  @Test
  void a_resolved_group_that_happens_again_regresses_once() {
    record(T0, occurrence(BOOM, T0));
    store.setStatus(BOOM.groupId(), ErrorStatus.RESOLVED, "ava", T0.plusSeconds(10));
    Instant t2 = T0.plusSeconds(60);

    List<ErrorGroupEvent> first = record(t2, occurrence(BOOM, t2), occurrence(BOOM, t2.plusMillis(1)));
    List<ErrorGroupEvent> second = record(t2.plusSeconds(1), occurrence(BOOM, t2.plusSeconds(1)));

    assertThat(first).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo(ErrorGroupEvent.Kind.ERROR_GROUP_REGRESSED);
      assertThat(e.at()).isEqualTo(t2);
    });
    assertThat(second).isEmpty();
    ErrorGroup g = get(BOOM.groupId(), t2.plusSeconds(1));
    assertThat(g.status()).isEqualTo(ErrorStatus.UNRESOLVED);
    assertThat(g.regressed()).isTrue();
    assertThat(g.regressedAt()).isEqualTo(t2);
    assertThat(g.unresolvedSince()).isEqualTo(t2);
    assertThat(g.resolvedAt()).isNull();
    assertThat(g.resolvedBy()).isNull();
    assertThat(g.count()).isEqualTo(4);

    ErrorGroup resolvedAgain = store.setStatus(BOOM.groupId(), ErrorStatus.RESOLVED, "bo", t2.plusSeconds(5)).orElseThrow().after();
    assertThat(resolvedAgain.regressed()).as("resolving clears the regression").isFalse();
  }

  @Test
  void an_ignored_group_is_still_counted_and_never_regresses() {
    record(T0, occurrence(BOOM, T0));
    ErrorGroup ignored = store.setStatus(BOOM.groupId(), ErrorStatus.IGNORED, "ava", T0.plusSeconds(1)).orElseThrow().after();

    List<ErrorGroupEvent> events = record(T0.plusSeconds(2), occurrence(BOOM, T0.plusSeconds(2)));

    assertThat(ignored.status()).isEqualTo(ErrorStatus.IGNORED);
    assertThat(ignored.resolvedAt()).isNull();
    assertThat(events).isEmpty();
    assertThat(get(BOOM.groupId(), T0.plusSeconds(2)).status()).isEqualTo(ErrorStatus.IGNORED);
    assertThat(get(BOOM.groupId(), T0.plusSeconds(2)).count()).isEqualTo(2);
  }

  @Test
  void unresolving_starts_the_time_to_resolve_again() {
    record(T0, occurrence(BOOM, T0));
    store.setStatus(BOOM.groupId(), ErrorStatus.RESOLVED, "ava", T0.plusSeconds(10));
    Instant t2 = T0.plusSeconds(20);

    ErrorGroup g = store.setStatus(BOOM.groupId(), ErrorStatus.UNRESOLVED, "ava", t2).orElseThrow().after();

    assertThat(g.status()).isEqualTo(ErrorStatus.UNRESOLVED);
    assertThat(g.regressed()).isFalse();
    assertThat(g.unresolvedSince()).isEqualTo(t2);
    assertThat(g.resolvedAt()).isNull();
    assertThat(g.resolvedBy()).isNull();
  }

  // ---- listing

  @Test
  void groups_list_newest_first_by_last_seen_with_filters() {
    Fingerprint a = fingerprint("A", "a");
    Fingerprint b = fingerprint("B", "b");
    Fingerprint c = fingerprint("C", "c");
    store.record(
        List.of(
            occurrence(a, T0, "reply", "cognition"),
            occurrence(b, T0.plusSeconds(1), "digest", "background"),
            occurrence(c, T0.plusSeconds(2), "reply", "social")),
        T0);
    store.setStatus(b.groupId(), ErrorStatus.RESOLVED, "ava", T0.plusSeconds(3));
    Instant now = T0.plusSeconds(5);

    assertThat(ids(ErrorGroupQuery.all(), now)).containsExactly(c.groupId(), b.groupId(), a.groupId());
    assertThat(ids(ErrorGroupQuery.all().withStatuses(Set.of(ErrorStatus.UNRESOLVED)), now))
        .containsExactly(c.groupId(), a.groupId());
    assertThat(ids(ErrorGroupQuery.all().withStatuses(Set.of(ErrorStatus.RESOLVED, ErrorStatus.IGNORED)), now))
        .containsExactly(b.groupId());
    assertThat(ids(ErrorGroupQuery.all().withLane("social"), now)).containsExactly(c.groupId());
    assertThat(ids(ErrorGroupQuery.all().withLane("Social"), now)).as("lanes match exactly").isEmpty();
    assertThat(ids(ErrorGroupQuery.all().withLane("soc"), now)).as("whole names only").isEmpty();
    assertThat(ids(ErrorGroupQuery.all().withJobType("reply"), now)).containsExactly(c.groupId(), a.groupId());
    assertThat(ids(ErrorGroupQuery.all().withErrorType("B"), now)).containsExactly(b.groupId());
    assertThat(ids(ErrorGroupQuery.all().withSince(T0.plusSeconds(1)), now)).containsExactly(c.groupId(), b.groupId());
    assertThat(store.find(ErrorGroupQuery.all(), now).groups().get(0).count24h()).isEqualTo(1);
  }

  @Test
  void pages_follow_each_other_without_gaps_or_repeats() {
    var expected = new ArrayList<String>();
    var batch = new ArrayList<ErrorOccurrence>();
    for (int i = 0; i < 7; i++) {
      Fingerprint f = fingerprint("E" + i, "e");
      // two groups share each last-seen time: the id breaks the tie
      batch.add(occurrence(f, T0.plusSeconds(i / 2)));
      expected.add(f.groupId());
    }
    store.record(batch, T0);

    var seen = new ArrayList<String>();
    String cursor = null;
    int pages = 0;
    do {
      ErrorGroupPage page = store.find(ErrorGroupQuery.all().withLimit(3).withCursor(cursor), T0);
      page.groups().forEach(g -> seen.add(g.id()));
      cursor = page.nextCursor();
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    List<ErrorGroup> all = store.find(ErrorGroupQuery.all(), T0).groups();
    assertThat(all.stream().map(ErrorGroup::id).toList()).isEqualTo(seen);
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i - 1).lastSeen()).isAfterOrEqualTo(all.get(i).lastSeen());
    }
    assertThatThrownBy(() -> store.find(ErrorGroupQuery.all().withCursor("not-a-cursor"), T0))
        .isInstanceOf(InvalidRequestException.class);
  }

  // ---- concurrency

  @Test
  void writers_racing_on_a_new_group_create_it_once_and_lose_no_count() throws Exception {
    int writers = 4;
    int rounds = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    var start = new CountDownLatch(1);
    try {
      var futures = new ArrayList<Future<List<ErrorGroupEvent>>>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Callable<List<ErrorGroupEvent>> task = () -> {
          start.await();
          var events = new ArrayList<ErrorGroupEvent>();
          for (int r = 0; r < rounds; r++) {
            Instant at = T0.plusMillis(r);
            events.addAll(store.record(
                List.of(
                    new ErrorOccurrence(BOOM, "w" + writer + "-" + r, 1, "reply", "cognition", "failed", "m", at),
                    new ErrorOccurrence(OTHER, "w" + writer + "-" + r, 1, "reply", "cognition", "failed", "m", at)),
                at));
          }
          return events;
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      var all = new ArrayList<ErrorGroupEvent>();
      for (Future<List<ErrorGroupEvent>> f : futures) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(all).extracting(ErrorGroupEvent::kind).containsOnly(ErrorGroupEvent.Kind.NEW_ERROR_GROUP);
      assertThat(all).extracting(e -> e.group().id()).containsExactlyInAnyOrder(BOOM.groupId(), OTHER.groupId());
      assertThat(get(BOOM.groupId(), T0).count()).isEqualTo(writers * rounds);
      assertThat(get(OTHER.groupId(), T0).count24h()).isEqualTo(writers * rounds);
      assertThat(new HashSet<>(store.occurrences(BOOM.groupId(), 100))).hasSize(ErrorOccurrence.KEPT);
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> ids(ErrorGroupQuery query, Instant now) {
    return store.find(query, now).groups().stream().map(ErrorGroup::id).toList();
  }
}
