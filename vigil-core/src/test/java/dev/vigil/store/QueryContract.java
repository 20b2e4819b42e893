package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Listing: newest first, filters that combine, cursors that visit every job exactly once. */
public abstract class QueryContract extends ContractSupport {

  protected QueryContract(JobStoreContract kit) {
    super(kit);
  }

  private List<String> enqueueMany(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(enqueue(newJob().type("t" + i)).id());
    }
    return ids;
  }

  private static List<String> newestFirst(List<String> ids) {
    return ids.stream().sorted(Comparator.reverseOrder()).toList();
  }

  /** Every page of a query, walked by cursor from the first page to the one without a cursor. */
  private List<JobPage> walk(JobQuery query) {
    List<JobPage> pages = new ArrayList<>();
    JobPage page = store().find(query);
    pages.add(page);
    while (page.nextCursor() != null) {
      assertThat(pages).as("pages walked (the cursor must make progress)").hasSizeLessThan(1_000);
      page = store().find(query.withCursor(page.nextCursor()));
      pages.add(page);
    }
    return pages;
  }

  private static List<String> ids(List<JobPage> pages) {
    return pages.stream().flatMap(p -> p.jobs().stream()).map(Job::id).toList();
  }

  @Test
  void find_lists_jobs_newest_first() {
    List<String> ids = enqueueMany(5);

    JobPage page = store().find(JobQuery.all());

    assertThat(page.jobs()).extracting(Job::id).containsExactlyElementsOf(newestFirst(ids));
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void cursors_walk_every_job_exactly_once_and_the_last_page_has_no_cursor() {
    List<String> ids = enqueueMany(23);

    List<JobPage> pages = walk(JobQuery.all().withLimit(5));

    assertThat(pages).extracting(p -> p.jobs().size()).containsExactly(5, 5, 5, 5, 3);
    assertThat(ids(pages)).containsExactlyElementsOf(newestFirst(ids));
    assertThat(pages.get(pages.size() - 1).nextCursor()).isNull();
  }

  @Test
  void a_page_that_ends_on_the_very_last_job_has_no_cursor() {
    List<String> ids = enqueueMany(10);

    List<JobPage> pages = walk(JobQuery.all().withLimit(5));

    assertThat(pages).extracting(p -> p.jobs().size()).containsExactly(5, 5);
    assertThat(ids(pages)).containsExactlyElementsOf(newestFirst(ids));
  }

  @Test
  void an_empty_store_answers_one_empty_page_without_a_cursor() {
    JobPage page = store().find(JobQuery.all());

    assertThat(page.jobs()).isEmpty();
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void jobs_enqueued_while_paging_neither_repeat_nor_shift_the_pages_still_to_come() {
    List<String> ids = enqueueMany(12);
    JobQuery query = JobQuery.all().withLimit(5);
    JobPage first = store().find(query);
    enqueueMany(3);

    List<String> seen = new ArrayList<>(first.jobs().stream().map(Job::id).toList());
    seen.addAll(ids(walk(query.withCursor(first.nextCursor()))));

    assertThat(seen).containsExactlyElementsOf(newestFirst(ids));
  }

  /** The attributes the filters look at, as the test stored them. */
  private record Stored(
      String id,
      String lane,
      String type,
      String correlationId,
      JobState state,
      Instant createdAt) {}

  private List<Stored> mixedJobs() {
    List<Stored> stored = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String lane = i % 2 == 0 ? "cognition" : "background";
      String type = i % 3 == 0 ? "digest" : "reply";
      String correlation = i % 4 == 0 ? "c1" : i % 4 == 1 ? "c2" : null;
      NewJobBuilder job = newJob().lane(lane).type(type).correlationId(correlation);
      JobState state =
          switch (i % 5) {
            case 0 -> JobState.SCHEDULED;
            case 1 -> JobState.RUNNING;
            case 2 -> JobState.CANCELLED;
            default -> JobState.READY;
          };
      Job j =
          switch (state) {
            case SCHEDULED -> enqueue(job.scheduledAt(now().plusSeconds(3600)));
            // made the oldest ready job of its type and lane, so this claim takes exactly it
            case RUNNING -> claimJob(enqueue(job.readyAt(now().minus(Duration.ofDays(1)))));
            case CANCELLED -> store().cancel(enqueue(job).id(), now());
            default -> enqueue(job);
          };
      stored.add(new Stored(j.id(), lane, type, correlation, state, now()));
      advance(Duration.ofMinutes(1));
    }
    return stored;
  }

  private void assertQueryFinds(JobQuery query, List<Stored> stored, Predicate<Stored> matches) {
    List<String> expected = newestFirst(stored.stream().filter(matches).map(Stored::id).toList());
    assertThat(expected).as("the test's data must give this query something to find").isNotEmpty();
    List<JobPage> pages = walk(query.withLimit(3));
    assertThat(ids(pages)).as("query %s", query).containsExactlyElementsOf(expected);
    assertThat(pages.get(pages.size() - 1).nextCursor()).isNull();
    assertThat(store().find(query.withLimit(500)).jobs())
        .extracting(Job::id)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void each_filter_selects_its_jobs() {
    List<Stored> stored = mixedJobs();
    Instant t5 = TestClock.BASE.plus(Duration.ofMinutes(5));
    Instant t15 = TestClock.BASE.plus(Duration.ofMinutes(15));

    assertQueryFinds(
        JobQuery.all().withStates(Set.of(JobState.READY)),
        stored,
        s -> s.state() == JobState.READY);
    assertQueryFinds(
        JobQuery.all().withStates(Set.of(JobState.SCHEDULED, JobState.CANCELLED)),
        stored,
        s -> s.state() == JobState.SCHEDULED || s.state() == JobState.CANCELLED);
    assertQueryFinds(
        JobQuery.all().withStates(Set.of(JobState.RUNNING)),
        stored,
        s -> s.state() == JobState.RUNNING);
    assertQueryFinds(
        JobQuery.all().withLane("cognition"), stored, s -> s.lane().equals("cognition"));
    assertQueryFinds(JobQuery.all().withType("digest"), stored, s -> s.type().equals("digest"));
    assertQueryFinds(
        JobQuery.all().withCorrelationId("c1"), stored, s -> "c1".equals(s.correlationId()));
    assertQueryFinds(JobQuery.all().withSince(t5), stored, s -> !s.createdAt().isBefore(t5));
    assertQueryFinds(JobQuery.all().withUntil(t15), stored, s -> s.createdAt().isBefore(t15));
  }

  @Test
  void filters_combine() {
    List<Stored> stored = mixedJobs();
    Instant t3 = TestClock.BASE.plus(Duration.ofMinutes(3));
    Instant t20 = TestClock.BASE.plus(Duration.ofMinutes(20));

    assertQueryFinds(
        JobQuery.all()
            .withStates(Set.of(JobState.READY, JobState.RUNNING))
            .withLane("background")
            .withType("reply")
            .withSince(t3)
            .withUntil(t20),
        stored,
        s ->
            (s.state() == JobState.READY || s.state() == JobState.RUNNING)
                && s.lane().equals("background")
                && s.type().equals("reply")
                && !s.createdAt().isBefore(t3)
                && s.createdAt().isBefore(t20));
    assertQueryFinds(
        JobQuery.all().withCorrelationId("c2").withType("reply"),
        stored,
        s -> "c2".equals(s.correlationId()) && s.type().equals("reply"));
    assertQueryFinds(
        JobQuery.all().withLane("cognition").withCorrelationId("c1").withSince(t3),
        stored,
        s ->
            s.lane().equals("cognition")
                && Objects.equals(s.correlationId(), "c1")
                && !s.createdAt().isBefore(t3));
  }

  @Test
  void a_query_matching_nothing_answers_an_empty_page_without_a_cursor() {
    mixedJobs();

    JobPage page =
        store().find(JobQuery.all().withLane("cognition").withCorrelationId("no-such-id"));

    assertThat(page.jobs()).isEmpty();
    assertThat(page.nextCursor()).isNull();
    assertThat(store().find(JobQuery.all().withSince(now().plusSeconds(1))).jobs()).isEmpty();
  }
}
