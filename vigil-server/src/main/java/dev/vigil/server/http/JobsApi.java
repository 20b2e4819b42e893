package dev.vigil.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobRequest;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Enqueue, batch, read, list, cancel and retry jobs. */
final class JobsApi {
  /** The most jobs one batch may hold. */
  static final int MAX_BATCH = 1_000;

  private final Vigil vigil;
  private final JsonBodies bodies;
  private final JobRequests requests;
  private final JobJson.GroupIds groups;

  JobsApi(Vigil vigil, JsonBodies bodies, JobRequests requests, JobJson.GroupIds groups) {
    this.vigil = vigil;
    this.bodies = bodies;
    this.requests = requests;
    this.groups = groups;
  }

  /** {@code POST /api/v1/jobs}: 201 with the job, or 200 with the active job of the same unique key. */
  void enqueue(Context ctx) {
    JobRequest request = correlated(ctx, requests.read(bodies.object(ctx), ""));
    Job job = vigil.enqueue(request);
    Json.send(ctx, job.duplicate() ? 200 : 201, JobJson.job(job, false, groups));
  }

  /** {@code POST /api/v1/jobs/batch}: all stored or none; 201 with the jobs in order. */
  void enqueueBatch(Context ctx) {
    Fields f = Fields.of(bodies.object(ctx), "", Set.of("jobs"));
    JsonNode jobs = f.value("jobs");
    f.check(jobs != null, "jobs", "is required");
    f.check(jobs == null || jobs.isArray(), "jobs", "must be an array of jobs");
    f.check(jobs == null || !jobs.isArray() || (!jobs.isEmpty() && jobs.size() <= MAX_BATCH),
        "jobs", "must hold between 1 and " + MAX_BATCH + " jobs");
    f.done();
    var nodes = new ArrayList<JsonNode>(jobs.size());
    jobs.forEach(nodes::add);
    List<Job> stored = vigil.enqueueAll(requests.readAll(nodes).stream().map(r -> correlated(ctx, r)).toList());
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("jobs");
    stored.forEach(j -> list.add(JobJson.job(j, false, groups)));
    Json.send(ctx, 201, out);
  }

  /** {@code GET /api/v1/jobs/{id}}: the job with its attempts and its timeline. */
  void get(Context ctx) {
    String id = ctx.pathParam("id");
    Job job = vigil.get(id).orElseThrow(() -> new JobNotFoundException(id));
    ObjectNode n = JobJson.job(job, true, groups);
    n.set("usage", JobJson.usage(vigil.usage(job)));
    n.set("timeline", TimelineJson.timeline(job));
    Json.send(ctx, 200, n);
  }

  /** {@code GET /api/v1/jobs?…}: a page of jobs, newest first. */
  void list(Context ctx) {
    JobPage page = vigil.find(JobListQuery.parse(ctx.queryParamMap()));
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("jobs");
    page.jobs().forEach(j -> list.add(JobJson.job(j, false, groups)));
    out.put("next_cursor", page.nextCursor());
    Json.send(ctx, 200, out);
  }

  /** {@code POST /api/v1/jobs/{id}/cancel}. */
  void cancel(Context ctx) {
    Json.send(ctx, 200, JobJson.job(vigil.cancel(ctx.pathParam("id")), false, groups));
  }

  /** A job without its own correlation id takes the request's. */
  private static JobRequest correlated(Context ctx, JobRequest r) {
    return r.correlationId() != null && !r.correlationId().isBlank()
        ? r
        : r.toBuilder().correlationId(Correlation.of(ctx)).build();
  }

  /** {@code POST /api/v1/jobs/{id}/retry}. */
  void retry(Context ctx) {
    Json.send(ctx, 200, JobJson.job(vigil.retry(ctx.pathParam("id")), false, groups));
  }
}
