package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one engine did in the throughput scenario.
 *
 * @param enqueueNanos from the first enqueue call to the last one's return
 * @param processNanos from the first enqueue call to the last job durably succeeded
 * @param drainNanos from the last enqueue call's return to the last job durably succeeded
 * @param drained jobs that succeeded during the drain
 * @param store the store's group-commit counters over the run, or {@code null} (peers)
 * @param cpuByThread CPU µs per job by thread group
 * @param storeCalls what the engine asked of its store ({@link StoreProbe}), or {@code null}
 */
record ThroughputResult(
    long jobs,
    long processed,
    long enqueueNanos,
    long processNanos,
    Histogram startLatency,
    long cpuNanos,
    boolean timedOut,
    long drainNanos,
    long drained,
    StoreCounters.Snapshot store,
    Map<String, Object> cpuByThread,
    Map<String, Object> storeCalls) {

  /** The engine's figures for the JSON report. */
  Map<String, Object> figures() {
    var m = new LinkedHashMap<String, Object>();
    m.put("jobs", jobs);
    m.put("processed", processed);
    m.put("jobs_per_s", Figures.perSecond(processed, processNanos));
    m.put("enqueue_jobs_per_s", Figures.perSecond(jobs, enqueueNanos));
    m.putAll(Figures.latencies(startLatency));
    m.put("cpu_us_per_job", Figures.cpuMicrosPerJob(cpuNanos, Math.max(1, processed)));
    m.put("seconds", Figures.round2(processNanos / 1e9));
    m.put("drain_jobs_per_s", Figures.perSecond(drained, drainNanos));
    if (store != null && store.commits() > 0) {
      m.put("commits", store.commits());
      m.put("store_writes", store.writes());
      m.put("writes_per_commit", Figures.round1((double) store.writes() / store.commits()));
      m.put("jobs_per_commit", Figures.round1((double) processed / store.commits()));
      m.put("commits_per_s", Figures.perSecond(store.commits(), processNanos));
    }
    m.put("cpu_us_per_job_by_thread", cpuByThread);
    if (storeCalls != null) {
      m.put("store_calls", storeCalls);
    }
    if (timedOut) {
      m.put("timed_out", true);
    }
    return m;
  }
}
