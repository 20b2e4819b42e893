package dev.vigil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run's JSON document ({@code {"commit","machine","scenarios",…}}) and where it goes: {@code
 * <out>/<scenario>-<timestamp>.json} and {@code <out>/latest.json}.
 */
final class Report {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Map<String, Object> scenarios = new LinkedHashMap<>();
  private final Instant started = Instant.now();

  Report(boolean quick, String store) {
    root.put("commit", commit());
    root.put("dirty", dirty());
    root.put("started_at", started.toString());
    root.put("quick", quick);
    root.put("store", store);
    root.put("machine", machine());
    root.put("scenarios", scenarios);
  }

  String commitId() {
    return (String) root.get("commit");
  }

  void add(String scenario, Map<String, Object> result) {
    scenarios.put(scenario, result);
  }

  Map<String, Object> scenarios() {
    return scenarios;
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> machine() {
    return (Map<String, Object>) root.computeIfAbsent("machine", k -> machineInfo());
  }

  /** Writes the document; returns the timestamped file. */
  Path write(Path dir, String scenario) throws IOException {
    machine().put("load_average_end", CpuClock.loadAverage());
    machine().put("cpu_pressure_pct_end", CpuClock.cpuPressure());
    root.put(
        "seconds", Figures.round1((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1e3));
    Files.createDirectories(dir);
    byte[] bytes = JSON.writeValueAsBytes(root);
    Path file = dir.resolve(scenario + "-" + STAMP.format(started) + ".json");
    Files.write(file, bytes);
    Files.write(dir.resolve("latest.json"), bytes);
    return file;
  }

  /** One line of the headline figures, for progress output. */
  static String summary(Map<String, Object> f) {
    var sb = new StringBuilder();
    for (String k :
        List.of(
            "jobs_per_s",
            "enqueue_jobs_per_s",
            "p50_ms",
            "p99_ms",
            "p999_ms",
            "max_ms",
            "cpu_us_per_job")) {
      if (f.containsKey(k)) {
        sb.append(k).append('=').append(f.get(k)).append("  ");
      }
    }
    if (f.containsKey("timed_out")) {
      sb.append("TIMED OUT  ");
    }
    return sb.toString().trim();
  }

  private static Map<String, Object> machineInfo() {
    var m = new LinkedHashMap<String, Object>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    long bytes = 0;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      bytes = os.getTotalMemorySize();
    }
    m.put("memory_gb", Figures.round1(bytes / (1024.0 * 1024 * 1024)));
    m.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    m.put("max_heap_gb", Figures.round1(Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024)));
    m.put("load_average_start", CpuClock.loadAverage());
    m.put("cpu_pressure_pct_start", CpuClock.cpuPressure());
    return m;
  }

  /**
   * The commit measured: {@code VIGIL_BENCH_COMMIT} when set (a build from an export), else git's
   * HEAD.
   */
  private static String commit() {
    String given = System.getenv("VIGIL_BENCH_COMMIT");
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    String out = git("rev-parse", "--short=12", "HEAD");
    return out == null || out.isBlank() ? "unknown" : out.trim();
  }

  private static boolean dirty() {
    if (System.getenv("VIGIL_BENCH_COMMIT") != null) {
      return false;
    }
    String out = git("status", "--porcelain", "--untracked-files=no");
    return out != null && !out.isBlank();
  }

  /**
   * The work tree this harness was built in ({@code <repo>/vigil-bench/target/classes}), if it is
   * one.
   */
  private static Path repository() {
    try {
      Path classes =
          Path.of(Report.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repo = classes.getParent() == null ? null : classes.getParent().getParent();
      repo = repo == null ? null : repo.getParent();
      return repo != null && Files.isDirectory(repo.resolve(".git")) ? repo : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  private static String git(String... args) {
    try {
      var cmd = new java.util.ArrayList<String>();
      cmd.add("git");
      Path repo = repository();
      if (repo != null) {
        cmd.add("-C");
        cmd.add(repo.toString());
      }
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
