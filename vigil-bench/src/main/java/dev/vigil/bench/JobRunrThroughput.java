package dev.vigil.bench;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.LongStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.jobrunr.jobs.lambdas.JobRequest;

/** JobRunr in the throughput scenario: the same jobs, producers, batches and workers as Vigil. */
final class JobRunrThroughput {
  private JobRunrThroughput() {}

  static ThroughputResult run(BenchContext ctx, String label, int jobs) throws Exception {
    Sizes s = ctx.sizes();
    Histogram latency = new SynchronizedHistogram(Figures.latencyHistogram());
    var handled = new LongAdder();
    var handler =
        new JobRunrJobs.NoopHandler(
            submit -> {
              Figures.recordNanos(latency, System.nanoTime() - submit);
              handled.increment();
            });
    var producers = new Producers();
    try (JobRunrPeer peer =
        JobRunrPeer.start(
            ctx.freshDir("jobrunr-throughput"),
            s.workers(),
            Map.of(JobRunrJobs.NoopHandler.class, handler))) {
      ctx.progress().status(label, producers.progress(handled::sum, jobs));
      var threadCpu = new ThreadCpu();
      long cpu0 = CpuClock.processCpuNanos();
      producers.run(
          s.producers(),
          jobs,
          s.batch(),
          (p, first, n) -> {
            long t = System.nanoTime();
            peer.scheduler()
                .enqueue(
                    LongStream.range(0, n).mapToObj(i -> (JobRequest) new JobRunrJobs.Noop(t)));
          },
          threadCpu);
      long drainFrom = System.nanoTime();
      long startedBeforeDrain = handled.sum();
      boolean done = Waits.drained(s, jobs, handled::sum, () -> peer.succeeded());
      long end = System.nanoTime();
      long cpu = CpuClock.processCpuNanos() - cpu0;
      ctx.progress().idle();
      long processed = peer.succeeded();
      return new ThroughputResult(
          jobs,
          processed,
          producers.elapsedNanos(),
          end - producers.startNanos(),
          latency,
          cpu,
          !done,
          end - drainFrom,
          processed - startedBeforeDrain,
          null,
          threadCpu.perJob(Math.max(1, processed)),
          null);
    }
  }
}
