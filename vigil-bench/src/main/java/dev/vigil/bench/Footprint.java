package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.store.SqliteJobStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil bench footprint}: the disk and memory that a backlog of small jobs takes on the
 * embedded store, for docs/capacity.md. It enqueues {@code --jobs} jobs (a 40-byte JSON payload,
 * spread over the four default lanes) through an engine on a fresh SQLite file, with no handler, so
 * they stay {@code ready}; measures the file, the JVM's live heap after a full GC and the process's
 * resident memory; then (unless {@code --no-run}) reopens the file with a no-op handler, runs every
 * job to {@code succeeded} and measures again: the history a node keeps until retention removes it.
 *
 * <pre>
 * ./vigil bench footprint                    # 1,000,000 jobs (a few minutes)
 * ./vigil bench footprint --jobs 100000 --no-run
 * VIGIL_JAVA_OPTS=-Xmx512m ./vigil bench footprint   # the same with a smaller heap
 * </pre>
 */
@Command(
    name = "footprint",
    mixinStandardHelpOptions = true,
    description = "Measures the SQLite file and the memory of a backlog of small jobs, then of their history.")
final class Footprint implements Callable<Integer> {
  private static final List<String> LANES = List.of("cognition", "social", "sensory", "background");

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "1000000", description = "Jobs to enqueue (default ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "1000", description = "Jobs per enqueue call (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--no-run", description = "Measure the backlog only; do not run the jobs.")
  boolean noRun;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where to create the store (default: a new temporary directory, deleted after).")
  Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Footprint()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    boolean temporary = dir == null;
    Path where = temporary ? Files.createTempDirectory("vigil-footprint-") : Files.createDirectories(dir);
    Path file = where.resolve("vigil.db");
    var out = new LinkedHashMap<String, Object>();
    try {
      Map<String, Object> empty = memory();
      out.put("before", empty);
      long t0 = System.nanoTime();
      try (Vigil vigil = Vigil.builder().store(SqliteJobStore.open(file)).lanes(VigilEngines.unshed()).start()) {
        for (int done = 0; done < jobs; done += batch) {
          var requests = new ArrayList<JobRequest>(batch);
          for (int i = done; i < Math.min(jobs, done + batch); i++) {
            requests.add(
                JobRequest.builder("summarise")
                    .lane(LANES.get(i % LANES.size()))
                    .payloadJson("{\"user\":\"u-%08d\",\"message\":%d}".formatted(i % 100_000, i))
                    .build());
          }
          vigil.enqueueAll(requests);
        }
        var ready = new LinkedHashMap<String, Object>();
        ready.put("enqueue_s", round((System.nanoTime() - t0) / 1e9));
        ready.put("ready", vigil.counts().get(JobState.READY));
        ready.putAll(memory());
        ready.putAll(files(file));
        out.put("ready_backlog_open", ready);
      }
      out.put("ready_backlog_closed", files(file));
      if (!noRun) {
        long t1 = System.nanoTime();
        try (Vigil vigil = Vigil.builder().store(SqliteJobStore.open(file)).handler("summarise", ctx -> {}).start()) {
          while (vigil.counts().get(JobState.SUCCEEDED) < jobs) {
            Thread.sleep(Duration.ofMillis(500));
          }
          var done = new LinkedHashMap<String, Object>();
          done.put("run_s", round((System.nanoTime() - t1) / 1e9));
          done.put("succeeded", vigil.counts().get(JobState.SUCCEEDED));
          done.putAll(memory());
          done.putAll(files(file));
          out.put("succeeded_open", done);
        }
        out.put("succeeded_closed", files(file));
      }
    } finally {
      if (temporary) {
        try (Stream<Path> paths = Files.walk(where)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    out.put("jobs", jobs);
    out.put("jdk", System.getProperty("java.version"));
    out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    out.forEach((k, v) -> System.out.println(k + ": " + v));
    return 0;
  }

  /** The live heap after a full GC, and the process's resident set (Linux), in MB. */
  private static Map<String, Object> memory() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("heap_used_mb", round(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0));
    m.put("rss_mb", residentMb());
    return m;
  }

  private static Object residentMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return null;
  }

  /** The database file and its WAL, in MB. */
  private static Map<String, Object> files(Path db) throws IOException {
    var m = new LinkedHashMap<String, Object>();
    m.put("db_mb", size(db));
    m.put("wal_mb", size(db.resolveSibling(db.getFileName() + "-wal")));
    return m;
  }

  private static double size(Path p) throws IOException {
    return Files.exists(p) ? round(Files.size(p) / 1048576.0) : 0;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
