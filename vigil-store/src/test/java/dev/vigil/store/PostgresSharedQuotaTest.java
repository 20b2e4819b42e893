package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Hold;
import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.limits.CountingQuotaBuckets;
import dev.vigil.limits.KeyLimits;
import dev.vigil.limits.LimitRule;
import dev.vigil.limits.spi.QuotaBuckets;
import io.github.bucket4j.Bucket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate and unit quotas hold across nodes on PostgreSQL: two stores on one database (two nodes),
 * each with its own {@link KeyLimits} over the buckets its store gives, draw from one quota. The
 * clock stands still, so no bucket refills while a test runs and every count is exact.
 */
class PostgresSharedQuotaTest {
  private static final String LANE = "cognition";
  private static final String KEY = "provider:openai";
  private static final InstantSource CLOCK = InstantSource.fixed(TestJobs.T0);

  private final PostgresTestServer server = PostgresTestServer.shared();
  private final List<PostgresJobStore> nodes = new ArrayList<>();
  private String database;

  @BeforeEach
  void openTwoNodes() {
    database = server.createDatabase();
    nodes.add(server.store(database).poolSize(4).build());
    nodes.add(server.store(database).poolSize(4).build());
  }

  @AfterEach
  void close() {
    nodes.forEach(PostgresJobStore::close);
    server.dropDatabase(database);
  }

  @Test
  void two_nodes_draw_from_one_quota_and_both_show_what_is_left() {
    List<LimitRule> rules = List.of(new LimitRule(KEY, 4, 1_000L, Duration.ofHours(1), null));
    KeyLimits one = limits(0, rules);
    KeyLimits two = limits(1, rules);
    nodes.getFirst().enqueue(keyed(6, 100));

    List<Job> first = nodes.get(0).claim(claim(3, one));
    List<Job> second = nodes.get(1).claim(claim(10, two));

    assertThat(first).hasSize(3);
    assertThat(second).as("the second node gets what the first left of the 4").hasSize(1);
    List<Job> held = readyJobs();
    assertThat(held).hasSize(2).allSatisfy(j -> {
      assertThat(j.hold().by()).isEqualTo(Hold.LIMIT);
      assertThat(j.hold().key()).isEqualTo(KEY);
      assertThat(j.hold().until()).as("a start comes back every 15 minutes")
          .isAfter(TestJobs.T0.plus(Duration.ofMinutes(14))).isBefore(TestJobs.T0.plus(Duration.ofMinutes(16)));
      assertThat(j.attempt()).isZero();
    });
    for (KeyLimits node : List.of(one, two)) {
      assertThat(node.status()).singleElement().satisfies(s -> {
        assertThat(s.key()).isEqualTo(KEY);
        assertThat(s.startsAvailable()).isZero();
        assertThat(s.unitsAvailable()).isEqualTo(600L);
      });
    }
  }

  @Test
  void a_refused_second_key_gives_the_first_keys_tokens_back_to_the_shared_bucket() {
    List<LimitRule> rules = List.of(
        new LimitRule(KEY, 10, null, Duration.ofHours(1), null),
        new LimitRule("tenant:*", 1, null, Duration.ofHours(1), null));
    KeyLimits one = limits(0, rules);
    KeyLimits two = limits(1, rules);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      jobs.add(job(List.of(KEY, "tenant:acme"), 0));
    }
    nodes.getFirst().enqueue(jobs);

    assertThat(nodes.get(0).claim(claim(10, one))).hasSize(1);
    assertThat(nodes.get(1).claim(claim(10, two))).isEmpty();

