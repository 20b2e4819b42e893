package dev.vigil.job;

/**
 * Runs jobs of one type. Handlers run on virtual threads, one call per attempt, and may block.
 *
 * <p>Returning normally marks the job {@code succeeded} (with the result set by {@link
 * JobContext#result(Object)}, if any). Throwing {@link NonRetryableException} sends it to {@code
 * dead} at once; any other exception is a failure retried by the job type's policy.
 *
 * <p>When an attempt runs past its timeout, or the job is cancelled, the handler's thread is
 * interrupted. A handler that ignores the interrupt does not keep its worker slot: the slot is
 * released at the deadline, the attempt is recorded as {@code timed_out} (or the job as {@code
 * cancelled}), and whatever the handler returns later is discarded. Handlers must therefore be
 * safe to run more than once (delivery is at-least-once).
 */
@FunctionalInterface
public interface JobHandler {
  void handle(JobContext ctx) throws Exception;
}
