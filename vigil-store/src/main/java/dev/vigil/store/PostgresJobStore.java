package dev.vigil.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobState;
import dev.vigil.limits.spi.QuotaBuckets;
import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.store.internal.JobHolds;
import dev.vigil.store.internal.JobQueries;
import dev.vigil.store.internal.JobTransitions;
import dev.vigil.store.internal.NodeStatements;
import dev.vigil.store.internal.ScheduleStatements;
import dev.vigil.store.internal.Turns;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The shared job store: PostgreSQL, for one node or many.
 *
 * <pre>{@code
 * try (JobStore store = PostgresJobStore.builder("jdbc:postgresql://db:5432/vigil")
 *     .user("vigil").password(secret).build()) { ... }
 * }</pre>
 *
 * <p>Needs PostgreSQL 13 or later ({@code gen_random_uuid()} is built in from 13); tested on 15.
 * The schema is created and migrated by Flyway ({@code db/migration/postgres}) when the store is
 * built, safely from several nodes at once.
 *
 * <h2>Design note</h2>
 *
 * <p><b>One schema, two dialects.</b> The tables, column names and time representation (BIGINT
 * epoch milliseconds; BOOLEAN flags) are SQLite's, so the portable statements in {@code
 * dev.vigil.store.internal} (reads, listings, heartbeats, cancel, retry, schedules, nodes, the
 * leader's term) run here unchanged. What PostgreSQL does differently lives in package-private
 * {@code Postgres*} classes: claims ({@link PostgresClaims}), batched inserts ({@link
 * PostgresInserts}), batched finishes ({@link PostgresFinishes}), the active-job queries ({@link
 * PostgresActiveJobs}) and wake-ups ({@link PostgresWakeups}).
 *
 * <p><b>Concurrency.</b> Unlike SQLite there is no single writer: every call borrows a pooled
 * connection, and PostgreSQL's own WAL group commit merges the fsyncs of commits that arrive
 * together. Everything that must hold across nodes is enforced by the database: claims lock
 * rows with {@code FOR UPDATE SKIP LOCKED} (no two claimers get one job, none waits for another);
 * a partial unique index holds one active job per unique key; finishes and heartbeats are fenced
 * by the lease token in SQL; a finish, cancel or retry locks its row before it reads what it
 * changes; lane caps are counted cluster-wide under a per-lane advisory lock; a schedule tick is a
 * compare-and-set on its row. Statements that lock several rows lock them in a fixed order (keys
 * for inserts, job ids for finishes) so they cannot deadlock; if PostgreSQL still reports one,
 * the transaction is run again.
 *
 * <p><b>Indexes.</b> As in SQLite, the statements that run all the time (claim, promotion, lane
 * caps, the reaper, depths) read partial indexes holding only ready, scheduled or running rows,
 * so a claim costs the same with ten thousand or a million finished jobs in the table ({@code
 * PostgresClaimPlanTest} checks the plan and the pages read); the running index is keyed on the
 * lane, not the lease expiry, so that heartbeats stay HOT updates. {@code docs/scaling.md} lists
 * every index and why it exists.
 *
 * <p><b>Round trips.</b> An enqueue of any length is one statement and a commit. A claim is one
 * statement per lane (two, in a short transaction, for a capped lane). {@link #finishAll} is one
 * JDBC batch of one statement kind and a commit.
 *
 * <p><b>Nodes.</b> The node registry and the leader's term use the portable upserts of {@code
 * NodeStatements}: concurrent upserts of the one leader row wait for each other and re-check
 * their condition on the latest version, so at most one node holds a term at any instant.
 *
 * <p><b>Quotas.</b> The rate and unit quotas of limits per key are shared by every node: Bucket4j
 * buckets in {@code quota_buckets}, drawn on a small pool of their own ({@link #quotaBuckets},
 * {@link PostgresQuotaBuckets}); a concurrency key's running jobs are counted under an advisory
 * lock per key ({@code JobHolds}).
 *
 * <p><b>Wake-ups.</b> Every transaction that makes work ready (enqueue of ready jobs, promotion,
 * retry, a lease given back, a lane resumed) also calls {@code pg_notify('vigil_ready', lane)},
 * which PostgreSQL delivers to every listening node at the commit. Each store listens on one
 * dedicated connection outside the pool and relays the lanes to its ready listeners; its own
 * commits are told to its listeners directly as well (so a listener may hear a lane twice, which
 * the contract allows). A lost notification, or one missed while the listening connection
 * reconnects, costs at most the engine's one-second safety poll. A store in a schema other than
 * {@code public} uses the channel {@code vigil_ready_<schema>}, so stores sharing a database in
 * different schemas do not wake each other.
 *
 * <p><b>Failures.</b> Every statement runs under the statement timeout (default 5 s), set as a
 * startup option on every connection, including the listening one. A call that cannot get a
 * connection within the connection timeout (default 5 s), or whose statement fails, throws
 * {@link StoreException}, and its change was rolled back (unless the connection broke during the
 * commit itself, when, as with any database client, it may or may not have been applied). When
 * PostgreSQL restarts or a connection drops, the pool replaces broken connections by itself and
 * the listening connection reconnects with back-off; the same store works again without being
 * reopened, and everything acknowledged before the outage is still there (PostgreSQL's
 * durability: keep {@code fsync} and {@code synchronous_commit} on). {@link #isReachable} is the
 * cheap health check for readiness probes.
 *
 * <p><b>PgBouncer.</b> The pool may sit behind PgBouncer in transaction mode: no session state
 * is used between transactions (advisory locks are transaction-scoped). Give PgBouncer
 * {@code ignore_startup_parameters = options} and set the statement timeout on the role instead
 * (or PgBouncer's {@code query_timeout}), use {@code prepareThreshold=0} on the URL before
 * PgBouncer 1.21, and point {@link Builder#listenUrl} straight at PostgreSQL: {@code LISTEN} and
 * Flyway's migration lock need a real session.
 *
 * <p>Thread-safe. After {@link #close()} every method throws {@link StoreException}.
 */
public final class PostgresJobStore extends SqlJobStore {
  private static final JobHolds HOLDS = new JobHolds(JobHolds.Dialect.POSTGRES);


  /** The NOTIFY channel of ready lanes for a store in the {@code public} schema. */
  public static final String CHANNEL = "vigil_ready";

  private static final int KNOWN_LANES_LIMIT = 1_000;

  /**
   * The lanes holding ready jobs, one index probe per lane (a loose index scan of {@code
   * jobs_ready_claim}), however many jobs wait in them.
   */
  static final String READY_LANES =
      "WITH RECURSIVE lanes AS (SELECT min(lane) AS lane FROM jobs WHERE state = 'ready' AND held_by IS NULL"
          + " UNION ALL SELECT (SELECT min(lane) FROM jobs WHERE state = 'ready' AND held_by IS NULL"
          + " AND lane > lanes.lane)"
          + " FROM lanes WHERE lanes.lane IS NOT NULL)"
          + " SELECT lane FROM lanes WHERE lane IS NOT NULL";

  private static final String LOCK_JOB = "SELECT state FROM jobs WHERE id = ? FOR UPDATE";

  private final String schema;
  private final String channel;
  private final ReadyListeners listeners = new ReadyListeners();
  /** Round robin by concurrency key: each new job's turn, and the turn each lane serves. */
  private final Turns turns = new Turns(JobHolds.Dialect.POSTGRES);
  private final ErrorGroupStore errorGroups = new SqlErrorGroupStore(this, SqlErrorGroupStore.Dialect.POSTGRES);
  private final Set<String> knownLanes = ConcurrentHashMap.newKeySet();
  private final PostgresDatabase db;
  private final PostgresWakeups wakeups;
  private final SqlHistoryStore history = new SqlHistoryStore(this);
  private final Supplier<HikariDataSource> openQuotaPool;
  private HikariDataSource quotaPool;
  private boolean closed;

  private PostgresJobStore(Builder b) {
    this.schema = b.schema;
    this.channel = "public".equals(b.schema) ? CHANNEL : CHANNEL + "_" + b.schema;
    PostgresConnections.migrate(b);
    Builder settings = b.copy();
    this.openQuotaPool = () -> PostgresConnections.quotaPool(settings);
    HikariDataSource pool = PostgresConnections.pool(b);
    try {
      db = new PostgresDatabase(pool, channel, this::tell);
      wakeups =
          new PostgresWakeups(
              () -> PostgresConnections.listenConnection(b), channel, this::tell, this::everyLane);
    } catch (SQLException e) {
      pool.close();
      throw new StoreException("cannot LISTEN on PostgreSQL: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens the store at {@code jdbcUrl} with the default settings, and migrates its schema.
   *
   * @param user the database user, or null to leave it to the URL
   * @param password the user's password, or null
   * @throws StoreException if PostgreSQL cannot be reached or the schema cannot be migrated
   */
  public static PostgresJobStore open(String jdbcUrl, String user, String password) {
    return builder(jdbcUrl).user(user).password(password).build();
  }

  /** A builder for a store at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}). */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  // ---- jobs

  @Override
  JobHolds holds() {
    return HOLDS;
  }

  @Override
  <T> T read(dev.vigil.store.internal.SqlFunction<T> work) {
    return db.autocommit(work);
  }

  @Override
  <T> T write(Write<T> work) {
    return db.transaction(work::apply);
  }

  @Override
  public List<Job> enqueue(List<NewJob> jobs) {
    List<NewJob> copy = List.copyOf(jobs);
    if (copy.isEmpty()) {
      return List.of();
    }
    return db.transaction((c, lanes) -> PostgresInserts.insert(c, copy, turns, channel, lanes));
  }

  @Override
  public Optional<Job> get(String id) {
    Objects.requireNonNull(id, "id");
    return db.snapshot(c -> JobQueries.get(c, id));
  }

  @Override
  public List<Job> claim(ClaimRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.quotas().isEmpty()) {
      return List.of();
    }
    request.quotas().forEach(q -> remember(q.lane()));
    return db.autocommit(c -> PostgresClaims.claim(c, request, schema, turns));
  }

  @Override
  Job finishIn(Connection c, Finish finish, Consumer<String> readyLanes) throws SQLException {
    return PostgresFinishes.finish(c, finish, readyLanes);
  }

  @Override
  Map<String, JobState> finishAllIn(Connection c, List<Finish> finishes, Consumer<String> readyLanes)
      throws SQLException {
    return PostgresFinishes.finishAll(c, finishes, readyLanes);
  }

  @Override
  public HeartbeatResult heartbeat(
      String jobId, String leaseToken, Instant newExpiry, Double progress, String message) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(leaseToken, "leaseToken");
    Objects.requireNonNull(newExpiry, "newExpiry");
    return db.autocommit(
        c -> JobTransitions.heartbeat(c, jobId, leaseToken, newExpiry, progress, message));
  }

  @Override
  public List<Job> findExpiredLeases(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    return db.autocommit(c -> PostgresActiveJobs.expiredLeases(c, now, limit));
  }

  @Override
  public List<Job> promoteDue(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    return db.transaction((c, lanes) -> PostgresActiveJobs.promoteDue(c, now, limit, lanes));
  }

  @Override
  public Optional<Instant> nextScheduledRunAt() {
    return db.autocommit(PostgresActiveJobs::nextScheduledRunAt);
  }

  @Override
  public Job cancel(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    return db.transaction(
        (c, lanes) -> {
          lock(c, id);
          return JobTransitions.cancel(c, id, now);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The unique key is checked, and then taken by the update; an enqueue that takes the key in
   * between makes the update fail on the unique index, which is reported as the same refusal.
   */
  @Override
  public Job retry(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    return db.transaction(
        (c, lanes) -> {
          JobState state = lock(c, id);
          try {
            return JobTransitions.retry(c, id, now, lanes);
          } catch (SQLException e) {
            if (PostgresDatabase.isUniqueViolation(e)) {
              throw new IllegalTransitionException(
                  id, state, JobState.READY,
                  "job " + id + " cannot go back to ready: another active job holds its unique key");
            }
            throw e;
          }
        });
  }

  /** Locks a job's row for the rest of the transaction and returns its state. */
  private static JobState lock(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_JOB)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new JobNotFoundException(id);
        }
        return JobState.fromWire(rs.getString(1));
      }
    }
  }

  @Override
  public List<LaneDepth> laneDepths() {
    return db.autocommit(PostgresActiveJobs::laneDepths);
  }

  @Override
  public Map<JobState, Long> countByState() {
    return db.autocommit(PostgresActiveJobs::countByState);
  }

  // ---- lanes

  // ---- schedules

  @Override
  public Optional<Job> fireSchedule(
      String name, Instant expectedNextFireAt, Instant tick, Instant newNextFireAt, NewJob job) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(job, "job");
    return db.transaction(
        (c, lanes) ->
            ScheduleStatements.advance(c, name, expectedNextFireAt, tick, newNextFireAt)
                ? Optional.of(PostgresInserts.insert(c, List.of(job), turns, channel, lanes).getFirst())
                : Optional.<Job>empty());
  }

  // ---- nodes

  // ---- wake-ups and health

  /**
   * {@inheritDoc}
   *
   * <p>Listeners hear this store's own commits at once, and other nodes' commits (and this
   * store's, a second time) through {@code LISTEN}; after the listening connection reconnects,
   * they are told every lane that may hold ready work. Listeners run on the caller's thread or on
   * the store's listening thread.
   */
  /**
   * The error groups kept in this store ({@code dev.vigil.observe.errors.ErrorGroups} writes them),
   * written through this store's own connections; closed with it.
   */
  public ErrorGroupStore errorGroups() {
    return errorGroups;
  }

  @Override
  public void addReadyListener(Consumer<String> lane) {
    listeners.add(Objects.requireNonNull(lane, "lane"));
  }

  /**
   * Whether PostgreSQL answers a pooled connection within {@code timeout}: for readiness checks.
   * Never throws; {@code false} when the pool cannot hand out a connection in time (the database
   * is down or unreachable, or every connection is busy for longer than that), or the store is
   * closed.
   */
  public boolean isReachable(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("vigil-pg-probe")
        .start(
            () -> {
              try (Connection c = db.pool().getConnection()) {
                answer.complete(c.isValid((int) Math.max(1, timeout.toSeconds())));
              } catch (SQLException | RuntimeException e) {
                answer.complete(false);
              }
            });
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Metric history in this store's database (the {@code history_*} tables), through this store's
   * connections; it closes with the store. See {@code docs/history.md}.
   */
  public HistoryStore historyStore() {
    return history;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: buckets in the table {@code quota_buckets}, shared by every node of the database,
   * drawn through a small pool of their own ({@link PostgresConnections#QUOTA_POOL_SIZE}
   * connections, opened on the first call). See {@code docs/limits.md}.
   */
  @Override
  public synchronized QuotaBuckets quotaBuckets(InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    if (closed) {
      throw new StoreException("the store is closed");
    }
    if (quotaPool == null) {
      quotaPool = openQuotaPool.get();
    }
    return new PostgresQuotaBuckets(quotaPool, clock);
  }

  /** Closes the listening connection and the pools. Idempotent. */
  @Override
  public void close() {
    wakeups.close();
    db.close();
    synchronized (this) {
      closed = true;
      if (quotaPool != null) {
        quotaPool.close();
      }
    }
  }

  private void tell(Collection<String> lanes) {
    lanes.forEach(this::remember);
    listeners.tell(lanes);
  }

  private void remember(String lane) {
    if (knownLanes.size() < KNOWN_LANES_LIMIT) {
      knownLanes.add(lane);
    }
  }

  /** Every lane this store has heard of, and every lane holding ready work now. */
  private Collection<String> everyLane() {
    Set<String> lanes = new LinkedHashSet<>(knownLanes);
    lanes.addAll(
        db.autocommit(
            c -> {
              Set<String> ready = new LinkedHashSet<>();
              try (PreparedStatement ps = c.prepareStatement(READY_LANES);
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  ready.add(rs.getString(1));
                }
              }
              return ready;
            }));
    return lanes;
  }

  /** The server process id of the listening session; for tests that terminate it. */
  int listenerBackendPid() {
    try {
      return wakeups.backendPid();
    } catch (SQLException e) {
      throw PostgresDatabase.failure(e);
    }
  }

  /** How many times the listening connection was re-established; for tests. */
  long listenerReconnections() {
    return wakeups.reconnections();
  }

  /** The NOTIFY channel this store's commits use and its listening connection hears. */
  String channel() {
    return channel;
  }

  /**
   * Settings of a {@link PostgresJobStore}, fixed once it is built.
   *
   * <p>Defaults: a pool of 10 connections (plus the one listening connection), a 5 s statement
   * timeout, a 5 s connection timeout, the {@code public} schema, and the pool's URL for
   * listening.
   */
  public static final class Builder {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,50}");

    final String url;
    String listenUrl;
    String user;
    String password;
    int poolSize = 10;
    Duration statementTimeout = Duration.ofSeconds(5);
    Duration connectionTimeout = Duration.ofSeconds(5);
    String schema = "public";
    MeterRegistry meterRegistry;

    private Builder(String url) {
      Objects.requireNonNull(url, "jdbcUrl");
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql:");
      }
      this.url = url;
    }

    /** A copy, so that what was built keeps its settings if this builder is changed later. */
    Builder copy() {
      Builder c = new Builder(url);
      c.listenUrl = listenUrl;
      c.user = user;
      c.password = password;
      c.poolSize = poolSize;
      c.statementTimeout = statementTimeout;
      c.connectionTimeout = connectionTimeout;
      c.schema = schema;
      c.meterRegistry = meterRegistry;
      return c;
    }

    /** The database user (default: none, left to the URL or the driver). */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The user's password (default: none). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** How many pooled connections this store keeps open (default 10). */
    public Builder poolSize(int poolSize) {
      if (poolSize < 1) {
        throw new IllegalArgumentException("poolSize must be at least 1");
      }
      this.poolSize = poolSize;
      return this;
    }

    /**
     * The longest any one statement may run before PostgreSQL cancels it (default 5 s). Waits
     * for locks count too.
     */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout = positive(timeout, "statementTimeout");
      return this;
    }

    /**
     * How long a call waits for a pooled connection, and a new connection for PostgreSQL to
     * answer, before it fails with {@link StoreException} (default 5 s).
     */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = positive(timeout, "connectionTimeout");
      return this;
    }

    /**
     * Where the connection pool records its meters (HikariCP's {@code hikaricp_connections_*},
     * tagged {@code pool="vigil-pg"}); default none. The engine's own meters are set on {@code
     * Vigil.Builder.meterRegistry}.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * The schema holding Vigil's tables (default {@code public}); created when missing. Lower
     * case letters, digits and underscores, at most 51 characters (the NOTIFY channel is named
     * after it).
     */
    public Builder schema(String schema) {
      Objects.requireNonNull(schema, "schema");
      if (!SCHEMA.matcher(schema).matches()) {
        throw new IllegalArgumentException(
            "schema must be lower-case letters, digits and underscores, at most 51 characters");
      }
      this.schema = schema;
      return this;
    }

    /**
     * A URL straight to PostgreSQL for the listening connection and for schema migrations, when
     * the pool's URL goes through a transaction-mode PgBouncer (default: the pool's URL).
     */
    public Builder listenUrl(String listenUrl) {
      if (listenUrl != null && !listenUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql:");
      }
      this.listenUrl = listenUrl;
      return this;
    }

    String listenUrl() {
      return listenUrl == null ? url : listenUrl;
    }

    /**
     * Connects, migrates the schema, starts listening and returns the store.
     *
     * @throws StoreException if PostgreSQL cannot be reached or the schema cannot be migrated
     */
    public PostgresJobStore build() {
      return new PostgresJobStore(this);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
