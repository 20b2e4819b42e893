package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.store.internal.JobHolds;
import dev.vigil.store.internal.JobInserts;
import dev.vigil.store.internal.JobQueries;
import dev.vigil.store.internal.JobTransitions;
import dev.vigil.store.internal.ScheduleStatements;
import dev.vigil.store.internal.Turns;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The embedded job store: one SQLite file, no server to run.
 *
 * <pre>{@code
 * try (JobStore store = SqliteJobStore.open(Path.of("data/vigil.db"))) { ... }
 * }</pre>
 *
 * <p><b>Design note.</b> SQLite serialises writers on a file lock, and with {@code
 * synchronous=FULL} every commit pays an fsync. So the store keeps exactly one writer
 * connection, owned by one thread, and group-commits: concurrent calls queue their operation,
 * the thread runs whatever is queued in one transaction (one savepoint per operation, so one
 * operation's failure rolls back only itself), commits once, tells ready listeners, and only
 * then lets each caller return. A call therefore returns only once its change is durable, and
 * sixteen concurrent enqueues cost about one fsync, not sixteen. Reads go to a small pool of
 * read-only connections; in WAL mode they see the last commit and never wait for the writer.
 * See {@code GroupCommitter} for the batching rules and hazards: a failed commit fails the whole
 * batch; a huge operation delays its batch; listeners run on the writer thread and must not call
 * the store.
 *
 * <p>The schema lives in Flyway migrations ({@code db/migration/sqlite}); each claim, promotion
 * and reaper query is served by a partial index over the active rows only, so their cost does
 * not grow with the history of finished jobs. Unique keys are enforced by a partial unique index.
 * Times are stored as epoch milliseconds: instants are truncated to milliseconds.
 *
 * <p>The file is meant for one process. A second process opening it stays correct (SQLite's
 * write lock serialises the two writers, each transaction beginning {@code IMMEDIATE}), but its
 * changes do not reach this process's ready listeners; use the PostgreSQL store for several
 * nodes.
 *
 * <p>Thread-safe. After {@link #close()} every method throws {@link StoreException}.
 */
public final class SqliteJobStore extends SqlJobStore {
  private static final JobHolds HOLDS = new JobHolds(JobHolds.Dialect.SQLITE);


  private final ReadyListeners listeners;
  private final GroupCommitter writer;
  private final ReadPool readers;
  /** Round robin by concurrency key: each new job's turn, and the turn each lane serves. */
  private final Turns turns = new Turns(JobHolds.Dialect.SQLITE);
  private final ErrorGroupStore errorGroups = new SqlErrorGroupStore(this, SqlErrorGroupStore.Dialect.SQLITE);
  private final SqlHistoryStore history = new SqlHistoryStore(this);

  private SqliteJobStore(Builder b) {
    SqliteConnections.prepare(b.file);
    Connection connection = SqliteConnections.writer(b.file, b.synchronousFull);
    listeners = new ReadyListeners();
    try {
      writer = new GroupCommitter(connection, b.groupCommitWindow, b.maxBatch, listeners, batchSizes(b.meterRegistry));
    } catch (SQLException e) {
      closeQuietly(connection);
      throw new StoreException("cannot prepare the writer connection", e);
    }
    try {
      readers = new ReadPool(SqliteConnections.readers(b.file, b.readers));
    } catch (RuntimeException e) {
      writer.close();
      throw e;
    }
  }

  /**
   * Opens (creating if needed, with its parent directories) the store in {@code dbFile} with the
   * default settings, and migrates its schema.
   *
   * @throws StoreException if the file cannot be created, opened or migrated
   */
  public static SqliteJobStore open(Path dbFile) {
    return builder(dbFile).build();
  }

  /** A builder for a store in {@code dbFile}, to change the defaults. */
  public static Builder builder(Path dbFile) {
    return new Builder(dbFile);
  }

  @Override
  JobHolds holds() {
    return HOLDS;
  }

  @Override
  <T> T read(dev.vigil.store.internal.SqlFunction<T> work) {
    return readers.read(work);
  }

  @Override
  <T> T write(Write<T> work) {
    return writer.execute(work);
  }

  @Override
  public List<Job> enqueue(List<NewJob> jobs) {
    List<NewJob> copy = List.copyOf(jobs);
    if (copy.isEmpty()) {
      return List.of();
    }
    return writer.execute((c, lanes) -> JobInserts.insert(c, copy, turns.assign(c, copy), lanes));
  }

  @Override
  public Optional<Job> get(String id) {
    Objects.requireNonNull(id, "id");
    return readers.read(c -> JobQueries.get(c, id));
  }

  @Override
  public List<Job> claim(ClaimRequest request) {
    Objects.requireNonNull(request, "request");
    if (request.quotas().isEmpty()) {
      return List.of();
    }
    return writer.execute((c, lanes) -> SqliteClaims.claim(c, request, turns));
  }

  @Override
  Job finishIn(Connection c, Finish finish, Consumer<String> readyLanes) throws SQLException {
    return JobTransitions.finish(c, finish, readyLanes);
  }

  @Override
  Map<String, JobState> finishAllIn(Connection c, List<Finish> finishes, Consumer<String> readyLanes)
      throws SQLException {
    return SqliteFinishes.finishAll(c, finishes, readyLanes);
  }

  @Override
  public HeartbeatResult heartbeat(
      String jobId, String leaseToken, Instant newExpiry, Double progress, String message) {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(leaseToken, "leaseToken");
    Objects.requireNonNull(newExpiry, "newExpiry");
    return writer.execute(
        (c, lanes) -> JobTransitions.heartbeat(c, jobId, leaseToken, newExpiry, progress, message));
  }

  @Override
  public List<Job> findExpiredLeases(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    return readers.read(c -> SqliteActiveJobs.expiredLeases(c, now, limit));
  }

  @Override
  public List<Job> promoteDue(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    return writer.execute((c, lanes) -> SqliteActiveJobs.promoteDue(c, now, limit, lanes));
  }

  @Override
  public Optional<Instant> nextScheduledRunAt() {
    return readers.read(SqliteActiveJobs::nextScheduledRunAt);
  }

  @Override
  public Job cancel(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    return writer.execute((c, lanes) -> JobTransitions.cancel(c, id, now));
  }

  @Override
  public Job retry(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    return writer.execute((c, lanes) -> JobTransitions.retry(c, id, now, lanes));
  }

  @Override
  public List<LaneDepth> laneDepths() {
    return readers.read(SqliteActiveJobs::laneDepths);
  }

  @Override
  public Map<JobState, Long> countByState() {
    return readers.read(SqliteActiveJobs::countByState);
  }

  @Override
  public Optional<Job> fireSchedule(
      String name, Instant expectedNextFireAt, Instant tick, Instant newNextFireAt, NewJob job) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(job, "job");
    return writer.execute(
        (c, lanes) ->
            ScheduleStatements.advance(c, name, expectedNextFireAt, tick, newNextFireAt)
                ? Optional.of(JobInserts.insert(c, List.of(job), turns.assign(c, List.of(job)), lanes).getFirst())
                : Optional.<Job>empty());
  }

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
   * Metric history in this store's database (the {@code history_*} tables), through this store's
   * connections; it closes with the store. See {@code docs/history.md}.
   */
  public HistoryStore historyStore() {
    return history;
  }

  /** Commits every write already submitted, then closes the connections. Idempotent. */
  @Override
  public void close() {
    writer.close();
    readers.close();
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // already failing; the first error is the one reported
    }
  }

  /** Records the writer's batch sizes into {@code vigil_group_commit_batch_size}, when metrics are on. */
  private static IntConsumer batchSizes(MeterRegistry registry) {
    if (registry == null) {
      return size -> {};
    }
    DistributionSummary summary =
        DistributionSummary.builder("vigil.group.commit.batch.size")
            .description("Write operations committed together in one SQLite transaction")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
            .register(registry);
    return summary::record;
  }

  /** How many transactions the writer has committed; for tests of group commit. */
  long commitCount() {
    return writer.commitCount();
  }

  /** How many write operations the writer has run; for tests of group commit. */
  long writeCount() {
    return writer.operationCount();
  }

  /** Operations queued for the writer and not yet taken; for tests of batching. */
  int queuedWrites() {
    return writer.queued();
  }

  /** Runs a raw write through the group committer; for tests of batching and failures. */
  <T> T execute(Write<T> write) {
    return writer.execute(write);
  }

  /**
   * Settings of a {@link SqliteJobStore}, fixed once it is built.
   *
   * <p>Durability: with {@code synchronousFull(true)} (the default) every commit is fsynced
   * before any caller of its batch returns, so an acknowledged write survives power loss. With
   * {@code false} ({@code synchronous=NORMAL} in WAL mode) commits survive a crash of the process
   * but the last ones may be lost if the machine loses power; commits are cheaper. Group commit
   * makes {@code FULL} affordable, which is why it is the default.
   */
  public static final class Builder {
    private final Path file;
    private Duration groupCommitWindow = Duration.ofMillis(2);
    private int maxBatch = 512;
    private int readers = 4;
    private boolean synchronousFull = true;
    private MeterRegistry meterRegistry;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "dbFile");
    }

    /**
     * How long the writer may linger for more operations when it has seen concurrent callers
     * (default 2 ms; zero never lingers). A lone caller never waits for it.
     */
    public Builder groupCommitWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("groupCommitWindow must not be negative");
      }
      this.groupCommitWindow = window;
      return this;
    }

    /** The most operations one transaction holds (default 512). */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch must be at least 1");
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /** How many read-only connections to pool (default 4). */
    public Builder readers(int readers) {
      if (readers < 1) {
        throw new IllegalArgumentException("readers must be at least 1");
      }
      this.readers = readers;
      return this;
    }

    /** Whether commits are fsynced ({@code FULL}, the default) or not ({@code NORMAL}). */
    public Builder synchronousFull(boolean synchronousFull) {
      this.synchronousFull = synchronousFull;
      return this;
    }

    /**
     * Where the store records the size of each group commit ({@code
     * vigil_group_commit_batch_size}); default none. The engine's own meters are set on {@code
     * Vigil.Builder.meterRegistry}.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Opens the store, creating the file and its directories if needed, and migrates its schema.
     *
     * @throws StoreException if the file cannot be created, opened or migrated
     */
    public SqliteJobStore build() {
      return new SqliteJobStore(this);
    }
  }
}
