package dev.vigil.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.store.PostgresJobStore;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Issue 5: the throughput scenario on PostgreSQL. The same no-op jobs, producers, batches and
 * workers per node as the SQLite run, for Vigil on 1 node and on 3 nodes (three engines in this
 * JVM, each with its own {@link PostgresJobStore} pool, sharing one schema), then db-scheduler
 * with one-time tasks on the same server. Reports processed jobs/s and enqueue-to-start latency,
 * and the ratios Vigil 1 node : db-scheduler and Vigil 3 nodes : 1 node.
 *
 * <pre>./vigil bench --store postgres --scenario throughput</pre>
 */
final class PostgresThroughputScenario implements Scenario {
  /** db-scheduler's polling interval: its lock-and-fetch strategy re-polls at once when busy. */
  static final Duration DB_SCHEDULER_POLL = Duration.ofMillis(10);

  private final PostgresTarget pg;
  private final boolean peers;

  PostgresThroughputScenario(PostgresTarget pg, boolean peers) {
    this.pg = pg;
    this.peers = peers;
  }

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public Map<String, Object> run(BenchContext ctx) throws Exception {
    Sizes s = ctx.sizes();
    var out = new LinkedHashMap<String, Object>();
    int warmUp = s.quick() ? 0 : s.throughputJobs() / 10;
    out.put(
        "params",
        Map.of(
            "jobs", s.throughputJobs(),
            "producers", s.producers(),
            "batch", s.batch(),
            "workers", s.workers(),
            "warm_up_jobs", warmUp,
            "postgres", pg.describe()));
    if (warmUp > 0) {
      vigil(ctx, "throughput/vigil warm-up", warmUp, 1);
    }
    Map<String, Object> one = vigil(ctx, "throughput/vigil 1 node", s.throughputJobs(), 1);
    ctx.progress().say("  vigil 1 node   " + Report.summary(one));
    Map<String, Object> three = vigil(ctx, "throughput/vigil 3 nodes", s.throughputJobs(), 3);
    ctx.progress().say("  vigil 3 nodes  " + Report.summary(three));
    out.put("vigil", one);
    out.put("vigil_3_nodes", three);
    var peerFigures = new LinkedHashMap<String, Object>();
    var ratios = new LinkedHashMap<String, Object>();
    peerFigures.put(Peers.JOBRUNR, Peers.notOnPostgres());
    if (peers) {
      if (warmUp > 0) {
        dbScheduler(ctx, "throughput/db-scheduler warm-up", warmUp);
      }
      Map<String, Object> dbs = dbScheduler(ctx, "throughput/db-scheduler", s.throughputJobs());
      peerFigures.put(Peers.DB_SCHEDULER, dbs);
      ratios.put(
          Peers.DB_SCHEDULER,
          Peers.ratios(one, dbs, "jobs_per_s", "enqueue_jobs_per_s", "p50_ms", "p99_ms"));
      ctx.progress().say("  db-scheduler   " + Report.summary(dbs));
    } else {
      peerFigures.put(Peers.DB_SCHEDULER, Peers.skipped());
    }
    ratios.put(
        "vigil_3_nodes_to_1_node",
        Peers.ratios(three, one, "jobs_per_s", "enqueue_jobs_per_s", "p50_ms", "p99_ms"));
    out.put("peers", peerFigures);
    out.put("ratios", ratios);
    return out;
  }

