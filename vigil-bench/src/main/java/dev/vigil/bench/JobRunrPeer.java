package dev.vigil.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * JobRunr 8.1.0 (open-source edition) as a peer, on its own SQL storage for SQLite ({@code
 * SqLiteStorageProvider}) in a fresh file, with the same durability settings as Vigil's store (WAL
 * journal, {@code synchronous=FULL}, 5 s busy timeout), a HikariCP pool of one connection, the same
 * number of workers as Vigil, and the shortest poll interval JobRunr accepts, so that nothing in
 * the set-up holds it back.
 *
 * <p>Why one connection: SQLite has one writer per file anyway, and with HikariCP's default pool of
 * ten JobRunr's worker threads fail with {@code SQLITE_BUSY} ("database is locked") when a read
 * transaction is upgraded to a write while another connection writes (218 failures in a 2,000-job
 * run) and process half as many jobs per second as with one connection. Set {@code
 * -Dvigil.bench.jobrunr.pool=N} to try another size.
 *
 * <p>JobRunr keeps its configuration in static state, so only one peer may run at a time; {@link
 * #close()} tears it down with {@link JobRunr#destroy()}.
 */
final class JobRunrPeer implements AutoCloseable {
  /** JobRunr refuses poll intervals below this (checked by its configuration). */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

  /** Connections in JobRunr's pool (see the class note). */
  static final int POOL_SIZE = Integer.getInteger("vigil.bench.jobrunr.pool", 1);

  static final String STORAGE = "SqLiteStorageProvider (SQL storage on SQLite)";

  private final HikariDataSource dataSource;
  private final StorageProvider storage;
  private final JobRequestScheduler scheduler;

  private JobRunrPeer(
      HikariDataSource dataSource, StorageProvider storage, JobRequestScheduler scheduler) {
    this.dataSource = dataSource;
    this.storage = storage;
    this.scheduler = scheduler;
  }

  /**
   * Starts JobRunr with a background job server of {@code workers} workers on a new SQLite file in
   * {@code dir}.
   *
   * @param handlers the handler instance JobRunr gets for each handler class
   */
  static JobRunrPeer start(Path dir, int workers, Map<Class<?>, Object> handlers) {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    sqlite.setBusyTimeout(5_000);
    SQLiteDataSource file = new SQLiteDataSource(sqlite);
    file.setUrl("jdbc:sqlite:" + dir.resolve("jobrunr.db").toAbsolutePath());
    HikariConfig pool = new HikariConfig();
    pool.setPoolName("jobrunr-sqlite");
    pool.setDataSource(file);
    pool.setMaximumPoolSize(POOL_SIZE);
    HikariDataSource dataSource = new HikariDataSource(pool);
    StorageProvider storage = new SqLiteStorageProvider(dataSource);
    JobActivator activator =
        new JobActivator() {
          @Override
          public <T> T activateJob(Class<T> type) {
            return type.cast(handlers.get(type));
          }
        };
    var result =
        JobRunr.configure()
            .useJobActivator(activator)
            .useStorageProvider(storage)
            .useBackgroundJobServer(
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                    .andWorkerCount(workers)
                    .andPollInterval(POLL_INTERVAL)
                    .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(Duration.ofMillis(100)))
            .initialize();
    return new JobRunrPeer(dataSource, storage, result.getJobRequestScheduler());
  }

  JobRequestScheduler scheduler() {
    return scheduler;
  }

  long succeeded() {
    return storage.countJobs(StateName.SUCCEEDED);
  }

  /**
   * Stops JobRunr. Jobs still running are interrupted, and JobRunr logs an error for each one it
   * then cannot mark succeeded; those are expected here, so its logging is silenced meanwhile.
   */
  @Override
  public void close() {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.jobrunr");
    var level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.OFF);
    try {
      JobRunr.destroy();
      // Interrupted jobs still record their end; let them, before the pool goes away.
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dataSource.close();
      logger.setLevel(level);
    }
  }
}
