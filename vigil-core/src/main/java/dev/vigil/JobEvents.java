package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import dev.vigil.store.Finish;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Publishes a job's state changes on the event bus, in one shape for every path, and records them
 * in the engine's meters and in the lanes' drain rates.
 */
final class JobEvents {
  /**
   * How long a job's next transition waits at most for its creation to be published: a safety
   * net, since the enqueuing thread publishes it right after the insert returns.
   */
  private static final long CREATION_WAIT_NANOS = 10_000_000_000L;

  private final EventBus<JobEvent> bus;
  /**
   * Jobs being stored whose creation is not published yet. A claim may start a job the moment its
   * insert commits, before the enqueuing thread publishes that it was created; its next transition
   * waits for that, so subscribers see every job's events in order.
   */
  private final Set<String> creating = ConcurrentHashMap.newKeySet();
  private final Object created = new Object();
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
   * Stores new jobs with {@code insert} and publishes the creation of each one stored (not of the
   * duplicates it answers): no later transition of theirs is published before it.
   */
  List<Job> create(List<String> ids, Supplier<List<Job>> insert) {
    creating.addAll(ids);
    try {
      List<Job> stored = insert.get();
      for (Job job : stored) {
        if (!job.duplicate()) {
          transition(job, null);
        }
      }
      return stored;
    } finally {
      ids.forEach(creating::remove);
      synchronized (created) {
        created.notifyAll();
      }
    }
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
    if (from != null && !creating.isEmpty()) {
      awaitCreated(job.id());
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

  private void awaitCreated(String id) {
    long deadline = System.nanoTime() + CREATION_WAIT_NANOS;
    synchronized (created) {
      long left;
      while (creating.contains(id) && (left = deadline - System.nanoTime()) > 0) {
        try {
          created.wait(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** A running job's expired lease was taken back by the housekeeper. */
  void leaseRescued() {
    metrics.leaseRescued();
  }
}
