package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Issue 4, scenario 3: the HTTP API of a {@link VigilServer} on loopback (embedded store, no
 * in-process handlers, so every job waits for a remote worker).
 *
 * <ol>
 *   <li><b>enqueue</b>: after a tenth as many requests unmeasured (at full size, so the JIT has
 *       compiled the request path), 32 clients, each a JDK {@link HttpClient} (HTTP/1.1,
 *       keep-alive) on its own thread, send {@code POST /api/v1/jobs} one job at a time, back to
 *       back; latency is per request, jobs/s over the whole phase.
 *   <li><b>remote workers</b>: 8 workers each loop {@code POST /api/v1/claim} (max 10) and then
 *       {@code POST /api/v1/jobs/{id}/complete} for each job claimed, until every job enqueued in
 *       phase 1 (warm-up included) has succeeded; latency per claim and per complete, jobs/s over
 *       the phase.
 *   <li><b>batches</b>: the same clients, 100 jobs per request, back to back ({@link
 *       #enqueueBatches});
 *   <li><b>paced</b>: a fixed offered load of 10,000 jobs/s in requests of 10 jobs, latency from
 *       when each request was due ({@link #enqueuePaced}).
 * </ol>
 *
 * Jobs go to the {@code cognition} lane, which reserves nothing, so a claim of 10 may take 10. The
 * clients run in the same JVM as the server and share its two cores; {@code
 * cpu_us_per_job_by_thread} shows the split (Jetty's request handlers are virtual threads, so their
 * CPU is charged to the {@code ForkJoinPool} carrier threads, together with the engine's).
 *
 * <pre>./vigil bench --scenario http</pre>
 */
final class HttpScenario implements Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The offered load of the paced enqueue phase, in jobs/s, at full size. */
  static final int PACED_RATE = 10_000;

  /** The offered load of the paced enqueue phase with {@code --quick}. */
  static final int PACED_QUICK_RATE = 2_000;

  /** Jobs per request in the paced enqueue phase. */
  static final int PACED_BATCH = 10;

  private static final String ENQUEUE_BODY =
      "{\"type\":\"noop\",\"lane\":\"cognition\",\"payload\":{\"n\":1}}";

  @Override
  public String name() {
    return "http";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var out = new LinkedHashMap<String, Object>();
    out.put(
        "params",
        Map.of(
            "jobs",
            s.httpJobs(),
            "clients",
            s.httpClients(),
            "remote_workers",
            s.remoteWorkers(),
            "claim_max",
            s.claimMax(),
            "warm_up_jobs",
            s.quick() ? 0 : s.httpJobs() / 10));
    ServerConfig config =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .dataDir(ctx.freshDir("vigil-http"))
            .shutdownGrace(Duration.ZERO)
            .build();
    var vigil = new LinkedHashMap<String, Object>();
    try (VigilServer server = VigilServer.start(config)) {
      URI base = URI.create(server.url());
      int warmUp = s.quick() ? 0 : s.httpJobs() / 10;
      if (warmUp > 0) {
        enqueue(ctx, base, warmUp);
      }
      vigil.put("enqueue", enqueue(ctx, base, s.httpJobs()));
      ctx.progress().say("  enqueue         " + Report.summary(asMap(vigil.get("enqueue"))));
      vigil.put("remote_workers", work(ctx, base));
      ctx.progress().say("  remote workers  " + Report.summary(asMap(vigil.get("remote_workers"))));
      vigil.put("enqueue_batch_100", enqueueBatches(ctx, base));
      ctx.progress()
          .say("  enqueue batch   " + Report.summary(asMap(vigil.get("enqueue_batch_100"))));
      vigil.put("enqueue_paced", enqueuePaced(ctx, base));
      ctx.progress().say("  enqueue paced   " + Report.summary(asMap(vigil.get("enqueue_paced"))));
    }
    out.put("vigil", vigil);
    out.put("peers", Map.of());
    out.put(
        "note", "Vigil only: the peers have no HTTP enqueue or remote-worker protocol to compare");
    return out;
  }

  private static Map<String, Object> enqueue(BenchContext ctx, URI base, int jobs)
      throws Exception {
    Sizes s = ctx.sizes();
    Histogram latency = new SynchronizedHistogram(Figures.latencyHistogram());
    var sent = new AtomicLong();
    var errors = new AtomicLong();
    URI uri = base.resolve("/api/v1/jobs");
    ctx.progress().status("http/enqueue", () -> sent.get() + " of " + jobs + " jobs enqueued");
    var threadCpu = new ThreadCpu();
    long cpu0 = CpuClock.processCpuNanos();
    long elapsed =
        parallel(
            s.httpClients(),
            threadCpu,
            client -> {
              HttpClient http = BenchHttp.client();
              long n = jobs / s.httpClients() + (client < jobs % s.httpClients() ? 1 : 0);
              for (long i = 0; i < n; i++) {
                HttpRequest req =
                    HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(ENQUEUE_BODY))
                        .build();
                long t = System.nanoTime();
                HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
                Figures.recordNanos(latency, System.nanoTime() - t);
                if (res.statusCode() != 201) {
                  errors.incrementAndGet();
                }
                sent.incrementAndGet();
              }
            });
    var m = new LinkedHashMap<String, Object>();
    m.put("jobs", sent.get());
    m.put("errors", errors.get());
    m.put("clients", s.httpClients());
    m.put("jobs_per_s", Figures.perSecond(sent.get() - errors.get(), elapsed));
    m.putAll(Figures.latencies(latency));
    m.put(
        "cpu_us_per_job",
        Figures.cpuMicrosPerJob(CpuClock.processCpuNanos() - cpu0, Math.max(1, sent.get())));
    m.put("cpu_us_per_job_by_thread", threadCpu.perJob(Math.max(1, sent.get())));
    return m;
  }

  /**
   * The same number of jobs again, through {@code POST /api/v1/jobs/batch} with 100 jobs per
   * request from the same 32 clients, back to back: shows how much of the single-job figure is
   * per-request cost. Latency is per request; these jobs are left ready.
   */
  private static Map<String, Object> enqueueBatches(BenchContext ctx, URI base) throws Exception {
    Map<String, Object> m = sendBatches(ctx, base, "http/enqueue-batch", 100, 0);
    m.put("note", "latency per request of 100 jobs");
    return m;
  }

  /**
   * A fixed offered load instead of back-to-back requests: the 32 clients together send {@link
   * #PACED_RATE} jobs/s ({@link #PACED_QUICK_RATE} with {@code --quick}) in requests of {@link
   * #PACED_BATCH} jobs to {@code POST /api/v1/jobs/batch}, each client on its own schedule (one
   * request every {@code clients × batch / rate}, the clients' schedules staggered evenly). Latency
   * is counted from when a request was due, not from when it was sent, so a server that falls
   * behind is charged for the wait it causes (no coordinated omission). Answers whether Vigil takes
   * that rate with a low p99, which back-to-back clients cannot show: they always run the server
   * at saturation, where latency is just clients ÷ throughput.
   */
  private static Map<String, Object> enqueuePaced(BenchContext ctx, URI base) throws Exception {
    int rate = ctx.sizes().quick() ? PACED_QUICK_RATE : PACED_RATE;
    Map<String, Object> m = sendBatches(ctx, base, "http/enqueue-paced", PACED_BATCH, rate);
    m.put("clients", ctx.sizes().httpClients());
    m.put("jobs_per_request", PACED_BATCH);
    m.put("offered_jobs_per_s", rate);
    m.put("note", "latency per request of " + PACED_BATCH + " jobs, from when it was due");
    return m;
  }

  /**
   * The clients send {@code httpJobs / perRequest} requests of {@code perRequest} jobs to {@code
   * POST /api/v1/jobs/batch}: back to back when {@code offeredJobsPerSecond} is 0, otherwise each
   * on its own schedule so that together they offer that rate, with latency counted from when each
   * request was due.
   */
  private static Map<String, Object> sendBatches(
      BenchContext ctx, URI base, String phase, int perRequest, int offeredJobsPerSecond)
      throws Exception {
    Sizes s = ctx.sizes();
    int clients = s.httpClients();
    long requests = s.httpJobs() / perRequest;
    boolean paced = offeredJobsPerSecond > 0;
    long interval =
        paced ? TimeUnit.SECONDS.toNanos(1) * clients * perRequest / offeredJobsPerSecond : 0;
    String body =
        "{\"jobs\":["
            + String.join(",", java.util.Collections.nCopies(perRequest, ENQUEUE_BODY))
            + "]}";
    Histogram latency = new SynchronizedHistogram(Figures.latencyHistogram());
    var sent = new AtomicLong();
    var errors = new AtomicLong();
    URI uri = base.resolve("/api/v1/jobs/batch");
    ctx.progress().status(phase, () -> sent.get() + " of " + requests * perRequest + " jobs enqueued");
    var threadCpu = new ThreadCpu();
    long cpu0 = CpuClock.processCpuNanos();
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long backToBack =
        parallel(
            clients,
            threadCpu,
            client -> {
              HttpClient http = BenchHttp.client();
              long n = requests / clients + (client < requests % clients ? 1 : 0);
              long first = start + interval * client / clients;
              for (long i = 0; i < n; i++) {
                long due = paced ? first + i * interval : System.nanoTime();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(wait);
                }
                HttpResponse<String> res = http.send(BenchHttp.post(uri, body), HttpResponse.BodyHandlers.ofString());
                Figures.recordNanos(latency, System.nanoTime() - due);
                if (res.statusCode() != 201) {
                  errors.incrementAndGet();
                } else {
                  sent.addAndGet(perRequest);
                }
              }
            });
    long elapsed = paced ? System.nanoTime() - start : backToBack;
    var m = new LinkedHashMap<String, Object>();
    m.put("jobs", sent.get());
    m.put("requests", requests);
    m.put("errors", errors.get());
    m.put("jobs_per_s", Figures.perSecond(sent.get(), elapsed));
    m.putAll(Figures.latencies(latency));
    m.put(
        "cpu_us_per_job",
        Figures.cpuMicrosPerJob(CpuClock.processCpuNanos() - cpu0, Math.max(1, sent.get())));
    return m;
  }

  private static Map<String, Object> work(BenchContext ctx, URI base) throws Exception {
    Sizes s = ctx.sizes();
    Histogram claimLatency = new SynchronizedHistogram(Figures.latencyHistogram());
    Histogram completeLatency = new SynchronizedHistogram(Figures.latencyHistogram());
    var completed = new AtomicLong();
    var claims = new AtomicLong();
    var errors = new AtomicLong();
    long target = s.httpJobs() + (s.quick() ? 0 : s.httpJobs() / 10);
    ctx.progress()
        .status("http/remote-workers", () -> completed.get() + " of " + target + " jobs completed");
    var threadCpu = new ThreadCpu();
    long cpu0 = CpuClock.processCpuNanos();
    long elapsed =
        parallel(
            s.remoteWorkers(),
            threadCpu,
            worker -> {
              HttpClient http = BenchHttp.client();
              String claim =
                  "{\"worker_id\":\"bench-worker-"
                      + worker
                      + "\",\"lanes\":[\"cognition\"],\"max\":"
                      + s.claimMax()
                      + ",\"wait_ms\":200,\"lease_ms\":30000}";
              while (completed.get() < target) {
                long t = System.nanoTime();
                HttpResponse<String> res =
                    http.send(
                        BenchHttp.post(base.resolve("/api/v1/claim"), claim),
                        HttpResponse.BodyHandlers.ofString());
                Figures.recordNanos(claimLatency, System.nanoTime() - t);
                claims.incrementAndGet();
                if (res.statusCode() != 200) {
                  errors.incrementAndGet();
                  continue;
                }
                for (JsonNode job : JSON.readTree(res.body()).path("jobs")) {
                  String body =
                      "{\"lease_token\":"
                          + JSON.writeValueAsString(job.path("lease_token").asText())
                          + ",\"result\":{\"ok\":true}}";
                  URI complete =
                      base.resolve("/api/v1/jobs/" + job.path("id").asText() + "/complete");
                  long c = System.nanoTime();
                  HttpResponse<String> done =
                      http.send(BenchHttp.post(complete, body), HttpResponse.BodyHandlers.ofString());
                  Figures.recordNanos(completeLatency, System.nanoTime() - c);
                  if (done.statusCode() == 200) {
                    completed.incrementAndGet();
                  } else {
                    errors.incrementAndGet();
                  }
                }
              }
            });
    var m = new LinkedHashMap<String, Object>();
    m.put("jobs", completed.get());
    m.put("workers", s.remoteWorkers());
    m.put("claims", claims.get());
    m.put("errors", errors.get());
    m.put("jobs_per_s", Figures.perSecond(completed.get(), elapsed));
    m.put(
        "cpu_us_per_job",
        Figures.cpuMicrosPerJob(CpuClock.processCpuNanos() - cpu0, Math.max(1, completed.get())));
    m.put("cpu_us_per_job_by_thread", threadCpu.perJob(Math.max(1, completed.get())));
    m.put("claim", Figures.latencies(claimLatency));
    m.put("complete", Figures.latencies(completeLatency));
    return m;
  }


  @FunctionalInterface
  private interface Task {
    void run(int index) throws Exception;
  }

  /**
   * Runs {@code n} tasks on platform threads released together; returns the elapsed nanoseconds.
   */
  private static long parallel(int n, ThreadCpu cpu, Task task) throws Exception {
    var go = new CountDownLatch(1);
    var failure = new AtomicReference<Exception>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      threads.add(
          Thread.ofPlatform()
              .name("bench-http-" + i)
              .start(
                  () -> {
                    long cpu0 = ThreadCpu.currentThreadNanos();
                    try {
                      go.await();
                      task.run(index);
                    } catch (Exception e) {
                      failure.compareAndSet(null, e);
                    } finally {
                      cpu.add(
                          "bench-http-N (client threads)", ThreadCpu.currentThreadNanos() - cpu0);
                    }
                  }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - t0;
    if (failure.get() != null) {
      throw failure.get();
    }
    return elapsed;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
