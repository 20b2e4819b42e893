package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the harness says about peers it cannot run, and the ratios it computes against them. */
final class Peers {
  static final String JOBRUNR = "jobrunr";
  static final String DB_SCHEDULER = "db-scheduler";

  private Peers() {}

  /**
   * db-scheduler 15.6.0 ships JDBC customisations for PostgreSQL, MySQL, MariaDB, Oracle and SQL
   * Server, and is tested on those plus H2 and HSQLDB; SQLite support came later upstream (it needs
   * the {@code FETCH} polling strategy and UTC timestamps). So on the embedded store it is not run:
   * it is measured on PostgreSQL with issue 5.
   */
  static Map<String, Object> dbSchedulerUnavailable() {
    var m = new LinkedHashMap<String, Object>();
    m.put("available", false);
    m.put("version", "15.6.0");
    m.put(
        "note",
        "needs PostgreSQL; measured in issue 5 (db-scheduler 15.6.0 has no SQLite support: no"
            + " SQLite JdbcCustomization, and SQLite is not among its tested databases)");
    return m;
  }

  /** Not run because the user asked for no peers. */
  static Map<String, Object> skipped() {
    return Map.of("available", false, "note", "peers skipped (--no-peers)");
  }

  /** {@code vigil / peer} for a figure where more is better, {@code peer / vigil} where less is. */
  static Map<String, Object> ratios(
      Map<String, Object> vigil, Map<String, Object> peer, String... figures) {
    var m = new LinkedHashMap<String, Object>();
    for (String f : figures) {
      if (vigil.get(f) instanceof Number v && peer.get(f) instanceof Number p) {
        boolean moreIsBetter = f.equals("jobs_per_s") || f.equals("enqueue_jobs_per_s");
        double num = moreIsBetter ? v.doubleValue() : p.doubleValue();
        double den = moreIsBetter ? p.doubleValue() : v.doubleValue();
        if (den > 0) {
          m.put(f, Figures.round2(num / den));
        }
      }
    }
    return m;
  }
}
