package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.Schedule;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.spi.PriceStore;
import dev.vigil.llm.spi.UsageStore;
import dev.vigil.observe.alerts.spi.AlertStore;
import dev.vigil.store.internal.JobQueries;
import dev.vigil.store.internal.JobHolds;
import dev.vigil.store.internal.JobTransitions;
import dev.vigil.store.internal.LaneStates;
import dev.vigil.store.internal.NodeStatements;
import dev.vigil.store.internal.ScheduleStatements;
import dev.vigil.store.internal.SqlFunction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the SQL stores share: the operations whose SQL is the same in every dialect, run through
 * each store's own way of reading and writing. A store says how it reads ({@link #read}: a pooled
 * connection, no transaction needed) and how it writes ({@link #write}: SQLite's group-committing
 * writer, PostgreSQL's pooled transactions); the hot paths (enqueue, claim, promotion) stay in
 * each store, where the dialects differ, and so do the statements of a finish ({@link #finishIn},
 * {@link #finishAllIn}).
 */
abstract class SqlJobStore implements JobStore {
  private final SqlAlertStore alerts = new SqlAlertStore(this);
  private final SqlPriceStore prices = new SqlPriceStore(this);
  private final SqlUsageStore usage = new SqlUsageStore(this, this instanceof PostgresJobStore);

  /** The LLM price rows put through the API, kept on this database. */
  public PriceStore priceStore() {
    return prices;
  }

  /** The model calls recorded on this database, and the questions asked of them. */
  @Override
  public UsageStore usage() {
    return usage;
  }

  /** The alert engine's store on this database (alerts, their history, silences). */
  public AlertStore alertStore() {
    return alerts;
  }

  /** Runs a read. */
  abstract <T> T read(SqlFunction<T> work);

  /** The statements that hold and release keyed jobs, in this database's dialect. */
  abstract JobHolds holds();

  /** Runs a write in a transaction; lanes given to the consumer are told to ready listeners. */
  abstract <T> T write(Write<T> work);

  /** Ends one attempt in the write's transaction, as {@link JobStore#finish} describes. */
  abstract Job finishIn(Connection c, Finish finish, Consumer<String> readyLanes) throws SQLException;

  /** Ends many attempts in the write's transaction; returns the state of those applied, by id. */
  abstract Map<String, JobState> finishAllIn(Connection c, List<Finish> finishes, Consumer<String> readyLanes)
      throws SQLException;

  @Override
  public Job finish(Finish finish) {
    Objects.requireNonNull(finish, "finish");
    return write((c, lanes) -> {
      Job after = finishIn(c, finish, lanes);
      UsageStatements.insert(c, finish);
      return after;
    });
  }

  @Override
  public List<LlmUsage> llmUsage(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    return read(c -> UsageStatements.byJob(c, jobId));
  }

  @Override
  public Map<String, JobState> finishAll(List<Finish> finishes) {
    List<Finish> all = List.copyOf(finishes);
    if (all.isEmpty()) {
      return Map.of();
    }
    return write((c, lanes) -> {
      Map<String, JobState> applied = finishAllIn(c, all, lanes);
      UsageStatements.insert(c, all, applied);
      return applied;
    });
  }

  @Override
  public Map<String, long[]> keyCounts() {
    return read(holds()::counts);
  }

  @Override
  public int releaseHolds(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    return write((c, lanes) -> {
      List<String> released = holds().releaseDue(c, now, limit);
      released.forEach(lanes);
      return released.size();
    });
  }

  /** Releases in key order, so that two concurrent calls cannot deadlock. */
  @Override
  public void releaseHeld(Map<String, Integer> byConcurrencyKey) {
    if (byConcurrencyKey.isEmpty()) {
      return;
    }
    write((c, lanes) -> {
      for (Map.Entry<String, Integer> e : new TreeMap<>(byConcurrencyKey).entrySet()) {
        holds().releaseOldest(c, e.getKey(), e.getValue()).forEach(lanes);
      }
      return null;
    });
  }

  /** Gives the leases back in job-id order, so that two concurrent calls cannot deadlock. */
  @Override
  public Map<String, JobState> unclaim(List<Lease> leases, Instant now) {
    Objects.requireNonNull(now, "now");
    List<Lease> sorted = leases.stream().sorted(Comparator.comparing(Lease::jobId)).toList();
    if (sorted.isEmpty()) {
      return Map.of();
    }
    return write((c, lanes) -> JobTransitions.unclaim(c, sorted, now, lanes));
  }

  @Override
  public JobPage find(JobQuery query) {
    Objects.requireNonNull(query, "query");
    return read(c -> JobQueries.find(c, query));
  }

  /** Also tells ready listeners (on every node) of the lane when it is resumed: it may hold work. */
  @Override
  public void setLanePaused(String lane, boolean paused) {
    Objects.requireNonNull(lane, "lane");
    write(
        (c, lanes) -> {
          LaneStates.setPaused(c, lane, paused);
          if (!paused) {
            lanes.accept(lane);
          }
          return null;
        });
  }

  @Override
  public Map<String, Boolean> lanePauses() {
    return read(LaneStates::pauses);
  }

  @Override
  public ScheduleUpsert upsertSchedule(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    return write((c, lanes) -> ScheduleStatements.upsert(c, schedule));
  }

  @Override
  public Optional<Schedule> getSchedule(String name) {
    Objects.requireNonNull(name, "name");
    return read(c -> ScheduleStatements.get(c, name));
  }

  @Override
  public List<Schedule> listSchedules() {
    return read(ScheduleStatements::list);
  }

  @Override
  public boolean deleteSchedule(String name) {
    Objects.requireNonNull(name, "name");
    return write((c, lanes) -> ScheduleStatements.delete(c, name));
  }

  @Override
  public List<Schedule> dueSchedules(Instant now) {
    Objects.requireNonNull(now, "now");
    return read(c -> ScheduleStatements.due(c, now));
  }

  @Override
  public void heartbeatNode(NodeRecord node) {
    Objects.requireNonNull(node, "node");
    write(
        (c, lanes) -> {
          NodeStatements.heartbeat(c, node);
          return null;
        });
  }

  @Override
  public List<NodeRecord> nodes() {
    return read(NodeStatements::nodes);
  }

  @Override
  public boolean tryLead(String nodeId, Instant now, Duration term) {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(term, "term");
    return write((c, lanes) -> NodeStatements.tryLead(c, nodeId, now, term));
  }
}
