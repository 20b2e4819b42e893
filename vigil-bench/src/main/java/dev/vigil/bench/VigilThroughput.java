package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Vigil in the throughput scenario: producers enqueue no-op jobs in batches while 16 workers drain
 * them. Enqueue-to-start latency joins two maps after the run: the nanosecond clock just before the
 * enqueue call that accepted each job (by job id, written by the producer) and the clock when its
 * handler began (written by the handler), so neither side waits for the other.
 */
final class VigilThroughput {
  private VigilThroughput() {}

  static ThroughputResult run(BenchContext ctx, String label, int jobs) throws Exception {
    Sizes s = ctx.sizes();
    var submitted = new ConcurrentHashMap<String, Long>(jobs * 2);
    var started = new ConcurrentHashMap<String, Long>(jobs * 2);
    var handled = new LongAdder();
    var producers = new Producers();
    var probe = new StoreProbe();
    var store = VigilEngines.store(ctx.freshDir("vigil-throughput").resolve("vigil.db"));
    try (Vigil vigil =
        VigilEngines.builder(probe.wrap(store), s.workers())
            .handler(
                "noop",
                job -> {
                  started.put(job.jobId(), System.nanoTime());
                  handled.increment();
                })
            .start()) {
      ctx.progress().status(label, producers.progress(handled::sum, jobs));
      StoreCounters.Snapshot store0 = StoreCounters.of(store);
      var threadCpu = new ThreadCpu();
      long cpu0 = CpuClock.processCpuNanos();
      producers.run(
          s.producers(),
          jobs,
          s.batch(),
          (p, first, n) -> {
            List<JobRequest> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              batch.add(JobRequest.builder("noop").build());
            }
            long t = System.nanoTime();
            for (Job job : vigil.enqueueAll(batch)) {
              submitted.put(job.id(), t);
            }
          },
          threadCpu);
      long drainFrom = System.nanoTime();
      long startedBeforeDrain = handled.sum();
      boolean done = Waits.drained(s, jobs, handled::sum, () -> VigilEngines.succeeded(vigil));
      long end = System.nanoTime();
      long cpu = CpuClock.processCpuNanos() - cpu0;
      StoreCounters.Snapshot commits = StoreCounters.of(store).minus(store0);
      ctx.progress().idle();
      long processed = VigilEngines.succeeded(vigil);
      return new ThroughputResult(
          jobs,
          processed,
          producers.elapsedNanos(),
          end - producers.startNanos(),
          join(submitted, started),
          cpu,
          !done,
          end - drainFrom,
          processed - startedBeforeDrain,
          commits,
          threadCpu.perJob(Math.max(1, processed)),
          probe.figures());
    }
  }

  private static Histogram join(Map<String, Long> submitted, Map<String, Long> started) {
    Histogram h = Figures.latencyHistogram();
    started.forEach(
        (id, t) -> {
          Long s = submitted.get(id);
          if (s != null) {
            Figures.recordNanos(h, t - s);
          }
        });
    return h;
  }
}
