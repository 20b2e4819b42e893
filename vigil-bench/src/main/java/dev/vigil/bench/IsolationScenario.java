package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.JobRequest;
import dev.vigil.job.Lane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Issue 4, scenario 2, the chat-bot story: the {@code background} lane is saturated by 5-second
 * jobs with 10,000 more waiting, and {@code cognition} jobs arrive as a Poisson stream of 20/s for
 * 60 s. Reports the cognition jobs' queue wait (from just before the enqueue call to the handler
 * starting) p50/p99/max. Chat handlers do nothing, so the wait is all dispatch.
 *
 * <p>Two variants of Vigil run, one after the other, reported side by side: {@code vigil}, the
 * engine embedded with in-process handlers on {@link Sizes#workers()} slots, and {@code
 * vigil_remote} (issue 10), a {@link dev.vigil.server.VigilServer} on loopback whose jobs are all
 * run by {@link Sizes#remoteWorkers()} one-slot remote workers over HTTP, with the same backlog,
 * dream length, stream rate, window and seed; its wait runs from just before the chat job's
 * enqueue request to the worker receiving the claim answer that carries it, and it also counts the
 * background jobs completed during the stream (see {@link RemoteIsolation}).
 *
 * <p>JobRunr's open-source edition has no queues or priorities, so its closest equivalent is one
 * queue holding both kinds: its chat jobs wait behind the background backlog. Those still waiting
 * when the run ends (the stream plus a grace period) are counted with the wait they had then, so
 * its figures are lower bounds.
 *
 * <pre>
 * ./vigil bench --scenario isolation              # in-process, remote, JobRunr
 * ./vigil bench --scenario isolation --no-peers   # Vigil's two variants only
 * </pre>
 */
final class IsolationScenario implements Scenario {
  private final boolean peers;

  IsolationScenario(boolean peers) {
    this.peers = peers;
  }

  @Override
  public String name() {
    return "isolation";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var out = new LinkedHashMap<String, Object>();
    out.put(
        "params",
        Map.of(
            "workers", s.workers(),
            "background_job_ms", s.dreamLength().toMillis(),
            "background_waiting", s.dreamBacklog(),
            "chat_per_s", s.chatPerSecond(),
            "stream_s", s.chatWindow().toSeconds(),
            "remote_workers", s.remoteWorkers(),
            "remote_slots_per_worker", 1));
    Map<String, Object> vigil = vigil(ctx);
    out.put("vigil", vigil);
    ctx.progress().say("  vigil    " + Report.summary(vigil));
    Map<String, Object> remote = RemoteIsolation.run(ctx);
    out.put("vigil_remote", remote);
    ctx.progress()
        .say(
            "  remote   "
                + Report.summary(remote)
                + "  chat_measured="
                + remote.get("started")
                + "/"
                + remote.get("chat_jobs")
                + "  background_completed_during_stream="
                + remote.get("background_completed_during_stream"));
    var peerFigures = new LinkedHashMap<String, Object>();
    var ratios = new LinkedHashMap<String, Object>();
    if (peers) {
      Map<String, Object> jobrunr = jobrunr(ctx);
      peerFigures.put(Peers.JOBRUNR, jobrunr);
      ratios.put(Peers.JOBRUNR, Peers.ratios(vigil, jobrunr, "p50_ms", "p99_ms", "max_ms"));
      ctx.progress().say("  jobrunr  " + Report.summary(jobrunr));
    } else {
      peerFigures.put(Peers.JOBRUNR, Peers.skipped());
    }
    peerFigures.put(Peers.DB_SCHEDULER, Peers.dbSchedulerUnavailable());
    out.put("peers", peerFigures);
    out.put("ratios", ratios);
    return out;
  }

  private static Map<String, Object> vigil(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var r = new IsolationResult();
    long dreamMillis = s.dreamLength().toMillis();
    try (Vigil vigil =
        VigilEngines.builder(ctx.freshDir("vigil-isolation"), s.workers())
            .handler(
                "dream",
                job -> {
                  r.dreamsStarted.increment();
                  Thread.sleep(dreamMillis);
                })
            .handler(
                "chat",
                job ->
                    r.started(job.payload().get("seq").asLong(), job.payload().get("t").asLong()))
            .start()) {
      int dreams = s.workers() + s.dreamBacklog();
      ctx.progress().status("isolation/vigil", () -> "enqueueing background jobs");
      for (int i = 0; i < dreams; i += 100) {
        List<JobRequest> batch = new ArrayList<>();
        for (int j = i; j < Math.min(dreams, i + 100); j++) {
          batch.add(JobRequest.builder("dream").lane("background").build());
        }
        vigil.enqueueAll(batch);
      }
      int saturated = s.workers() - backgroundReserve();
      Waits.until(
          () -> r.dreamsStarted.sum() >= saturated, Duration.ofMillis(10), Duration.ofSeconds(30));
      r.dreamsRunningAtStart = r.dreamsStarted.sum();
      stream(
          ctx,
          "isolation/vigil",
          r,
          (seq, t) ->
              vigil.enqueue(
                  JobRequest.builder("chat")
                      .lane("cognition")
                      .payload(Map.of("seq", seq, "t", t))
                      .build()));
      Waits.until(() -> r.waiting.isEmpty(), Duration.ofMillis(10), Duration.ofSeconds(10));
      r.close();
    }
    var m = r.figures();
    m.put(
        "lanes",
        "cognition (weight 8) and background (weight 1, 2 slots reserved for higher lanes)");
    return m;
  }

  private static Map<String, Object> jobrunr(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var r = new IsolationResult();
    Map<Class<?>, Object> handlers =
        Map.of(
            JobRunrJobs.DreamHandler.class,
                new JobRunrJobs.DreamHandler(r.dreamsStarted::increment),
            JobRunrJobs.ChatHandler.class, new JobRunrJobs.ChatHandler(r::started));
    try (JobRunrPeer peer =
        JobRunrPeer.start(ctx.freshDir("jobrunr-isolation"), s.workers(), handlers)) {
      long dreams = s.workers() + s.dreamBacklog();
      ctx.progress().status("isolation/jobrunr", () -> "enqueueing background jobs");
      for (long i = 0; i < dreams; i += 100) {
        long n = Math.min(100, dreams - i);
        peer.scheduler()
            .enqueue(
                LongStream.range(0, n)
                    .mapToObj(
                        j ->
                            (org.jobrunr.jobs.lambdas.JobRequest)
                                new JobRunrJobs.Dream(s.dreamLength().toMillis())));
      }
      Waits.until(
          () -> r.dreamsStarted.sum() >= s.workers(),
          Duration.ofMillis(10),
          Duration.ofSeconds(30));
      r.dreamsRunningAtStart = r.dreamsStarted.sum();
      stream(
          ctx,
          "isolation/jobrunr",
          r,
          (seq, t) -> peer.scheduler().enqueue(new JobRunrJobs.Chat(seq, t)));
      ctx.progress()
          .status(
              "isolation/jobrunr", () -> "grace: " + r.waiting.size() + " chat jobs still waiting");
      Waits.until(() -> r.waiting.isEmpty(), Duration.ofMillis(10), s.peerGrace());
      r.close();
    }
    var m = r.figures();
    m.put("version", Peers.jobRunrVersion());
    m.put("storage", JobRunrPeer.STORAGE);
    m.put(
        "note",
        "no priorities in JobRunr OSS: chat and background jobs share one queue; "
            + (r.notStarted > 0
                ? r.notStarted
                    + " chat jobs had not started "
                    + s.peerGrace().toSeconds()
                    + " s after the stream ended, counted with their wait then (figures are lower"
                    + " bounds)"
                : "every chat job started"));
    return m;
  }

  /** One chat arrival: enqueue job {@code seq}, whose clock was read just before. */
  @FunctionalInterface
  interface ChatSender {
    void send(long seq, long submitNanos) throws Exception;
  }

  /**
   * Runs the Poisson stream of chat jobs through {@code sender}, recording each one's enqueue clock
   * in {@code r} first, and counts the background jobs started meanwhile.
   */
  static void stream(BenchContext ctx, String label, IsolationResult r, ChatSender sender) {
    Sizes s = ctx.sizes();
    long dreamsBefore = r.dreamsStarted.sum();
    ctx.progress()
        .status(
            label,
            () ->
                "chat jobs started "
                    + r.chatsStarted.sum()
                    + ", waiting "
                    + r.waiting.size()
                    + ", background started "
                    + r.dreamsStarted.sum());
    r.sent =
        PoissonStream.run(
            s.chatPerSecond(),
            s.chatWindow(),
            seq -> {
              long t = System.nanoTime();
              r.sending(seq, t);
              try {
                sender.send(seq, t);
              } catch (Exception e) {
                r.waiting.remove(seq);
                throw new IllegalStateException("chat enqueue failed", e);
              }
            });
    r.dreamsStartedInWindow = r.dreamsStarted.sum() - dreamsBefore;
  }

  /** The slots {@code background} leaves free for higher lanes, by default. */
  static int backgroundReserve() {
    return Lane.DEFAULTS.stream()
        .filter(l -> l.name().equals("background"))
        .mapToInt(Lane::reserved)
        .findFirst()
        .orElse(0);
  }
}
