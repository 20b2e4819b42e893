package dev.vigil;

import dev.vigil.Breaker.Verdict;
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
 * Ends attempts: decides the job's next state from the outcome and its retry policy, and writes
 * it fenced by the lease token, publishing the transition. Shared by in-process executions (which
 * hand the decided {@link Finish} to the {@link CompletionBatcher}), the lease reaper, shutdown
 * and remote workers (which write at once), so every path obeys the same rules, and every error
 * is redacted ({@link EngineConfig#redactor()}) before it is written. Each decision also tells the
 * circuit breakers how the attempt ended ({@link Breakers#ended}): a success, a retryable failure
 * or timeout, or neither (a failure that is not retryable, a cancellation, a lost or given-back
 * lease say nothing about the dependency a breaker watches).
 */
final class Completions {
  private final EngineConfig config;
  private final JobStore store;
  private final JobEvents events;
  private final RandomGenerator random;
  private final Breakers breakers;

  Completions(EngineConfig config, JobStore store, JobEvents events, RandomGenerator random, Breakers breakers) {
    this.config = config;
    this.store = store;
    this.events = events;
    this.random = random;
    this.breakers = breakers;
  }

  // ---- decisions

  Finish success(Job running, String resultJson) {
    breakers.ended(running, Verdict.SUCCEEDED);
    return finish(running, AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, resultJson);
  }

  /**
   * A failed, timed-out or rescued attempt: retried after a back-off while attempts remain and
   * {@code retryable}, otherwise dead.
   */
  Finish failure(Job running, AttemptOutcome outcome, JobError error, boolean retryable) {
    boolean dependency = outcome == AttemptOutcome.FAILED || outcome == AttemptOutcome.TIMED_OUT;
    breakers.ended(running, retryable && dependency ? Verdict.FAILED : Verdict.NEUTRAL);
    if (retryable && running.mayRetry()) {
      Instant retryAt =
          config.clock().instant().plus(config.retryFor(running.type()).delayAfter(running.attempt(), random));
      return finish(running, outcome, JobState.SCHEDULED, retryAt, error, null);
    }
    return finish(running, outcome, JobState.DEAD, null, error, null);
  }

  Finish cancellation(Job running) {
    breakers.ended(running, Verdict.NEUTRAL);
    return finish(
        running, AttemptOutcome.CANCELLED, JobState.CANCELLED, null,
        JobError.of("Cancelled", "cancelled while running"), null);
  }

  /**
   * Gives a started job back to the queue (shutdown): its attempt is recorded, and it does not
   * count toward {@code max_attempts}.
   */
  Finish releasing(Job running, String why) {
    breakers.ended(running, Verdict.NEUTRAL);
    return finish(
        running, AttemptOutcome.LEASE_EXPIRED, JobState.READY, null, JobError.of("LeaseReleased", why), null);
  }

  // ---- writes

  /**
   * Writes a decided finish now.
   *
   * @throws LeaseLostException if the token is no longer the job's lease
   */
  Job write(Finish finish) {
    Job after = store.finish(finish);
    events.transition(after, JobState.RUNNING, finish);
    return after;
  }

  private Finish finish(
      Job running, AttemptOutcome outcome, JobState next, Instant retryAt, JobError error, String resultJson) {
    return new Finish(
        running.id(), running.leaseToken(), outcome, next, retryAt, redact(error), resultJson, config.clock().instant());
  }

  /** Every stored error passes here: its message and stack are redacted before anything writes them. */
  private JobError redact(JobError error) {
    if (error == null) {
      return null;
    }
    return new JobError(
        config.redact(error.type()), config.redact(error.message()), config.redact(error.stack()),
        config.redact(error.fingerprint()));
  }
}
