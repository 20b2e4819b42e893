package dev.vigil.store;

import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.ModelStats;
import dev.vigil.llm.UsageDimension;
import dev.vigil.llm.UsageGroup;
import dev.vigil.llm.UsageQuery;
import dev.vigil.llm.UsageTotals;
import dev.vigil.llm.spi.UsageStore;
import dev.vigil.store.internal.Jdbc;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The recorded model calls ({@code llm_usage}) on a SQL store, through that store's own reads and
 * writes. Aggregates are computed by the database (one grouped query per question), so a month of
 * calls is summed without being read. Costs are kept as decimal text: PostgreSQL sums them
 * exactly; SQLite, which has no decimal type, sums them as doubles, rounded to 12 decimal places
 * (a millionth of a millionth of a dollar).
 */
final class SqlUsageStore implements UsageStore {
  /** The latest calls per model that {@link #modelStats} looks at. */
  static final int STATS_WINDOW = 10_000;

  private static final int COST_SCALE = 12;

  private final SqlJobStore store;
  private final String costType;

  SqlUsageStore(SqlJobStore store, boolean exactDecimals) {
    this.store = store;
    this.costType = exactDecimals ? "NUMERIC" : "REAL";
  }

  @Override
  public void record(List<LlmUsage> calls, String correlationId) {
    List<LlmUsage> all = List.copyOf(calls);
    if (all.isEmpty()) {
      return;
    }
    store.write((c, lanes) -> {
      UsageStatements.insert(c, all, correlationId);
      return null;
    });
  }

