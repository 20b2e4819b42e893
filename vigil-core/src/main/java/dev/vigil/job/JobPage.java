package dev.vigil.job;

import java.util.List;

/**
 * One page of a job listing, newest first.
 *
 * @param nextCursor pass to {@link JobQuery#withCursor(String)} for the next page; {@code null}
 *     on the last page
 */
public record JobPage(List<Job> jobs, String nextCursor) {
  public JobPage {
    jobs = List.copyOf(jobs);
  }
}
