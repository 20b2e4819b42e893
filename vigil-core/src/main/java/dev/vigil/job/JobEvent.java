package dev.vigil.job;

import java.time.Instant;

/**
 * One state change of one job, as published on the event bus. {@code from} is {@code null} for
 * a job's creation. Events carry no payload, so subscribers never see user content.
 */
public record JobEvent(
    String jobId,
    String type,
    String lane,
    JobState from,
    JobState to,
    Instant at,
    String correlationId,
    int attempt) {}
