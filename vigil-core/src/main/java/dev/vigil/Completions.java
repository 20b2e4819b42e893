package dev.vigil;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.store.Finish;
import dev.vigil.store.JobStore;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Ends attempts: decides the job's next state from the outcome and its retry policy, writes it
 * fenced by the lease token, and publishes the transition. Shared by in-process executions, the
 * lease reaper, shutdown and remote workers, so every path obeys the same rules.
 */
final class Completions {
  private final EngineConfig config;
  private final JobStore store;
  private final JobEvents events;
  private final RandomGenerator random;

  Completions(EngineConfig config, JobStore store, JobEvents events, RandomGenerator random) {
    this.config = config;
    this.store = store;
    this.events = events;
    this.random = random;
  }

  /** @throws LeaseLostException if the token is no longer the job's lease */
  Job succeed(Job running, String leaseToken, String resultJson) {
    return write(running, leaseToken, AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, resultJson);
  }

  /**
   * A failed, timed-out or rescued attempt: retried after a back-off while attempts remain and
   * {@code retryable}, otherwise dead.
   *
   * @throws LeaseLostException if the token is no longer the job's lease
   */
  Job fail(Job running, String leaseToken, AttemptOutcome outcome, JobError error, boolean retryable) {
    Instant now = config.clock().instant();
    if (retryable && running.attempt() < running.maxAttempts()) {
      Instant retryAt =
          now.plus(config.retryFor(running.type()).delayAfter(running.attempt(), random));
      return write(running, leaseToken, outcome, JobState.SCHEDULED, retryAt, error, null);
    }
    return write(running, leaseToken, outcome, JobState.DEAD, null, error, null);
  }

  /** @throws LeaseLostException if the token is no longer the job's lease */
  Job cancelled(Job running, String leaseToken) {
    return write(
        running, leaseToken, AttemptOutcome.CANCELLED, JobState.CANCELLED, null,
        JobError.of("Cancelled", "cancelled while running"), null);
  }

  /**
   * Gives a running job back to the queue without counting it as a failure (shutdown).
   *
   * @throws LeaseLostException if the token is no longer the job's lease
   */
  Job release(Job running, String leaseToken, String why) {
    return write(
        running, leaseToken, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null,
        JobError.of("LeaseReleased", why), null);
  }

  private Job write(
      Job running,
      String token,
      AttemptOutcome outcome,
      JobState next,
      Instant retryAt,
      JobError error,
      String resultJson) {
    Instant now = config.clock().instant();
    Job after = store.finish(new Finish(running.id(), token, outcome, next, retryAt, error, resultJson, now));
    events.transition(after, JobState.RUNNING);
    return after;
  }
}
