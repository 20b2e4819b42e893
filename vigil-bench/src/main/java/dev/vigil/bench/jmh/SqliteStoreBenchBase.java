package dev.vigil.bench.jmh;

import dev.vigil.bench.Uuid7;
import dev.vigil.job.JobState;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.ClaimRequest.LaneQuota;
import dev.vigil.store.NewJob;
import dev.vigil.store.SqliteJobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the store benchmarks share: a fresh {@link SqliteJobStore} per trial ({@code
 * synchronous=FULL}, the default, or {@code NORMAL}, which shows how much of each call is the
 * fsync), and a pool of ready jobs topped up in large batches outside the timed calls.
 */
@State(Scope.Benchmark)
public abstract class SqliteStoreBenchBase {
  private static final String LANE = "background";
  static final List<LaneQuota> CLAIM_10 = List.of(new LaneQuota(LANE, 10, Integer.MAX_VALUE));
  static final List<LaneQuota> CLAIM_1 = List.of(new LaneQuota(LANE, 1, Integer.MAX_VALUE));

  @Param({"true", "false"})
  public boolean synchronousFull;

  private Path dir;
  SqliteJobStore store;
  private final AtomicLong seq = new AtomicLong();
  private final AtomicLong ready = new AtomicLong();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("vigil-jmh-");
    store =
        SqliteJobStore.builder(dir.resolve("vigil.db")).synchronousFull(synchronousFull).build();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Tops up the ready pool in large batches, outside the timed calls. */
  void ensureReady(int needed) {
    if (ready.addAndGet(-needed) < 0) {
      synchronized (this) {
        while (ready.get() < 0) {
          for (int i = 0; i < 10; i++) {
            store.enqueue(jobs(1_000));
          }
          ready.addAndGet(10_000);
        }
      }
    }
  }

  ClaimRequest request(List<LaneQuota> quotas) {
    return new ClaimRequest("jmh-worker", quotas, Set.of(), Duration.ofSeconds(30), Instant.now());
  }

  List<NewJob> jobs(int n) {
    Instant now = Instant.now();
    var jobs = new ArrayList<NewJob>(n);
    for (int i = 0; i < n; i++) {
      String id =
          Uuid7.of(
              now.toEpochMilli(), seq.incrementAndGet(), ThreadLocalRandom.current().nextLong());
      jobs.add(
          new NewJob(
              id,
              "noop",
              LANE,
              JobState.READY,
              "{}",
              now,
              3,
              Duration.ofSeconds(15),
              null,
              null,
              null,
              List.of(),
              now,
              List.of(),
              null,
              0));
    }
    return jobs;
  }
}
