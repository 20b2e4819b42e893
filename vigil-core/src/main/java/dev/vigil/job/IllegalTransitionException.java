package dev.vigil.job;

import dev.vigil.VigilException;

/**
 * Thrown when an action asks a job to move to a state its lifecycle does not allow from where it
 * is, for example cancelling a job that has already succeeded. Nothing is changed.
 */
public final class IllegalTransitionException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final JobState from;
  private final JobState to;

  public IllegalTransitionException(String jobId, JobState from, JobState to) {
    this(jobId, from, to, "job " + jobId + " cannot go from " + from.wireName() + " to " + to.wireName());
  }

  public IllegalTransitionException(String jobId, JobState from, JobState to, String message) {
    super(message);
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  public String jobId() {
    return jobId;
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }
}