  private Map<String, Object> vigil(BenchContext ctx, String label, int jobs, int nodes)
      throws Exception {
    Sizes s = ctx.sizes();
    var submitted = new ConcurrentHashMap<String, Long>(jobs * 2);
    var started = new ConcurrentHashMap<String, Long>(jobs * 2);
    var handled = new LongAdder();
    var producers = new Producers();
    String schema = pg.newSchema("vigil" + nodes + (label.contains("warm-up") ? "w" : ""));
    List<Vigil> engines = new ArrayList<>();
    try {
      for (int n = 0; n < nodes; n++) {
        PostgresJobStore.Builder b = pg.store(schema);
        if (VigilEngines.metricsOn()) {
          b.meterRegistry(VigilEngines.METRICS);
        }
        engines.add(
            VigilEngines.builder(b.build(), s.workers())
                .handler(
                    "noop",
                    job -> {
                      started.put(job.jobId(), System.nanoTime());
                      handled.increment();
                    })
                .start());
      }
      Vigil first = engines.get(0);
      ctx.progress().status(label, producers.progress(handled::sum, jobs));
      var threadCpu = new ThreadCpu();
      long cpu0 = CpuClock.processCpuNanos();
      producers.run(
          s.producers(),
          jobs,
          s.batch(),
          (p, firstJob, n) -> {
            List<JobRequest> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              batch.add(JobRequest.builder("noop").build());
            }
            long t = System.nanoTime();
            for (Job job : engines.get(p % engines.size()).enqueueAll(batch)) {
              submitted.put(job.id(), t);
            }
          },
          threadCpu);
      long drainFrom = System.nanoTime();
      long startedBeforeDrain = handled.sum();
      boolean done = Waits.drained(s, jobs, handled::sum, () -> VigilEngines.succeeded(first));
      long end = System.nanoTime();
      long cpu = CpuClock.processCpuNanos() - cpu0;
      ctx.progress().idle();
      long processed = VigilEngines.succeeded(first);
      Map<String, Object> m =
          new ThroughputResult(
                  jobs,
                  processed,
                  producers.elapsedNanos(),
                  end - producers.startNanos(),
                  join(submitted, started),
                  cpu,
                  !done,
                  end - drainFrom,
                  processed - startedBeforeDrain,
                  null,
                  threadCpu.perJob(Math.max(1, processed)),
                  null)
              .figures();
      m.put("nodes", nodes);
      m.put("lane", "background (the default lane)");
      m.put(
          "store",
          "PostgresJobStore defaults (pool 10, per node), schema "
              + schema
              + "; "
              + nodes
              + " engine(s) in this JVM, "
              + s.workers()
              + " workers each; producers enqueue round-robin across nodes");
      return m;
    } finally {
      for (Vigil v : engines) {
        v.close();
      }
    }
  }

  private Map<String, Object> dbScheduler(BenchContext ctx, String label, int jobs)
      throws Exception {
    Sizes s = ctx.sizes();
    String schema = pg.newSchema("dbs" + (label.contains("warm-up") ? "w" : ""));
    String table = schema + ".scheduled_tasks";
    // db-scheduler's documented PostgreSQL DDL (postgresql_tables.sql), in a schema of its own
    pg.execute(
        "CREATE SCHEMA " + schema,
        "create table "
            + table
            + " (task_name text not null, task_instance text not null, task_data bytea,"
            + " execution_time timestamp with time zone not null, picked BOOLEAN not null,"
            + " picked_by text, last_success timestamp with time zone,"
            + " last_failure timestamp with time zone, consecutive_failures INT,"
            + " last_heartbeat timestamp with time zone, version BIGINT not null,"
            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))",
        "CREATE INDEX execution_time_idx ON " + table + " (execution_time)",
        "CREATE INDEX last_heartbeat_idx ON " + table + " (last_heartbeat)",
        "CREATE INDEX priority_execution_time_idx on "
            + table
            + " (priority desc, execution_time asc)");
    var submitted = new ConcurrentHashMap<String, Long>(jobs * 2);
    var started = new ConcurrentHashMap<String, Long>(jobs * 2);
    var handled = new LongAdder();
    OneTimeTask<Void> task =
        Tasks.oneTime("noop")
            .execute(
                (inst, c) -> {
                  started.put(inst.getId(), System.nanoTime());
                  handled.increment();
                });
    var hc = new HikariConfig();
    hc.setJdbcUrl(pg.url());
    hc.setUsername(pg.user());
    hc.setPassword(pg.password());
    hc.setMaximumPoolSize(10);
    hc.setPoolName("db-scheduler-bench");
    var producers = new Producers();
    try (var ds = new HikariDataSource(hc)) {
      Scheduler scheduler =
          Scheduler.create(ds, task)
              .tableName(table)
              .threads(s.workers())
              .pollingInterval(DB_SCHEDULER_POLL)
              .pollUsingLockAndFetch(0.5, 1.0)
              .enableImmediateExecution()
              .build();
      scheduler.start();
      try {
        ctx.progress().status(label, producers.progress(handled::sum, jobs));
        var threadCpu = new ThreadCpu();
        long cpu0 = CpuClock.processCpuNanos();
        producers.run(
            s.producers(),
            jobs,
            s.batch(),
            (p, firstJob, n) -> {
              for (int i = 0; i < n; i++) {
                String id = Long.toString(firstJob + i);
                long t = System.nanoTime();
                scheduler.schedule(task.instance(id), Instant.now());
                submitted.put(id, t);
              }
            },
            threadCpu);
        long drainFrom = System.nanoTime();
        long startedBeforeDrain = handled.sum();
        boolean done = Waits.drained(s, jobs, handled::sum, () -> jobs - remaining(ds, table));
        long end = System.nanoTime();
        long cpu = CpuClock.processCpuNanos() - cpu0;
        ctx.progress().idle();
        long processed = jobs - remaining(ds, table);
        Map<String, Object> m =
            new ThroughputResult(
                    jobs,
                    processed,
                    producers.elapsedNanos(),
                    end - producers.startNanos(),
                    join(submitted, started),
                    cpu,
                    !done,
                    end - drainFrom,
                    processed - startedBeforeDrain,
                    null,
                    threadCpu.perJob(Math.max(1, processed)),
                    null)
                .figures();
        m.put("version", Peers.dbSchedulerVersion());
        m.put("storage", "PostgreSQL, same server, table " + table + " (its documented DDL)");
        m.put(
            "note",
            "one-time tasks scheduled one per call (schedule(instance, now)), "
                + s.workers()
                + " threads, HikariCP pool 10; polling strategy lock-and-fetch"
                + " (pollUsingLockAndFetch(0.5, 1.0), SELECT … FOR UPDATE SKIP LOCKED), polling"
                + " interval "
                + DB_SCHEDULER_POLL.toMillis()
                + " ms, immediate execution enabled; processed = rows deleted on completion");
        return m;
      } finally {
        scheduler.stop();
      }
    }
  }

  private static long remaining(javax.sql.DataSource ds, String table) {
    try (Connection c = ds.getConnection();
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return Long.MAX_VALUE;
    }
  }

  private static Histogram join(Map<String, Long> submitted, Map<String, Long> started) {
    Histogram h = Figures.latencyHistogram();
    started.forEach(
        (id, t) -> {
          Long s = submitted.get(id);
          if (s != null) {
            Figures.recordNanos(h, t - s);
          }
        });
    return h;
  }
}
