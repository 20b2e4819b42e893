package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.core.ConditionFactory;

/**
 * What every group of {@link JobStoreContract} shares: the store under test, the test's clock and
 * ids, and short steps that drive jobs through their lifecycle with the store's own API (never by
 * reaching into its tables).
 */
public abstract class ContractSupport {
  /** The lease every claim in the kit takes unless a test says otherwise. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected static final String WORKER = "worker-1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobStoreContract kit;

  protected ContractSupport(JobStoreContract kit) {
    this.kit = kit;
  }

  protected final JobStore store() {
    return kit.store();
  }

  protected final JobStoreContract kit() {
    return kit;
  }

  protected final Instant now() {
    return kit.clock().now();
  }

  protected final Instant advance(Duration by) {
    return kit.clock().advance(by);
  }

  protected final String nextId() {
    return kit.ids().next();
  }

  /** A ready job with a fresh id, created and due now. */
  protected final NewJobBuilder newJob() {
    return new NewJobBuilder(nextId(), now());
  }

  /** Enqueues one job and returns the store's answer for it. */
  protected final Job enqueue(NewJob job) {
    List<Job> answer = store().enqueue(List.of(job));
    assertThat(answer).as("one answer per enqueued job").hasSize(1);
    return answer.get(0);
  }

  protected final Job enqueue(NewJobBuilder job) {
    return enqueue(job.build());
  }

  /** The stored job, which must exist. */
  protected final Job get(String id) {
    return store()
        .get(id)
        .orElseThrow(() -> new AssertionError("expected the store to hold job " + id));
  }

  protected static ClaimRequest.LaneQuota quota(String lane, int max) {
    return new ClaimRequest.LaneQuota(lane, max, Lane.UNLIMITED);
  }

  protected static ClaimRequest.LaneQuota quota(String lane, int max, int laneCap) {
    return new ClaimRequest.LaneQuota(lane, max, laneCap);
  }

  protected final ClaimRequest request(String worker, ClaimRequest.LaneQuota... quotas) {
    return new ClaimRequest(worker, Arrays.asList(quotas), Set.of(), LEASE, now());
  }

  protected final List<Job> claim(String worker, ClaimRequest.LaneQuota... quotas) {
    return store().claim(request(worker, quotas));
  }

  /** Claims up to {@code max} jobs of one lane for {@link #WORKER}, with no lane cap. */
  protected final List<Job> claim(String lane, int max) {
    return claim(WORKER, quota(lane, max));
  }

  /**
   * Claims exactly this ready job for {@code worker}: the test must have made it the oldest ready
   * job of its type in its lane.
   */
  protected final Job claimJob(Job job, String worker) {
    List<Job> claimed =
        store()
            .claim(
                new ClaimRequest(
                    worker, List.of(quota(job.lane(), 1)), Set.of(job.type()), LEASE, now()));
    assertThat(claimed)
        .as("claim of job %s", job.id())
        .extracting(Job::id)
        .containsExactly(job.id());
    return claimed.get(0);
  }

  protected final Job claimJob(Job job) {
    return claimJob(job, WORKER);
  }

  protected final Job finish(
      Job running,
      AttemptOutcome outcome,
      JobState next,
      Instant retryAt,
      JobError error,
      String resultJson) {
    return store()
        .finish(
            new Finish(
                running.id(),
                running.leaseToken(),
                outcome,
                next,
                retryAt,
                error,
                resultJson,
                now()));
  }

  protected final Job succeed(Job running) {
    return finish(running, AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, "{}");
  }

  protected final Job failToDead(Job running) {
    return finish(
        running, AttemptOutcome.FAILED, JobState.DEAD, null, JobError.of("Boom", "it broke"), null);
  }

  /** Enqueues a fresh default job and drives it, through the store's API, into {@code state}. */
  protected final Job jobIn(JobState state) {
    return jobIn(state, newJob());
  }

  /**
   * Enqueues {@code job} and drives it into {@code state}. For {@code running} and the states after
   * it, the job must be the oldest ready job of its type in its lane.
   */
  protected final Job jobIn(JobState state, NewJobBuilder job) {
    return switch (state) {
      case SCHEDULED -> enqueue(job.scheduledAt(now().plus(Duration.ofHours(1))));
      case READY -> enqueue(job);
      case RUNNING -> claimJob(enqueue(job));
      case SUCCEEDED -> succeed(claimJob(enqueue(job)));
      case DEAD -> failToDead(claimJob(enqueue(job)));
      case CANCELLED -> store().cancel(enqueue(job).id(), now());
    };
  }

  /** Asserts that two JSON texts hold the same value (stores may re-format JSON). */
  protected static void assertSameJson(String actual, String expected) {
    assertThat(actual).as("JSON text").isNotNull();
    assertThat(readJson(actual)).as("JSON %s", actual).isEqualTo(readJson(expected));
  }

  private static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** Awaitility with a short poll interval and a generous ceiling. */
  protected static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5));
  }

  /**
   * Runs {@code task} on {@code threads} threads that start together, and returns each thread's
   * answer in thread order. Fails if any thread fails or a minute passes.
   */
  protected static <T> List<T> inParallel(int threads, IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int thread = i;
        Callable<T> call =
            () -> {
              start.await();
              return task.apply(thread);
            };
        futures.add(pool.submit(call));
      }
      start.countDown();
      List<T> answers = new ArrayList<>();
      for (Future<T> future : futures) {
        answers.add(future.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }
}
