package dev.vigil.job;

import dev.vigil.VigilException;

/** Thrown when an action names a job id that the store does not hold. */
public final class JobNotFoundException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String jobId;

  public JobNotFoundException(String jobId) {
    super("no job with id " + jobId);
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}
