package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Ready listeners: told, after the commit, the lane of newly ready work (enqueue, promotion, retry,
 * lease given back), so that idle dispatchers wake without polling. A listener may be told more
 * than once and, with a shared database, late; the tests therefore count notifications per lane and
 * wait for them with Awaitility.
 */
public abstract class ReadyListenerContract extends ContractSupport {

  /** How long no new notification must arrive before the listeners count as settled. */
  private static final Duration QUIET = Duration.ofMillis(250);

  protected ReadyListenerContract(JobStoreContract kit) {
    super(kit);
  }

  /** Records every lane a listener is told of. */
  private static final class Told {
    final List<String> lanes = new CopyOnWriteArrayList<>();

    long count(String lane) {
      return lanes.stream().filter(lane::equals).count();
    }
  }

  private Told listen() {
    Told told = new Told();
    store().addReadyListener(told.lanes::add);
    return told;
  }

  /** Waits until the listener has heard nothing new for {@link #QUIET}. */
  private static void awaitSettled(Told told) {
    AtomicInteger lastSize = new AtomicInteger(-1);
    AtomicLong lastChange = new AtomicLong();
    eventually()
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              int size = told.lanes.size();
              long t = System.nanoTime();
              if (size != lastSize.getAndSet(size)) {
                lastChange.set(t);
                return false;
              }
              return t - lastChange.get() >= QUIET.toNanos();
            });
  }

  private static void awaitMoreThan(Told told, String lane, long before) {
    eventually()
        .untilAsserted(
            () ->
                assertThat(told.count(lane))
                    .as("notifications of lane %s", lane)
                    .isGreaterThan(before));
  }

  @Test
  void an_enqueue_of_ready_jobs_tells_every_listener_their_lanes() {
    Told first = listen();
    Told second = listen();

    store()
        .enqueue(
            List.of(
                newJob().lane("cognition").build(),
                newJob().lane("social").build(),
                newJob().lane("cognition").build()));

    for (Told told : List.of(first, second)) {
      eventually().untilAsserted(() -> assertThat(told.lanes).contains("cognition", "social"));
    }
  }

  @Test
  void an_enqueue_of_scheduled_jobs_tells_no_listener() {
    Told told = listen();

    enqueue(newJob().lane("sensory").scheduledAt(now().plusSeconds(60)));
    enqueue(newJob().lane("background"));

    awaitMoreThan(told, "background", 0);
    awaitSettled(told);
    assertThat(told.lanes).doesNotContain("sensory");
  }

  @Test
  void promotion_tells_the_listeners_the_promoted_lanes() {
    Told told = listen();
    enqueue(newJob().lane("social").scheduledAt(now().plusSeconds(5)));
    enqueue(newJob().lane("sensory").scheduledAt(now().plusSeconds(5)));
    advance(Duration.ofSeconds(5));

    assertThat(store().promoteDue(now(), 10)).hasSize(2);

    eventually().untilAsserted(() -> assertThat(told.lanes).contains("social", "sensory"));
  }

  @Test
  void a_retry_tells_the_listeners() {
    Told told = listen();
    Job dead = jobIn(JobState.DEAD, newJob().lane("social"));
    awaitSettled(told);
    long before = told.count("social");

    store().retry(dead.id(), now());

    awaitMoreThan(told, "social", before);
  }

  @Test
  void a_finish_that_gives_the_lease_back_tells_the_listeners() {
    Told told = listen();
    Job running = jobIn(JobState.RUNNING, newJob().lane("cognition"));
    awaitSettled(told);
    long before = told.count("cognition");

    finish(running, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null, null, null);

    awaitMoreThan(told, "cognition", before);
  }

  @Test
  void an_unclaim_tells_the_listeners() {
    Told told = listen();
    Job running = jobIn(JobState.RUNNING, newJob().lane("sensory"));
    awaitSettled(told);
    long before = told.count("sensory");

    store().unclaim(List.of(Lease.of(running)), now());

    awaitMoreThan(told, "sensory", before);
  }
}