    assertThat(two.status()).extracting(KeyLimits.KeyStatus::key, KeyLimits.KeyStatus::startsAvailable)
        .containsExactly(tuple(KEY, 9L), tuple("tenant:acme", 0L));
    assertThat(readyJobs()).hasSize(2).allSatisfy(j -> assertThat(j.hold().key()).isEqualTo("tenant:acme"));
  }

  @Test
  void claims_racing_on_two_nodes_never_start_more_than_the_quota() throws Exception {
    int quota = 25;
    List<LimitRule> rules = List.of(new LimitRule(KEY, quota, null, Duration.ofDays(1), null));
    List<KeyLimits> gates = List.of(limits(0, rules), limits(1, rules));
    nodes.getFirst().enqueue(keyed(200, 0));

    AtomicInteger started = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> claimers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int node = t % 2;
        claimers.add(threads.submit((Callable<Void>) () -> {
          go.await();
          List<Job> got;
          do {
            got = nodes.get(node).claim(claim(3, gates.get(node)));
            started.addAndGet(got.size());
          } while (!got.isEmpty() || unheldReady() > 0);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : claimers) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(started.get()).as("jobs started by both nodes together").isEqualTo(quota);
    assertThat(readyJobs()).hasSize(200 - quota).allSatisfy(j -> assertThat(j.hold()).isNotNull());
  }

  @Test
  void a_claim_of_50_jobs_of_one_key_draws_its_bucket_once() {
    List<LimitRule> rules = List.of(new LimitRule(KEY, 40, null, Duration.ofHours(1), null));
    var buckets = new CountingQuotaBuckets(nodes.getFirst().quotaBuckets(CLOCK));
    KeyLimits batched = new KeyLimits(rules, CLOCK, buckets);
    nodes.getFirst().enqueue(keyed(50, 0));

    List<Job> started = nodes.getFirst().claim(claim(50, batched));

    assertThat(started).hasSize(40);
    assertThat(buckets.calls()).as("bucket calls for the whole claim").isEqualTo(1);
    assertThat(readyJobs()).hasSize(10);

    buckets.reset();
    ClaimGate perJob = batched::admit; // asks job by job, as a gate without admitAll would
    nodes.getFirst().enqueue(keyed(5, 0));
    assertThat(nodes.getFirst().claim(claim(5, perJob))).isEmpty();
    assertThat(buckets.calls()).as("one call per job when asked job by job").isEqualTo(5);
  }

  @Test
  void buckets_full_again_are_removed_and_busy_ones_kept() throws Exception {
    QuotaBuckets buckets = new PostgresQuotaBuckets(
        dataSource(), InstantSource.system(), Duration.ZERO);
    Bucket quick = buckets.bucket("starts/5/1000/provider:quick", 5, Duration.ofSeconds(1));
    Bucket slow = buckets.bucket("starts/5/86400000/provider:slow", 5, Duration.ofDays(1));
    assertThat(quick.tryConsume(5)).isTrue();
    assertThat(slow.tryConsume(1)).isTrue();
    assertThat(rows()).containsExactlyInAnyOrder("starts/5/1000/provider:quick", "starts/5/86400000/provider:slow");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> buckets.removeIdle(100) > 0 || !rows().contains("starts/5/1000/provider:quick"));

    assertThat(rows()).containsExactly("starts/5/86400000/provider:slow");
    assertThat(quick.getAvailableTokens()).as("a removed bucket starts full").isEqualTo(5);
  }

  private KeyLimits limits(int node, List<LimitRule> rules) {
    return new KeyLimits(rules, CLOCK, nodes.get(node).quotaBuckets(CLOCK));
  }

  private static ClaimRequest claim(int max, ClaimGate gate) {
    return new ClaimRequest("worker-" + max, List.of(new ClaimRequest.LaneQuota(LANE, max, Integer.MAX_VALUE)),
        Set.of(), Duration.ofSeconds(30), TestJobs.T0, gate);
  }

  private static List<NewJob> keyed(int n, long cost) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(job(List.of(KEY), cost));
    }
    return jobs;
  }

  private static NewJob job(List<String> limitKeys, long cost) {
    NewJob plain = TestJobs.ready(LANE);
    return new NewJob(
        plain.id(), plain.type(), plain.lane(), plain.state(), plain.payloadJson(), plain.runAt(), plain.maxAttempts(),
        plain.timeout(), null, null, null, List.of(), plain.createdAt(), limitKeys, null, cost);
  }

  private List<Job> readyJobs() {
    return nodes.getFirst().find(JobQuery.all().withStates(Set.of(JobState.READY)).withLimit(JobQuery.MAX_LIMIT)).jobs();
  }

  private long unheldReady() {
    return readyJobs().stream().filter(j -> j.hold() == null).count();
  }

  private List<String> rows() throws Exception {
    List<String> ids = new ArrayList<>();
    try (Connection c = server.connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM quota_buckets ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  private javax.sql.DataSource dataSource() {
    var ds = new org.postgresql.ds.PGSimpleDataSource();
    ds.setURL(server.url(database));
    ds.setUser(server.user());
    ds.setPassword(server.password());
    return ds;
  }
}
