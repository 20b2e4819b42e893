package dev.vigil.bench.jmh;

import dev.vigil.job.Job;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded store's enqueue: one {@code enqueue} call of a batch of 1 or 100 ready jobs, one
 * group commit each. With one benchmark thread the figure is a lone caller's latency per call
 * (divide by {@code batch} for per job); run with {@code -t 4} to see concurrent callers share
 * commits.
 *
 * <pre>
 * ./vigil bench jmh SqliteEnqueueBench
 * ./vigil bench jmh SqliteEnqueueBench -p batch=100 -p synchronousFull=true -t 4
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SqliteEnqueueBench extends SqliteStoreBenchBase {
  @Param({"1", "100"})
  public int batch;

  @Benchmark
  public List<Job> enqueue() {
    return store.enqueue(jobs(batch));
  }
}
