package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What one engine did in the throughput scenario. */
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
    StoreCounters.Snapshot store) {

  /** A peer's result, without the store's group-commit counters. */
  ThroughputResult(
      long jobs, long processed, long enqueueNanos, long processNanos, Histogram startLatency, long cpuNanos,
      boolean timedOut, long drainNanos, long drained) {
    this(jobs, processed, enqueueNanos, processNanos, startLatency, cpuNanos, timedOut, drainNanos, drained, null);
  }

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
      m.put("commits_per_s", Figures.perSecond(store.commits(), processNanos));
    }
    if (timedOut) {
      m.put("timed_out", true);
    }
    return m;
  }
}
