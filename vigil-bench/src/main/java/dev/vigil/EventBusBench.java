package dev.vigil;

import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event bus's publish, which the engine calls on every state change (three times per job:
 * created, running, succeeded), with 0, 1 and 4 subscribers that each count what they receive. A
 * publisher in a tight loop outruns the subscribers' virtual threads, so with subscribers the
 * figure mixes offers that enqueue and offers that find the buffer full and count a drop; the
 * engine never blocks either way. In package {@code dev.vigil} because the bus is package-private.
 *
 * <pre>./vigil bench jmh EventBusBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventBusBench {
  @Param({"0", "1", "4"})
  public int subscribers;

  private EventBus<JobEvent> bus;
  private final LongAdder received = new LongAdder();
  private final JobEvent event =
      new JobEvent(
          "0190a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
          "noop",
          "background",
          JobState.READY,
          JobState.RUNNING,
          Instant.parse("2026-01-01T00:00:00Z"),
          "c-1",
          1);

  @Setup
  public void setUp() {
    bus = new EventBus<>(10_000);
    for (int i = 0; i < subscribers; i++) {
      bus.subscribe(e -> received.increment());
    }
  }

  @TearDown
  public void tearDown() {
    bus.close();
  }

  @Benchmark
  public void publish() {
    bus.publish(event);
  }
}
