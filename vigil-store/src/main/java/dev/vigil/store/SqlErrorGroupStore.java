package dev.vigil.store;

import dev.vigil.observe.errors.ErrorGroup;
import dev.vigil.observe.errors.ErrorGroupEvent;
import dev.vigil.observe.errors.ErrorGroupPage;
import dev.vigil.observe.errors.ErrorGroupQuery;
import dev.vigil.observe.errors.ErrorGroupStore;
import dev.vigil.observe.errors.ErrorOccurrence;
import dev.vigil.observe.errors.ErrorStatus;
import dev.vigil.observe.errors.Fingerprint;
import dev.vigil.store.internal.ErrorGroupRows;
import dev.vigil.store.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The error groups of a SQL store ({@code error_groups}, {@code error_group_hours}, {@code
 * error_occurrences}, schema version 6), written through the job store's own writer (SQLite's
 * group committer, PostgreSQL's pooled transactions), so they share its connections and its
 * durability.
 *
 * <p><b>Design note.</b> A batch is one transaction. Its occurrences are taken group by group, in
 * id order: each group is inserted with {@code ON CONFLICT DO NOTHING} (so exactly one writer
 * creates it, whichever node), or else its row is read locked ({@code FOR UPDATE} on PostgreSQL;
 * SQLite has one writer) and merged in Java, which decides a regression once. Lock order by id
 * keeps two nodes' batches from deadlocking. Hourly counts are upserts that add, so they need no
 * read; occurrences beyond the last {@value ErrorOccurrence#KEPT} of a group are deleted by their
 * sequence number (the group's count when they came).
 *
 * <p>On SQLite a batch is one operation of the store's single writer, between the engine's own: it
 * costs a few statements per group it touches (insert or read and update, hourly upserts, the
 * occurrences kept), not per failure, since occurrences beyond the kept 20 of a group are never
 * written; a burst of failures of one kind is a handful of statements.
 */
final class SqlErrorGroupStore implements ErrorGroupStore {
  /** Hourly counts older than this are deleted by every batch. */
  private static final Duration HOURS_KEPT = Duration.ofHours(48);

  private static final String INSERT =
      "INSERT INTO error_groups (id, fingerprint, title, error_type, culprit, first_seen, last_seen, count,"
          + " job_types, lanes, sample_job_ids, status, regressed, unresolved_since)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unresolved', ?, ?) ON CONFLICT (id) DO NOTHING";

  private static final String UPDATE =
      "UPDATE error_groups SET last_seen = ?, count = ?, job_types = ?, lanes = ?, sample_job_ids = ?, status = ?,"
          + " regressed = ?, unresolved_since = ?, resolved_at = ?, resolved_by = ?, regressed_at = ? WHERE id = ?";

  private static final String ADD_HOUR =
      "INSERT INTO error_group_hours (group_id, hour, count) VALUES (?, ?, ?)"
          + " ON CONFLICT (group_id, hour) DO UPDATE SET count = error_group_hours.count + excluded.count";

  private static final String PRUNE_HOURS = "DELETE FROM error_group_hours WHERE hour < ?";

  private static final String ADD_OCCURRENCE =
      "INSERT INTO error_occurrences (group_id, seq, job_id, attempt, at, job_type, lane, outcome, error_type, message)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String PRUNE_OCCURRENCES = "DELETE FROM error_occurrences WHERE group_id = ? AND seq <= ?";

  /** A status change: regressed, resolved at and by, unresolved since, as setStatus decides them. */
  private static final String STATUS =
      "UPDATE error_groups SET status = ?, regressed = ?, resolved_at = ?, resolved_by = ?, unresolved_since = ?"
          + " WHERE id = ?";

  private static final String OCCURRENCES =
      "SELECT job_id, attempt, at, job_type, lane, outcome, error_type, message FROM error_occurrences"
          + " WHERE group_id = ? ORDER BY seq DESC LIMIT ?";

  /** What differs between the dialects here. */
  enum Dialect {
    SQLITE("", "instr"),
    POSTGRES(" FOR UPDATE", "strpos");

    final String lockRow;
    final String position;

    Dialect(String lockRow, String position) {
      this.lockRow = lockRow;
      this.position = position;
    }
  }

  private final SqlJobStore store;
  private final Dialect dialect;

  SqlErrorGroupStore(SqlJobStore store, Dialect dialect) {
    this.store = store;
    this.dialect = dialect;
  }

  // ---- writes

  @Override
  public List<ErrorGroupEvent> record(List<ErrorOccurrence> occurrences, Instant now) {
    Objects.requireNonNull(now, "now");
    Map<String, List<ErrorOccurrence>> byGroup = new TreeMap<>();
    for (ErrorOccurrence o : occurrences) {
      byGroup.computeIfAbsent(o.groupId(), id -> new ArrayList<>()).add(o);
    }
    if (byGroup.isEmpty()) {
      return List.of();
    }
    return store.write((c, lanes) -> {
      var changed = new ArrayList<ErrorGroupEvent>();
      for (var entry : byGroup.entrySet()) {
        List<ErrorOccurrence> list = new ArrayList<>(entry.getValue());
        list.sort(java.util.Comparator.comparing(ErrorOccurrence::at));
        ErrorGroupEvent.Kind kind = recordGroup(c, entry.getKey(), list);
        if (kind != null) {
          changed.add(new ErrorGroupEvent(kind, read(c, entry.getKey(), now).orElseThrow(), list.get(0).at()));
        }
      }
      try (PreparedStatement ps = c.prepareStatement(PRUNE_HOURS)) {
        ps.setLong(1, ErrorGroupRows.hourOf(now.minus(HOURS_KEPT)));
        ps.executeUpdate();
      }
      return changed;
    });
  }

  /** Writes one group's occurrences (oldest first); answers what happened to the group, if anything. */
  private ErrorGroupEvent.Kind recordGroup(Connection c, String id, List<ErrorOccurrence> list) throws SQLException {
    ErrorOccurrence first = list.get(0);
    Instant last = list.get(list.size() - 1).at();
    long before;
    ErrorGroupEvent.Kind kind = null;
    Fingerprint f = first.fingerprint();
    int inserted;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int i = 1;
      ps.setString(i++, id);
      ps.setString(i++, f.text());
      ps.setString(i++, f.title());
      ps.setString(i++, f.errorType());
      Jdbc.setString(ps, i++, f.culprit());
      Jdbc.setInstant(ps, i++, first.at());
      Jdbc.setInstant(ps, i++, last);
      ps.setLong(i++, list.size());
      ps.setString(i++, ErrorGroupRows.json(merge(List.of(), list, ErrorOccurrence::jobType, ErrorGroup.MAX_JOB_TYPES)));
      ps.setString(i++, ErrorGroupRows.json(merge(List.of(), list, ErrorOccurrence::lane, ErrorGroup.MAX_LANES)));
      ps.setString(i++, ErrorGroupRows.json(samples(List.of(), list)));
      ps.setBoolean(i++, false);
      Jdbc.setInstant(ps, i, first.at());
      inserted = ps.executeUpdate();
    }
    if (inserted > 0) {
      before = 0;
      kind = ErrorGroupEvent.Kind.NEW_ERROR_GROUP;
    } else {
      ErrorGroup g = lockedRow(c, id);
      before = g.count();
      boolean regresses = g.status() == ErrorStatus.RESOLVED;
      try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
        int i = 1;
        Jdbc.setInstant(ps, i++, last.isAfter(g.lastSeen()) ? last : g.lastSeen());
        ps.setLong(i++, g.count() + list.size());
        ps.setString(i++, ErrorGroupRows.json(merge(g.jobTypes(), list, ErrorOccurrence::jobType, ErrorGroup.MAX_JOB_TYPES)));
        ps.setString(i++, ErrorGroupRows.json(merge(g.lanes(), list, ErrorOccurrence::lane, ErrorGroup.MAX_LANES)));
        ps.setString(i++, ErrorGroupRows.json(samples(g.sampleJobIds(), list)));
        ps.setString(i++, (regresses ? ErrorStatus.UNRESOLVED : g.status()).wireName());
        ps.setBoolean(i++, regresses || g.regressed());
        Jdbc.setInstant(ps, i++, regresses ? first.at() : g.unresolvedSince());
        Jdbc.setInstant(ps, i++, regresses ? null : g.resolvedAt());
        Jdbc.setString(ps, i++, regresses ? null : g.resolvedBy());
        Jdbc.setInstant(ps, i++, regresses ? first.at() : g.regressedAt());
        ps.setString(i, id);
        ps.executeUpdate();
      }
      if (regresses) {
        kind = ErrorGroupEvent.Kind.ERROR_GROUP_REGRESSED;
      }
    }
    addHours(c, id, list);
    addOccurrences(c, id, before, list);
    return kind;
  }

  private static void addHours(Connection c, String id, List<ErrorOccurrence> list) throws SQLException {
    Map<Long, Long> hours = new TreeMap<>();
    list.forEach(o -> hours.merge(ErrorGroupRows.hourOf(o.at()), 1L, Long::sum));
    try (PreparedStatement ps = c.prepareStatement(ADD_HOUR)) {
      for (var h : hours.entrySet()) {
        ps.setString(1, id);
        ps.setLong(2, h.getKey());
        ps.setLong(3, h.getValue());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void addOccurrences(Connection c, String id, long before, List<ErrorOccurrence> list)
      throws SQLException {
    long seq = before;
    int skip = Math.max(0, list.size() - ErrorOccurrence.KEPT);
    try (PreparedStatement ps = c.prepareStatement(ADD_OCCURRENCE)) {
      for (int k = 0; k < list.size(); k++) {
        seq++;
        if (k < skip) {
          continue; // would be deleted at once
        }
        ErrorOccurrence o = list.get(k);
        int i = 1;
        ps.setString(i++, id);
        ps.setLong(i++, seq);
        ps.setString(i++, o.jobId());
        ps.setInt(i++, o.attempt());
        Jdbc.setInstant(ps, i++, o.at());
        ps.setString(i++, o.jobType());
        ps.setString(i++, o.lane());
        ps.setString(i++, o.outcome());
        ps.setString(i++, o.fingerprint().errorType());
        Jdbc.setString(ps, i, o.message());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    if (seq > ErrorOccurrence.KEPT) {
      try (PreparedStatement ps = c.prepareStatement(PRUNE_OCCURRENCES)) {
        ps.setString(1, id);
        ps.setLong(2, seq - ErrorOccurrence.KEPT);
        ps.executeUpdate();
      }
    }
  }

  /** Values already listed, then the new ones in the order they came, distinct, at most {@code max}. */
  private static List<String> merge(
      List<String> existing, List<ErrorOccurrence> list, java.util.function.Function<ErrorOccurrence, String> value, int max) {
    var out = new LinkedHashSet<>(existing);
    for (ErrorOccurrence o : list) {
      if (out.size() >= max) {
        break;
      }
      out.add(value.apply(o));
    }
    return List.copyOf(out);
  }

  /** The newest job ids first, distinct, at most {@value ErrorGroup#MAX_SAMPLES}. */
  private static List<String> samples(List<String> existing, List<ErrorOccurrence> oldestFirst) {
    var out = new LinkedHashSet<String>();
    for (int k = oldestFirst.size() - 1; k >= 0 && out.size() < ErrorGroup.MAX_SAMPLES; k--) {
      out.add(oldestFirst.get(k).jobId());
    }
    for (String id : existing) {
      if (out.size() >= ErrorGroup.MAX_SAMPLES) {
        break;
      }
      out.add(id);
    }
    return List.copyOf(out);
  }

  @Override
  public Optional<StatusChange> setStatus(String id, ErrorStatus status, String by, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(now, "now");
    return store.write((c, lanes) -> {
      if (lockedRowIfAny(c, id).isEmpty()) {
        return Optional.<StatusChange>empty();
      }
      ErrorGroup before = read(c, id, now).orElseThrow();
      if (before.status() == status) {
        return Optional.of(new StatusChange(before, before));
      }
      try (PreparedStatement ps = c.prepareStatement(STATUS)) {
        boolean resolved = status == ErrorStatus.RESOLVED;
        int i = 1;
        ps.setString(i++, status.wireName());
        ps.setBoolean(i++, status == ErrorStatus.IGNORED && before.regressed());
        Jdbc.setInstant(ps, i++, resolved ? now : null);
        Jdbc.setString(ps, i++, resolved ? by : null);
        Jdbc.setInstant(ps, i++, status == ErrorStatus.UNRESOLVED ? now : before.unresolvedSince());
        ps.setString(i, id);
        ps.executeUpdate();
      }
      return Optional.of(new StatusChange(before, read(c, id, now).orElseThrow()));
    });
  }

  // ---- reads

  @Override
  public Optional<ErrorGroup> get(String id, Instant now) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    return store.read(c -> read(c, id, now));
  }

  @Override
  public ErrorGroupPage find(ErrorGroupQuery q, Instant now) {
    Objects.requireNonNull(q, "query");
    Objects.requireNonNull(now, "now");
    var sql = new StringBuilder("SELECT " + ErrorGroupRows.COLUMNS + " FROM error_groups WHERE 1 = 1");
    var params = new ArrayList<Object>();
    if (!q.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(Jdbc.markers(q.statuses())).append(')');
      q.statuses().stream().map(ErrorStatus::wireName).sorted().forEach(params::add);
    }
    if (q.lane() != null) {
      sql.append(" AND ").append(dialect.position).append("(lanes, ?) > 0");
      params.add(ErrorGroupRows.jsonElement(q.lane()));
    }
    if (q.jobType() != null) {
      sql.append(" AND ").append(dialect.position).append("(job_types, ?) > 0");
      params.add(ErrorGroupRows.jsonElement(q.jobType()));
    }
    if (q.errorType() != null) {
      sql.append(" AND error_type = ?");
      params.add(q.errorType());
    }
    if (q.since() != null) {
      sql.append(" AND last_seen >= ?");
      params.add(q.since().toEpochMilli());
    }
    if (q.cursor() != null) {
      ErrorGroupRows.Position p = ErrorGroupRows.position(q.cursor());
      sql.append(" AND (last_seen < ? OR (last_seen = ? AND id < ?))");
      params.add(p.lastSeenMillis());
      params.add(p.lastSeenMillis());
      params.add(p.id());
    }
    sql.append(" ORDER BY last_seen DESC, id DESC LIMIT ?");
    params.add(q.limit() + 1);
    return store.read(c -> {
      List<ErrorGroup> groups = select(c, sql.toString(), params, now);
      String next = null;
      if (groups.size() > q.limit()) {
        groups = groups.subList(0, q.limit());
        ErrorGroup last = groups.get(groups.size() - 1);
        next = ErrorGroupRows.cursor(last.lastSeen(), last.id());
      }
      return new ErrorGroupPage(groups, next);
    });
  }

  @Override
  public List<StoredOccurrence> occurrences(String id, int limit) {
    Objects.requireNonNull(id, "id");
    int n = Math.clamp(limit, 0, ErrorOccurrence.KEPT);
    if (n == 0) {
      return List.of();
    }
    return store.read(c -> {
      var out = new ArrayList<StoredOccurrence>();
      try (PreparedStatement ps = c.prepareStatement(OCCURRENCES)) {
        ps.setString(1, id);
        ps.setInt(2, n);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(
                new StoredOccurrence(
                    rs.getString(1), rs.getInt(2), Jdbc.instant(rs, 3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8)));
          }
        }
      }
      return out;
    });
  }

  private Optional<ErrorGroup> read(Connection c, String id, Instant now) throws SQLException {
    List<ErrorGroup> found =
        select(c, "SELECT " + ErrorGroupRows.COLUMNS + " FROM error_groups WHERE id = ?", List.of(id), now);
    return found.stream().findFirst();
  }

  /** The group's row, locked until the transaction ends where the dialect locks rows. */
  private ErrorGroup lockedRow(Connection c, String id) throws SQLException {
    return lockedRowIfAny(c, id).orElseThrow(() -> new StoreException("error group " + id + " vanished while it was written"));
  }

  private Optional<ErrorGroup> lockedRowIfAny(Connection c, String id) throws SQLException {
    String sql = "SELECT " + ErrorGroupRows.COLUMNS + " FROM error_groups WHERE id = ?" + dialect.lockRow;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(ErrorGroupRows.group(rs)) : Optional.empty();
      }
    }
  }

  /** The groups a query selects, in its order, each with its hourly counts as of {@code now}. */
  private static List<ErrorGroup> select(Connection c, String sql, List<Object> params, Instant now)
      throws SQLException {
    var groups = new ArrayList<ErrorGroup>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          groups.add(ErrorGroupRows.group(rs));
        }
      }
    }
    if (groups.isEmpty()) {
      return groups;
    }
    Map<String, Map<Long, Long>> hours = hours(c, groups.stream().map(ErrorGroup::id).toList(), now);
    return groups.stream().map(g -> ErrorGroupRows.withHours(g, hours.getOrDefault(g.id(), Map.of()), now)).toList();
  }

  private static Map<String, Map<Long, Long>> hours(Connection c, List<String> ids, Instant now) throws SQLException {
    long from = ErrorGroupRows.hourOf(now) - (ErrorGroup.HOURS - 1) * ErrorGroupRows.HOUR.toMillis();
    Map<String, Map<Long, Long>> out = new LinkedHashMap<>();
    String sql =
        "SELECT group_id, hour, count FROM error_group_hours WHERE group_id IN (" + Jdbc.markers(ids)
            + ") AND hour >= ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String id : ids) {
        ps.setString(i++, id);
      }
      ps.setLong(i, from);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getLong(3));
        }
      }
    }
    return out;
  }
}
