package dev.vigil.bench;

import dev.vigil.job.JobHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * What the overload scenario's jobs did, seen from their handler: each lane's wait from when the
 * job's request was due (the harness's clock, carried in the payload as {@code due}) to its
 * handler starting, how many finished, and when the last one did. The handler sleeps for the job's
 * length: the stand-in for a call to a provider, which holds a worker slot but no CPU.
 */
final class JobTally {
  private final Map<String, Histogram> waits = new LinkedHashMap<>();
  private final LongAdder started = new LongAdder();
  private final LongAdder finished = new LongAdder();
  private final AtomicLong lastFinish = new AtomicLong();

  JobTally(Iterable<String> lanes) {
    for (String lane : lanes) {
      waits.put(lane, new SynchronizedHistogram(Figures.latencyHistogram()));
    }
  }

  /** The handler of every lane's jobs: records the start, sleeps {@code length}, records the end. */
  JobHandler handler(Duration length) {
    return ctx -> {
      long due = ctx.payload().path("due").asLong();
      Figures.recordNanos(waits.get(ctx.lane()), System.nanoTime() - due);
      started.increment();
      Thread.sleep(length);
      finished.increment();
      lastFinish.accumulateAndGet(System.nanoTime(), Math::max);
    };
  }

  long started() {
    return started.sum();
  }

  long finished() {
    return finished.sum();
  }

  /** When the last handler returned ({@link System#nanoTime()}), 0 before any did. */
  long lastFinishNanos() {
    return lastFinish.get();
  }

  /** A lane's wait from each job's due time to its handler starting: p50 … max, samples. */
  Map<String, Object> wait(String lane) {
    return Figures.latenciesWithP95(waits.get(lane));
  }
}
