package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import java.time.InstantSource;

/** Publishes a job's state changes on the event bus, in one shape for every path. */
final class JobEvents {
  private final EventBus bus;
  private final InstantSource clock;

  JobEvents(EventBus bus, InstantSource clock) {
    this.bus = bus;
    this.clock = clock;
  }

  /** Publishes that {@code job} (as it is now) came from state {@code from} ({@code null}: created). */
  void transition(Job job, JobState from) {
    if (from == job.state()) {
      return;
    }
    bus.publish(
        new JobEvent(
            job.id(), job.type(), job.lane(), from, job.state(), clock.instant(),
            job.correlationId(), job.attempt()));
  }
}
