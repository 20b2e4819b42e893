package dev.vigil.job;

import java.time.Instant;

/**
 * One finished attempt at a job: when it started and ended, how it ended, which worker ran it,
 * and the error if it did not succeed.
 */
public record Attempt(
    int attempt,
    Instant startedAt,
    Instant finishedAt,
    AttemptOutcome outcome,
    String workerId,
    JobError error) {}
