package dev.vigil.job;

import dev.vigil.NotFoundException;

/** Thrown when an action names a job id that the store does not hold. */
public final class JobNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  public JobNotFoundException(String jobId) {
    super("job", jobId);
  }

  public String jobId() {
    return name();
  }
}
