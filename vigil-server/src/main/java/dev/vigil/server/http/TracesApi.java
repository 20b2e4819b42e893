package dev.vigil.server.http;

import dev.vigil.NotFoundException;
import dev.vigil.Vigil;
import dev.vigil.internal.CorrelationIds;
import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/traces/{correlation_id}}: every job with that correlation id and its
 * lifecycle, in time order, with parent-child links. Built from the stored jobs and their attempts;
 * a trace lists at most {@value #MAX_JOBS} jobs (the oldest ones, and {@code truncated: true}).
 */
final class TracesApi {
  /** The most jobs one trace shows. */
  static final int MAX_JOBS = 1_000;

  private final Vigil vigil;

  TracesApi(Vigil vigil) {
    this.vigil = vigil;
  }

  /** 200 with the trace; 404 when no job has that correlation id. */
  void get(Context ctx) {
    String id = ctx.pathParam("correlation_id");
    var found = new ArrayList<Job>();
    String cursor = null;
    boolean truncated = false;
    if (id.length() <= CorrelationIds.MAX_LENGTH) {
      JobQuery query = JobQuery.all().withCorrelationId(id).withLimit(JobQuery.MAX_LIMIT);
      do {
        JobPage page = vigil.find(query.withCursor(cursor));
        found.addAll(page.jobs());
        cursor = page.nextCursor();
      } while (cursor != null && found.size() < MAX_JOBS);
      truncated = cursor != null || found.size() > MAX_JOBS;
    }
    if (found.isEmpty()) {
      throw new NotFoundException("trace", id.length() > 60 ? id.substring(0, 60) + "…" : id);
    }
    // pages come newest first; a truncated trace keeps its oldest jobs, where the request began
    List<Job> jobs = new ArrayList<>(found.reversed());
    if (jobs.size() > MAX_JOBS) {
      jobs = jobs.subList(0, MAX_JOBS);
    }
    List<Job> detailed = jobs.stream().map(j -> vigil.get(j.id()).orElse(j)).toList();
    Json.send(ctx, 200, TraceJson.trace(id, detailed, truncated));
  }
}
