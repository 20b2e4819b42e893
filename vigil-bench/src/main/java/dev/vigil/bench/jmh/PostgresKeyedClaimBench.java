package dev.vigil.bench.jmh;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.limits.KeyLimits;
import dev.vigil.limits.LimitRule;
import dev.vigil.store.ClaimGate;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.Finish;
import dev.vigil.store.NewJob;
import dev.vigil.store.PostgresJobStore;
import dev.vigil.store.PostgresTestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * What limits per key add to a PostgreSQL claim of 50 ready jobs (the jobs are enqueued before and
 * finished after each call, untimed; the quotas never run out). {@code gate}: {@code none} (the
 * jobs carry no keys), {@code local} (quotas in this process, as on SQLite), {@code shared} (the
 * cluster's quotas in {@code quota_buckets}: one draw per bucket per claim) and {@code perJob} (the
 * same buckets asked job by job, as a gate without {@code admitAll} would). {@code keys}: 1 (every
 * job draws a start from {@code provider:openai}), or 2 (a start and 100 units from {@code
 * provider:openai}, and a start from one of five {@code tenant:*} keys: seven buckets per claim).
 * On a private PostgreSQL started for the run. Sampled, so a busy machine's stalls show in the
 * upper percentiles rather than in the median.
 *
 * <pre>
 * ./vigil bench jmh PostgresKeyedClaimBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PostgresKeyedClaimBench {
  private static final int JOBS = 50;
  private static final String LANE = "cognition";
  private static final List<LimitRule> RULES = List.of(
      new LimitRule("provider:openai", 1_000_000_000, 10_000_000_000L, Duration.ofMinutes(1), null),
      new LimitRule("tenant:*", 1_000_000_000, null, Duration.ofMinutes(1), null));

  @Param({"none", "local", "shared", "perJob"})
  public String gate;

  @Param({"1", "2"})
  public int keys;

  private PostgresTestServer server;
  private PostgresJobStore store;
  private ClaimGate claimGate;
  private List<Job> claimed = List.of();

  @Setup(Level.Trial)
  public void open() {
    server = PostgresTestServer.startPrivate();
    store = server.store(server.createDatabase()).poolSize(4).build();
    InstantSource clock = InstantSource.system();
    KeyLimits shared = new KeyLimits(RULES, clock, store.quotaBuckets(clock));
    claimGate = switch (gate) {
      case "none" -> null;
      case "local" -> new KeyLimits(RULES, clock);
      case "shared" -> shared;
      case "perJob" -> shared::admit;
      default -> throw new IllegalArgumentException("gate: " + gate);
    };
  }

  @Setup(Level.Invocation)
  public void enqueue() {
    List<NewJob> jobs = new ArrayList<>(JOBS);
    Instant now = Instant.now();
    for (int i = 0; i < JOBS; i++) {
      List<String> limitKeys = claimGate == null ? List.of()
          : keys == 1 ? List.of("provider:openai") : List.of("provider:openai", "tenant:t" + i % 5);
      jobs.add(new NewJob(UUID.randomUUID().toString(), "reply", LANE, JobState.READY, "{}", now, 3,
          Duration.ofSeconds(30), null, null, null, List.of(), now, limitKeys, null, keys == 2 ? 100 : 0));
    }
    store.enqueue(jobs);
  }

  @Benchmark
  public List<Job> claim() {
    claimed = store.claim(new ClaimRequest("bench", List.of(new ClaimRequest.LaneQuota(LANE, JOBS, Integer.MAX_VALUE)),
        Set.of(), Duration.ofSeconds(30), Instant.now(), claimGate));
    return claimed;
  }

  @TearDown(Level.Invocation)
  public void finish() {
    Instant now = Instant.now();
    store.finishAll(claimed.stream()
        .map(j -> new Finish(j.id(), j.leaseToken(), AttemptOutcome.SUCCEEDED, JobState.SUCCEEDED, null, null, null, now))
        .toList());
  }

  @TearDown(Level.Trial)
  public void close() {
    store.close();
    server.destroy();
  }
}
