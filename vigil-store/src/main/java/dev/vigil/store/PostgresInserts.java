package dev.vigil.store;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.internal.JobInserts;
import dev.vigil.store.internal.JobRows;
import dev.vigil.store.internal.Turns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inserts a list of new jobs on PostgreSQL in one statement, letting the partial unique index on
 * {@code unique_key} decide duplicates, and wakes other nodes in the same statement.
 *
 * <p>The list travels as one array per column and is expanded by {@code unnest}: one round trip
 * whatever its length. The insert names {@code jobs_active_unique_key} as its {@code ON CONFLICT
 * ... DO NOTHING} target, so a key held by an active job (committed, or inserted earlier in the
 * same statement) inserts nothing; the rows that went in come back by {@code RETURNING}, and the
 * statement's last step calls {@code pg_notify} once per lane that received ready jobs. Rows
 * are inserted in unique-key order (then list order, so the first job of a repeated key wins):
 * two concurrent inserts that share keys then wait for each other's keys in the same order and
 * cannot deadlock.
 *
 * <p>For each job that was not inserted, the active job holding its key is read back in the same
 * transaction. If that holder ended between the two statements (a race, not an error), the job is
 * inserted again; the loop ends because each round either inserts or finds a holder.
 */
final class PostgresInserts {
  private static final int MAX_ROUNDS = 8;

  private static final String INSERT =
      "WITH input AS (SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[],"
          + " ?::int[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::bigint[], ?::bigint[]) WITH ORDINALITY AS t(id, type, lane, state, max_attempts,"
          + " payload, run_at, timeout_ms, unique_key, correlation_id, parent_id, tags,"
          + " created_at, turn, ord)),"
          + " inserted AS (INSERT INTO jobs (id, type, lane, state, attempt, max_attempts,"
          + " payload, run_at, timeout_ms, unique_key, correlation_id, parent_id, tags,"
          + " created_at, turn)"
          + " SELECT id, type, lane, state, 0, max_attempts, payload, run_at, timeout_ms,"
          + " unique_key, correlation_id, parent_id, tags, created_at, turn FROM input"
          + " ORDER BY unique_key COLLATE \"C\", ord"
          + " ON CONFLICT (unique_key) WHERE " + JobInserts.ACTIVE_KEY + " DO NOTHING"
          + " RETURNING id, lane, state),"
          + " woken AS (SELECT count(pg_notify(?, lane)) AS lanes"
          + " FROM (SELECT DISTINCT lane FROM inserted WHERE state = 'ready') ready)"
          + " SELECT inserted.id FROM inserted, woken";

  private static final String ACTIVE_BY_KEYS =
      "SELECT " + JobRows.COLUMNS + " FROM jobs WHERE unique_key = ANY(?) AND "
          + JobInserts.ACTIVE_KEY;

  private PostgresInserts() {}

  /**
   * Inserts {@code jobs} within the caller's transaction.
   *
   * @param channel the NOTIFY channel of ready lanes
   * @return per input, in order, the inserted job or the active duplicate (flagged)
   */
  static List<Job> insert(
      Connection c, List<NewJob> jobs, Turns turns, String channel, PostgresDatabase.ReadyLanes lanes)
      throws SQLException {
    Job[] answers = new Job[jobs.size()];
    List<Integer> pending = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      pending.add(i);
    }
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == MAX_ROUNDS) {
        throw new SQLException("unique keys kept changing hands; the enqueue was not stored");
      }
      List<NewJob> batch = pending.stream().map(jobs::get).toList();
      Set<String> inserted = insertBatch(c, batch, turns.assign(c, batch), channel);
      JobInserts.writeKeys(c, batch, inserted);
      Set<String> keys = new HashSet<>();
      for (int i : pending) {
        NewJob job = jobs.get(i);
        if (inserted.contains(job.id())) {
          answers[i] = JobRows.inserted(job);
          if (job.state() == JobState.READY) {
            lanes.notified(job.lane());
          }
        } else {
          keys.add(job.uniqueKey());
        }
      }
      Map<String, Job> holders = keys.isEmpty() ? Map.of() : holders(c, keys);
      List<Integer> again = new ArrayList<>();
      for (int i : pending) {
        if (answers[i] == null) {
          Job holder = holders.get(jobs.get(i).uniqueKey());
          if (holder == null) {
            again.add(i);
          } else {
            answers[i] = holder.asDuplicate();
          }
        }
      }
      pending = again;
    }
    return List.of(answers);
  }

  private static Set<String> insertBatch(Connection c, List<NewJob> jobs, long[] turns, String channel)
      throws SQLException {
    int n = jobs.size();
    String[] id = new String[n];
    String[] type = new String[n];
    String[] lane = new String[n];
    String[] state = new String[n];
    Integer[] maxAttempts = new Integer[n];
    String[] payload = new String[n];
    Long[] runAt = new Long[n];
    Long[] timeout = new Long[n];
    String[] uniqueKey = new String[n];
    String[] correlationId = new String[n];
    String[] parentId = new String[n];
    String[] tags = new String[n];
    Long[] createdAt = new Long[n];
    for (int i = 0; i < n; i++) {
      NewJob job = jobs.get(i);
      id[i] = job.id();
      type[i] = job.type();
      lane[i] = job.lane();
      state[i] = job.state().wireName();
      maxAttempts[i] = job.maxAttempts();
      payload[i] = job.payloadJson();
      runAt[i] = job.runAt().toEpochMilli();
      timeout[i] = job.timeout().toMillis();
      uniqueKey[i] = job.uniqueKey();
      correlationId[i] = job.correlationId();
      parentId[i] = job.parentId();
      tags[i] = JobRows.tagsToJson(job.tags());
      createdAt[i] = job.createdAt().toEpochMilli();
    }
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int p = 1;
      ps.setArray(p++, c.createArrayOf("text", id));
      ps.setArray(p++, c.createArrayOf("text", type));
      ps.setArray(p++, c.createArrayOf("text", lane));
      ps.setArray(p++, c.createArrayOf("text", state));
      ps.setArray(p++, c.createArrayOf("int4", maxAttempts));
      ps.setArray(p++, c.createArrayOf("text", payload));
      ps.setArray(p++, c.createArrayOf("int8", runAt));
      ps.setArray(p++, c.createArrayOf("int8", timeout));
      ps.setArray(p++, c.createArrayOf("text", uniqueKey));
      ps.setArray(p++, c.createArrayOf("text", correlationId));
      ps.setArray(p++, c.createArrayOf("text", parentId));
      ps.setArray(p++, c.createArrayOf("text", tags));
      ps.setArray(p++, c.createArrayOf("int8", createdAt));
      ps.setArray(p++, c.createArrayOf("int8", Arrays.stream(turns).boxed().toArray()));
      ps.setString(p, channel);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    return inserted;
  }

  private static Map<String, Job> holders(Connection c, Set<String> keys) throws SQLException {
    Map<String, Job> holders = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(ACTIVE_BY_KEYS)) {
      ps.setArray(1, c.createArrayOf("text", keys.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Job job = JobRows.job(rs);
          holders.put(job.uniqueKey(), job);
        }
      }
    }
    return holders;
  }
}
