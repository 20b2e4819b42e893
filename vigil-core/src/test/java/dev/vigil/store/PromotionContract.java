package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scheduled promotion: due jobs become ready, a batch at a time; the next run time is known. */
public abstract class PromotionContract extends ContractSupport {

  protected PromotionContract(JobStoreContract kit) {
    super(kit);
  }

  @Test
  void promote_due_moves_only_jobs_whose_run_at_has_come() {
    Instant t = now().plusSeconds(60);
    Job early = enqueue(newJob().scheduledAt(t.minusSeconds(1)));
    Job onTheDot = enqueue(newJob().scheduledAt(t));
    Job justLater = enqueue(newJob().scheduledAt(t.plusMillis(1)));
    Job muchLater = enqueue(newJob().scheduledAt(t.plusSeconds(3600)));
    Job ready = enqueue(newJob());
    advance(Duration.ofSeconds(60));

    List<Job> promoted = store().promoteDue(now(), 100);

    assertThat(promoted).extracting(Job::id).containsExactlyInAnyOrder(early.id(), onTheDot.id());
    assertThat(promoted).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.READY));
    assertThat(get(early.id()).state()).isEqualTo(JobState.READY);
    assertThat(get(onTheDot.id()).state()).isEqualTo(JobState.READY);
    assertThat(get(justLater.id()).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(get(muchLater.id()).state()).isEqualTo(JobState.SCHEDULED);
    assertThat(get(ready.id()).state()).isEqualTo(JobState.READY);
    assertThat(claim("background", 10))
        .extracting(Job::id)
        .containsExactlyInAnyOrder(early.id(), onTheDot.id(), ready.id());
  }

  @Test
  void promote_due_moves_at_most_limit_jobs_per_call() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(enqueue(newJob().scheduledAt(now().plusSeconds(i + 1))).id());
    }
    advance(Duration.ofMinutes(1));

    List<Job> promoted = new ArrayList<>(store().promoteDue(now(), 2));
    assertThat(promoted).hasSize(2);
    assertThat(store().countByState().get(JobState.READY)).isEqualTo(2L);
    assertThat(store().countByState().get(JobState.SCHEDULED)).isEqualTo(3L);
    List<Job> second = store().promoteDue(now(), 2);
    assertThat(second).hasSize(2);
    promoted.addAll(second);
    List<Job> third = store().promoteDue(now(), 2);
    assertThat(third).hasSize(1);
    promoted.addAll(third);
    assertThat(store().promoteDue(now(), 2)).isEmpty();
    assertThat(promoted).extracting(Job::id).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(store().countByState().get(JobState.READY)).isEqualTo(5L);
  }

  @Test
  void promote_due_with_nothing_due_changes_nothing() {
    Job later = enqueue(newJob().scheduledAt(now().plusSeconds(10)));

    assertThat(store().promoteDue(now(), 10)).isEmpty();
    assertThat(get(later.id()).state()).isEqualTo(JobState.SCHEDULED);
  }

  @Test
  void next_scheduled_run_at_is_the_earliest_run_at_among_scheduled_jobs() {
    assertThat(store().nextScheduledRunAt()).isEmpty();
    enqueue(newJob());
    jobIn(JobState.RUNNING, newJob().type("running"));
    assertThat(store().nextScheduledRunAt()).as("ready and running jobs do not count").isEmpty();

    Instant a = now().plusSeconds(30);
    Instant b = now().plusSeconds(10);
    Instant c = now().plusSeconds(20);
    enqueue(newJob().scheduledAt(a));
    Job first = enqueue(newJob().scheduledAt(b).lane("cognition"));
    Job second = enqueue(newJob().scheduledAt(c));

    assertThat(store().nextScheduledRunAt()).contains(b);
    store().cancel(first.id(), now());
    assertThat(store().nextScheduledRunAt()).contains(c);
    advance(Duration.ofSeconds(25));
    assertThat(store().promoteDue(now(), 10)).extracting(Job::id).containsExactly(second.id());
    assertThat(get(second.id()).state()).isEqualTo(JobState.READY);
    assertThat(store().nextScheduledRunAt()).contains(a);
  }
}
