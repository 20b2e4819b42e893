package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import dev.vigil.store.Finish;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Publishes a job's state changes on the event bus, in one shape for every path, and records them
 * in the engine's meters and in the lanes' drain rates.
 */
final class JobEvents {
  private final EventBus<JobEvent> bus;
  private final InstantSource clock;
  private final EngineMetrics metrics;
  private final LaneDrain drain;

  JobEvents(EventBus<JobEvent> bus, InstantSource clock) {
    this(bus, clock, EngineMetrics.DISABLED);
  }

  JobEvents(EventBus<JobEvent> bus, InstantSource clock, EngineMetrics metrics) {
    this(bus, clock, metrics, null);
  }

  /** @param drain counts the jobs that leave {@code ready} for {@code running}; null for none */
  JobEvents(EventBus<JobEvent> bus, InstantSource clock, EngineMetrics metrics, LaneDrain drain) {
    this.bus = bus;
    this.clock = clock;
    this.metrics = metrics;
    this.drain = drain;
  }

  /** Publishes that {@code job} (as it is now) came from state {@code from} ({@code null}: created). */
  void transition(Job job, JobState from) {
    transition(job, from, null);
  }

  /**
   * Publishes that {@code job} (as it is now) came from state {@code from}, ending an attempt as
   * {@code finish} wrote it ({@code null}: no attempt ended): the event carries its outcome and its
   * stored (redacted) error.
   */
  void transition(Job job, JobState from, Finish finish) {
    if (from == job.state()) {
      return;
    }
    Instant at = clock.instant();
    metrics.transition(job, from, at);
    if (drain != null && from == JobState.READY && job.state() == JobState.RUNNING) {
      drain.started(job.lane());
    }
    bus.publish(
        new JobEvent(
            job.id(), job.type(), job.lane(), from, job.state(), at,
            job.correlationId(), job.attempt(),
            finish == null ? null : finish.outcome(), finish == null ? null : finish.error()));
  }

  /** A running job's expired lease was taken back by the housekeeper. */
  void leaseRescued() {
    metrics.leaseRescued();
  }
}
