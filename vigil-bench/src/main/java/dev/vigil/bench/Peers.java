package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the harness says about peers it cannot run, and the ratios it computes against them. */
final class Peers {
  static final String JOBRUNR = "jobrunr";
  static final String DB_SCHEDULER = "db-scheduler";

  private Peers() {}

  /**
   * db-scheduler as found on the class path (15.6.0) ships JDBC customisations for PostgreSQL,
   * MySQL, MariaDB, Oracle and SQL Server, and is tested on those plus H2 and HSQLDB. SQLite
   * support ({@code SqliteJdbcCustomization}, which needs its {@code FETCH} polling strategy and
   * UTC timestamps) came in a later release; this checks for that class rather than assuming, so an
   * upgrade shows up here. Either way the harness does not run db-scheduler on the embedded store
   * yet: it is measured on PostgreSQL with issue 5.
   */
  static Map<String, Object> dbSchedulerUnavailable() {
    var m = new LinkedHashMap<String, Object>();
    m.put("available", false);
    m.put("version", dbSchedulerVersion());
    boolean sqlite = onClassPath("com.github.kagkarlsson.scheduler.jdbc.SqliteJdbcCustomization");
    m.put("sqlite_support", sqlite);
    m.put(
        "note",
        "needs PostgreSQL; measured in issue 5"
            + (sqlite
                ? " (this version has SqliteJdbcCustomization, but the harness does not run it yet)"
                : " (this version has no SQLite support: no SqliteJdbcCustomization, and SQLite is"
                    + " not among its tested databases)"));
    return m;
  }

  /** JobRunr's version, from its jar's manifest. */
  static String jobRunrVersion() {
    String v = org.jobrunr.configuration.JobRunr.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  static String dbSchedulerVersion() {
    try (var in =
        com.github.kagkarlsson.scheduler.Scheduler.class.getResourceAsStream(
            "/META-INF/maven/com.github.kagkarlsson/db-scheduler/pom.properties")) {
      if (in != null) {
        var props = new java.util.Properties();
        props.load(in);
        return props.getProperty("version", "unknown");
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    return "unknown";
  }

  private static boolean onClassPath(String className) {
    try {
      Class.forName(className, false, Peers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** JobRunr in the PostgreSQL run: not run (the issue asks for db-scheduler there). */
  static Map<String, Object> notOnPostgres() {
    return Map.of(
        "available", false, "note", "not run on PostgreSQL: issue 5 compares db-scheduler there");
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
