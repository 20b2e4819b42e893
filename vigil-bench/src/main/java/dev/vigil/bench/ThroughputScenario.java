package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 4, scenario 1: 100,000 no-op jobs enqueued in batches of 100 by 4 producer threads while
 * the engine drains them with 16 workers. Reports enqueue and processed jobs/s, enqueue-to-start
 * latency (from just before the enqueue call that accepted the job to its handler starting), and
 * process CPU time per job, for Vigil and then for JobRunr in the same JVM.
 *
 * <pre>./vigil bench --scenario throughput</pre>
 */
final class ThroughputScenario implements Scenario {
  private final boolean peers;

  ThroughputScenario(boolean peers) {
    this.peers = peers;
  }

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var out = new LinkedHashMap<String, Object>();
    int warmUp = s.quick() ? 0 : s.throughputJobs() / 2;
    out.put(
        "params",
        Map.of(
            "jobs",
            s.throughputJobs(),
            "producers",
            s.producers(),
            "batch",
            s.batch(),
            "workers",
            s.workers(),
            "warm_up_jobs",
            warmUp));
    if (warmUp > 0) {
      VigilThroughput.run(ctx, "throughput/vigil warm-up", warmUp);
    }
    Map<String, Object> vigil =
        VigilThroughput.run(ctx, "throughput/vigil", s.throughputJobs()).figures();
    vigil.put("lane", "background (the default lane)");
    vigil.put("store", VigilEngines.storeSettings());
    out.put("vigil", vigil);
    ctx.progress().say("  vigil    " + Report.summary(vigil));
    var peerFigures = new LinkedHashMap<String, Object>();
    var ratios = new LinkedHashMap<String, Object>();
    if (peers) {
      if (warmUp > 0) {
        JobRunrThroughput.run(ctx, "throughput/jobrunr warm-up", warmUp);
      }
      Map<String, Object> jobrunr =
          JobRunrThroughput.run(ctx, "throughput/jobrunr", s.throughputJobs()).figures();
      jobrunr.put("version", Peers.jobRunrVersion());
      jobrunr.put("storage", JobRunrPeer.STORAGE);
      jobrunr.put(
          "note",
          "one queue (JobRunr OSS has no queues or priorities); poll interval "
              + JobRunrPeer.POLL_INTERVAL.toSeconds()
              + " s");
      peerFigures.put(Peers.JOBRUNR, jobrunr);
      ratios.put(
          Peers.JOBRUNR,
          Peers.ratios(
              vigil,
              jobrunr,
              "jobs_per_s",
              "enqueue_jobs_per_s",
              "p50_ms",
              "p99_ms",
              "cpu_us_per_job"));
      ctx.progress().say("  jobrunr  " + Report.summary(jobrunr));
    } else {
      peerFigures.put(Peers.JOBRUNR, Peers.skipped());
    }
    peerFigures.put(Peers.DB_SCHEDULER, Peers.dbSchedulerUnavailable());
    out.put("peers", peerFigures);
    out.put("ratios", ratios);
    return out;
  }
}
