package dev.vigil.job;

import dev.vigil.VigilException;

/**
 * Thrown when a worker reports on a job with a lease token that is no longer the job's current
 * one: its lease expired and the job was rescued or handed to someone else, or the job already
 * ended. The stale worker's report changes nothing.
 */
public final class LeaseLostException extends VigilException {
  private static final long serialVersionUID = 1L;

  private final String jobId;

  public LeaseLostException(String jobId) {
    super("lease on job " + jobId + " is no longer held by this token");
    this.jobId = jobId;
  }

  public String jobId() {
    return jobId;
  }
}