  @Override
  public List<UsageGroup> aggregate(UsageQuery q) {
    Objects.requireNonNull(q, "query");
    var sql = new StringBuilder("SELECT ");
    for (UsageDimension d : q.by()) {
      sql.append(column(d)).append(", ");
    }
    if (q.step() != null) {
      sql.append("(at / ?) * ?, ");
    }
    String cost = "CAST(cost_usd AS " + costType + ")";
    sql.append("COUNT(*), SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END), SUM(input_tokens),")
        .append(" SUM(cached_input_tokens), SUM(output_tokens), SUM(reasoning_tokens), SUM(")
        .append(cost)
        .append("), SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN attempt_failed = 1 THEN ")
        .append(cost)
        .append(" END), SUM(energy_wh), SUM(co2e_g) FROM llm_usage WHERE at >= ? AND at < ?");
    Map<UsageDimension, String> filter = q.filter().values();
    filter.keySet().forEach(d -> sql.append(" AND ").append(column(d)).append(" = ?"));
    int keys = q.by().size() + (q.step() == null ? 0 : 1);
    if (keys > 0) {
      String ordinals = String.join(", ", IntStream.rangeClosed(1, keys).mapToObj(Integer::toString).toList());
      sql.append(" GROUP BY ").append(ordinals).append(" ORDER BY ").append(ordinals);
    }
    return store.read(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int i = 1;
        if (q.step() != null) {
          ps.setLong(i++, q.step().toMillis());
          ps.setLong(i++, q.step().toMillis());
        }
        Jdbc.setInstant(ps, i++, q.from());
        Jdbc.setInstant(ps, i++, q.to());
        for (String v : filter.values()) {
          ps.setString(i++, v);
        }
        var out = new ArrayList<UsageGroup>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            var labels = new EnumMap<UsageDimension, String>(UsageDimension.class);
            int col = 1;
            for (UsageDimension d : q.by()) {
              labels.put(d, rs.getString(col++));
            }
            Instant bucket = q.step() == null ? null : Instant.ofEpochMilli(rs.getLong(col++));
            UsageTotals totals = totals(rs, col);
            if (totals.calls() > 0) {
              out.add(new UsageGroup(labels, bucket, totals));
            }
          }
        }
        return out;
      }
    });
  }

  private UsageTotals totals(ResultSet rs, int col) throws SQLException {
    return new UsageTotals(
        rs.getLong(col),
        rs.getLong(col + 1),
        rs.getLong(col + 2),
        rs.getLong(col + 3),
        rs.getLong(col + 4),
        rs.getLong(col + 5),
        decimal(rs, col + 6),
        rs.getLong(col + 7),
        retryCost(decimal(rs, col + 6), decimal(rs, col + 8)),
        rs.getDouble(col + 9),
        rs.getDouble(col + 10));
  }

  /** Zero when calls were priced and none of them belonged to a failed attempt; unknown when none was priced. */
  private static BigDecimal retryCost(BigDecimal cost, BigDecimal retry) {
    return cost == null ? null : retry == null ? BigDecimal.ZERO : retry;
  }

  private BigDecimal decimal(ResultSet rs, int col) throws SQLException {
    if (costType.equals("NUMERIC")) {
      BigDecimal v = rs.getBigDecimal(col);
      return v == null ? null : v.stripTrailingZeros();
    }
    double v = rs.getDouble(col);
    if (rs.wasNull()) {
      return null;
    }
    return new BigDecimal(Double.toString(v)).setScale(COST_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  @Override
  public List<ModelStats> modelStats(String type, Instant since) {
    Objects.requireNonNull(since, "since");
    String sql =
        "SELECT provider, model, outcome, input_tokens, cached_input_tokens, output_tokens, duration_ms FROM ("
            + "SELECT provider, model, outcome, input_tokens, cached_input_tokens, output_tokens, duration_ms,"
            + " ROW_NUMBER() OVER (PARTITION BY provider, model ORDER BY at DESC, id DESC) AS recent"
            + " FROM llm_usage WHERE at >= ?" + (type == null ? "" : " AND type = ?")
            + ") latest WHERE recent <= ? ORDER BY provider, model";
    return store.read(c -> {
      Map<List<String>, StatsBuilder> byModel = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        Jdbc.setInstant(ps, i++, since);
        if (type != null) {
          ps.setString(i++, type);
        }
        ps.setInt(i, STATS_WINDOW);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            byModel
                .computeIfAbsent(List.of(rs.getString(1), rs.getString(2)), k -> new StatsBuilder())
                .add("ok".equals(rs.getString(3)), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7));
          }
        }
      }
      var out = new ArrayList<ModelStats>(byModel.size());
      byModel.forEach((k, b) -> out.add(b.build(k.get(0), k.get(1))));
      return out;
    });
  }

  @Override
  public int deleteBefore(Instant cutoff, int limit) {
    Objects.requireNonNull(cutoff, "cutoff");
    return store.write((c, lanes) -> {
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM llm_usage WHERE id IN (SELECT id FROM llm_usage WHERE at < ? ORDER BY at, id LIMIT ?)")) {
        Jdbc.setInstant(ps, 1, cutoff);
        ps.setInt(2, limit);
        return ps.executeUpdate();
      }
    });
  }

  private static String column(UsageDimension d) {
    return switch (d) {
      case PROVIDER -> "provider";
      case MODEL -> "model";
      case TYPE -> "type";
      case LANE -> "lane";
    };
  }

  /** Sums one model's calls; the durations are kept to find their 95th percentile. */
  private static final class StatsBuilder {
    private long calls;
    private long ok;
    private long input;
    private long cached;
    private long output;
    private long[] durations = new long[16];

    void add(boolean succeeded, long in, long cachedIn, long out, long durationMs) {
      if (calls == durations.length) {
        durations = Arrays.copyOf(durations, durations.length * 2);
      }
      durations[(int) calls++] = durationMs;
      ok += succeeded ? 1 : 0;
      input += in;
      cached += cachedIn;
      output += out;
    }

    ModelStats build(String provider, String model) {
      long[] sorted = Arrays.copyOf(durations, (int) calls);
      Arrays.sort(sorted);
      long p95 = sorted[(int) Math.ceil(0.95 * calls) - 1];
      return new ModelStats(
          provider, model, calls, ok, (double) input / calls, (double) cached / calls, (double) output / calls, p95);
    }
  }
}
