package dev.vigil.store;

import dev.vigil.job.Job;
import java.util.Objects;

/**
 * A job's lease as its holder knows it: the job and the token that fences every report on it.
 *
 * @param jobId the leased job
 * @param token the lease token the claim handed out
 */
public record Lease(String jobId, String token) {

  public Lease {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(token, "token");
  }

  /** The current lease of a job as a claim returned it. */
  public static Lease of(Job claimed) {
    return new Lease(claimed.id(), claimed.leaseToken());
  }
}
