package dev.vigil.bench.jmh;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.Finish;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded store's claim and complete: {@code claim} of 10 ready jobs from one lane (the
 * dispatcher's call; the jobs are finished untimed afterwards, one by one, so few stay running and
 * the writer has no reason to linger), and {@code finish} of one running job as succeeded (a
 * worker's completion; the job is claimed untimed before). One group commit per call; with {@code
 * -t 16} sixteen callers share commits as the engine's workers do.
 *
 * <pre>
 * ./vigil bench jmh SqliteClaimBench
 * ./vigil bench jmh SqliteClaimBench.finish -t 16
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SqliteClaimBench extends SqliteStoreBenchBase {

  @Benchmark
  public List<Job> claim(Claimed claimed) {
    claimed.jobs = store.claim(request(CLAIM_10));
    return claimed.jobs;
  }

  @Benchmark
  public Job finish(Running running) {
    return store.finish(succeeded(running.job));
  }

  static Finish succeeded(Job job) {
    return new Finish(
        job.id(),
        job.leaseToken(),
        AttemptOutcome.SUCCEEDED,
        JobState.SUCCEEDED,
        null,
        null,
        "null",
        Instant.now());
  }

  /** Per thread: the jobs its last claim took, finished after each invocation. */
  @State(Scope.Thread)
  public static class Claimed {
    List<Job> jobs = List.of();

    @Setup(Level.Invocation)
    public void refill(SqliteClaimBench bench) {
      bench.ensureReady(10);
    }

    /**
     * One at a time: a batch of several finishes would make the writer linger (up to its 2 ms
     * window) for company before the next lone claim, and the benchmark would time the window.
     */
    @TearDown(Level.Invocation)
    public void finishClaimed(SqliteClaimBench bench) {
      for (Job job : jobs) {
        bench.store.finish(succeeded(job));
      }
      jobs = List.of();
    }
  }

  /** Per thread: one job claimed before each invocation, for {@code finish} to end. */
  @State(Scope.Thread)
  public static class Running {
    Job job;

    @Setup(Level.Invocation)
    public void claimOne(SqliteClaimBench bench) {
      bench.ensureReady(1);
      job = bench.store.claim(bench.request(CLAIM_1)).getFirst();
    }
  }
}
