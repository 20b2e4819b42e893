package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The remote variant of the isolation scenario (issue 10): the same story, with every job run by
 * workers in the harness that talk to a real {@link VigilServer} over HTTP on loopback (embedded
 * store, no in-process handlers), as a chat bot whose workers live in other processes would.
 *
 * <p>The workers are {@link Sizes#remoteWorkers()} platform threads, each with its own JDK {@link
 * HttpClient} (HTTP/1.1) and one slot: it loops {@code POST /api/v1/claim} with {@code
 * "lanes":["cognition","background"],"max":1,"slots":1}, runs what it got (a background {@code
 * dream} sleeps {@link Sizes#dreamLength()}, a {@code chat} does nothing), then {@code POST
 * /api/v1/jobs/{id}/complete} with the lease token. The workers first all wait in their claims;
 * then the background backlog is enqueued ({@code POST /api/v1/jobs/batch}, 100 per request, one dream
 * per worker plus {@link Sizes#dreamBacklog()}); once as many dreams have started as the fleet has
 * slots outside {@code background}'s reserve, chat jobs are enqueued one per {@code POST
 * /api/v1/jobs}, as the in-process variant's Poisson stream (same rate, window and seed).
 *
 * <p>A chat job's wait runs from just before its enqueue request is sent to the moment a worker
 * has received the claim answer carrying it: the enqueue round trip, the engine's dispatch and the
 * claim's answer, all through the loopback HTTP stack. Chat jobs that no worker has received twice
 * the dream length plus 5 s after the stream ends count with the wait they had then ({@code
 * not_started}), so the figures are then lower bounds. Also reported: how many dreams were running
 * when the stream began, and how many started and completed during it (background must keep
 * progressing). Workers and server stop at the end, whatever the backlog holds.
 *
 * <pre>./vigil bench --scenario isolation --no-peers</pre>
 */
final class RemoteIsolation {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a claim waits for work before the worker asks again. */
  static final Duration CLAIM_WAIT = Duration.ofSeconds(1);

  /** The lease a worker asks for: well beyond a dream, so no lease expires during the run. */
  static final Duration LEASE = Duration.ofSeconds(60);

  private static final String DREAM = "{\"type\":\"dream\",\"lane\":\"background\"}";

  private final BenchContext ctx;
  private final IsolationResult result = new IsolationResult();
  private final LongAdder dreamsCompleted = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean stopping;

  private RemoteIsolation(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** Runs the remote variant; returns its figures. */
  static Map<String, Object> run(BenchContext ctx) throws Exception {
    return new RemoteIsolation(ctx).measure();
  }

  private Map<String, Object> measure() throws Exception {
    Sizes s = ctx.sizes();
    ServerConfig config =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDir(ctx.freshDir("vigil-isolation-remote"))
            .shutdownGrace(Duration.ZERO)
            .build();
    long completedInWindow;
    try (VigilServer server = VigilServer.start(config)) {
      URI base = URI.create(server.url());
      List<Thread> workers = new ArrayList<>();
      try {
        for (int i = 0; i < s.remoteWorkers(); i++) {
          int n = i;
          workers.add(
              Thread.ofPlatform().name("bench-remote-worker-" + n).start(() -> work(base, n)));
        }
        String label = "isolation/vigil-remote";
        ctx.progress().status(label, () -> "workers connecting");
        Waits.until(
            () -> server.vigil().waitingClaims() >= s.remoteWorkers() || failure.get() != null,
            Duration.ofMillis(5),
            Duration.ofSeconds(10));
        ctx.progress().status(label, () -> "enqueueing background jobs");
        enqueueBacklog(base, s.remoteWorkers() + s.dreamBacklog());
        int saturated = Math.max(1, s.remoteWorkers() - IsolationScenario.backgroundReserve());
        Waits.until(
            () -> result.dreamsStarted.sum() >= saturated || failure.get() != null,
            Duration.ofMillis(10),
            Duration.ofSeconds(30));
        result.dreamsRunningAtStart = result.dreamsStarted.sum() - dreamsCompleted.sum();
        long completedBefore = dreamsCompleted.sum();
        URI enqueue = base.resolve("/api/v1/jobs");
        try (HttpClient http = BenchHttp.client()) {
          IsolationScenario.stream(
              ctx, label, result, (seq, t) -> sendChat(http, enqueue, seq, t));
        }
        completedInWindow = dreamsCompleted.sum() - completedBefore;
        Duration grace = s.dreamLength().multipliedBy(2).plusSeconds(5);
        ctx.progress()
            .status(label, () -> "grace: " + result.waiting.size() + " chat jobs still waiting");
        Waits.until(() -> result.waiting.isEmpty(), Duration.ofMillis(10), grace);
        result.close();
      } finally {
        stop(workers);
      }
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    var m = result.figures();
    m.put("background_completed_during_stream", completedInWindow);
    m.put("remote_workers", s.remoteWorkers());
    m.put("slots_per_worker", 1);
    m.put("errors", errors.sum());
    m.put(
        "note",
        "remote workers over HTTP, 1 slot each; wait: enqueue request to the claim answer");
    return m;
  }

  /** One worker: claim one job, run it, complete it, until the run stops. */
  private void work(URI base, int n) {
    Sizes s = ctx.sizes();
    HttpClient http = BenchHttp.client();
    URI claim = base.resolve("/api/v1/claim");
    String claimBody =
        "{\"worker_id\":\"w-"
            + n
            + "\",\"lanes\":[\"cognition\",\"background\"],\"max\":1,\"slots\":1,\"wait_ms\":"
            + CLAIM_WAIT.toMillis()
            + ",\"lease_ms\":"
            + LEASE.toMillis()
            + "}";
    try {
      while (!stopping) {
        HttpResponse<String> res =
            http.send(BenchHttp.post(claim, claimBody), HttpResponse.BodyHandlers.ofString());
        long received = System.nanoTime();
        if (res.statusCode() != 200) {
          errors.increment();
          Thread.sleep(10);
          continue;
        }
        for (JsonNode job : JSON.readTree(res.body()).path("jobs")) {
          boolean dream = job.path("type").asText().equals("dream");
          if (dream) {
            result.dreamsStarted.increment();
            Thread.sleep(s.dreamLength());
          } else {
            JsonNode payload = job.path("payload");
            result.started(payload.path("seq").asLong(), payload.path("t").asLong(), received);
          }
          if (complete(http, base, job) != 200) {
            errors.increment();
          } else if (dream) {
            dreamsCompleted.increment();
          }
        }
      }
    } catch (InterruptedException e) {
      // stopped
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        failure.compareAndSet(null, e);
      }
    } finally {
      http.shutdownNow();
    }
  }

  /** {@code POST /api/v1/jobs/{id}/complete} with the job's lease token; returns the status. */
  private static int complete(HttpClient http, URI base, JsonNode job)
      throws IOException, InterruptedException {
    URI uri = base.resolve("/api/v1/jobs/" + job.path("id").asText() + "/complete");
    var body = JSON.createObjectNode().put("lease_token", job.path("lease_token").asText());
    return http.send(BenchHttp.post(uri, body.toString()), HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /** Enqueues {@code dreams} background jobs, 100 per {@code POST /api/v1/jobs/batch}. */
  private static void enqueueBacklog(URI base, int dreams) throws Exception {
    URI batch = base.resolve("/api/v1/jobs/batch");
    try (HttpClient http = BenchHttp.client()) {
      for (int i = 0; i < dreams; i += 100) {
        int n = Math.min(100, dreams - i);
        String body = "{\"jobs\":[" + String.join(",", Collections.nCopies(n, DREAM)) + "]}";
        HttpResponse<String> res =
            http.send(BenchHttp.post(batch, body), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
          throw new IllegalStateException(
              "background enqueue answered " + res.statusCode() + ": " + res.body());
        }
      }
    }
  }

  /** Enqueues chat job {@code seq} with {@code POST /api/v1/jobs}; {@code t} was read before. */
  private void sendChat(HttpClient http, URI enqueue, long seq, long t) throws Exception {
    String body =
        "{\"type\":\"chat\",\"lane\":\"cognition\",\"payload\":{\"seq\":"
            + seq
            + ",\"t\":"
            + t
            + "}}";
    HttpResponse<String> res = http.send(BenchHttp.post(enqueue, body), HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 201) {
      result.waiting.remove(seq);
      errors.increment();
    }
  }

  /** Stops the workers: their claims and dreams are interrupted; jobs they hold stay running. */
  private void stop(List<Thread> workers) throws InterruptedException {
    stopping = true;
    workers.forEach(Thread::interrupt);
    for (Thread w : workers) {
      w.join(Duration.ofSeconds(10));
    }
  }

}
