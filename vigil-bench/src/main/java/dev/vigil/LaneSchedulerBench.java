package dev.vigil;

import dev.vigil.job.Lane;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher's next-lane choice: {@link LaneScheduler#plan} sharing {@code free} slots among
 * the four default lanes, all with work, as the dispatcher does on every turn (one slot when a job
 * ends, all sixteen at start-up). In package {@code dev.vigil} because the scheduler is
 * package-private.
 *
 * <pre>./vigil bench jmh LaneSchedulerBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LaneSchedulerBench {
  @Param({"1", "16"})
  public int free;

  private LaneScheduler scheduler;
  private final int[] running = new int[Lane.DEFAULTS.size()];
  private LaneScheduler.LaneView view;

  @Setup
  public void setUp() {
    scheduler = new LaneScheduler(Lane.DEFAULTS);
    view =
        new LaneScheduler.LaneView() {
          @Override
          public boolean hasWork(int lane) {
            return true;
          }

          @Override
          public boolean paused(int lane) {
            return false;
          }

          @Override
          public int running(int lane) {
            return running[lane];
          }
        };
  }

  @Benchmark
  public int[] plan() {
    return scheduler.plan(free, view);
  }
}
