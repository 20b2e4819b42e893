package dev.vigil.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil bench}: the end-to-end benchmark harness of issue 4, and {@code ./vigil bench jmh
 * [JMH args]}, which runs the JMH micro-benchmarks of this module, and {@code ./vigil bench
 * footprint}, which measures what a backlog of small jobs takes ({@link Footprint}).
 *
 * <pre>
 * ./vigil bench                         # every scenario at full size, with peers (about 12 min)
 * ./vigil bench --quick                 # every scenario, small (under 90 s)
 * ./vigil bench --scenario throughput   # one scenario
 * ./vigil bench jmh LaneSchedulerBench  # JMH, with JMH's own options
 * ./vigil bench footprint               # disk and memory of 1,000,000 small jobs (Footprint)
 * ./vigil bench --scenario throughput --no-peers --metrics on   # the cost of metrics: run on and off
 * ./vigil bench --store postgres        # throughput on PostgreSQL: 1 and 3 nodes, db-scheduler
 * ./vigil bench --scenario overload     # twice the capacity over HTTP for 60 s (issue 13)
 * </pre>
 *
 * Prints progress on standard error and a table on standard output, and writes the JSON document to
 * {@code bench-results/<scenario>-<timestamp>.json} and {@code bench-results/latest.json}. Exit
 * status: 0 done, 1 a scenario failed, 2 bad usage or a scenario not available on the store.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Runs Vigil's end-to-end benchmarks, with JobRunr and db-scheduler side by side.",
    footer = {
      "",
      "Scenarios: throughput, isolation, http, scale, overload (default: all).",
      "Micro-benchmarks: ./vigil bench jmh [JMH options] [benchmark regexp], e.g.",
      "  ./vigil bench jmh -l        list them",
      "  ./vigil bench jmh LaneSchedulerBench -f 1 -wi 3 -i 5"
    })
public final class BenchMain implements Callable<Integer> {
  static final List<String> SCENARIOS =
      List.of("throughput", "isolation", "http", "scale", "overload");

  @Option(
      names = "--quick",
      description =
          "Run every scenario small (under 90 s in total); the numbers only show that it works.")
  boolean quick;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "Run one scenario: ${COMPLETION-CANDIDATES}.",
      completionCandidates = ScenarioNames.class)
  String scenario;

  @Option(
      names = "--store",
      paramLabel = "sqlite|postgres",
      defaultValue = "sqlite",
      description = "The store Vigil runs on (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(
      names = "--postgres-url",
      paramLabel = "JDBC_URL",
      description =
          "With --store postgres: the server to run on (default: env VIGIL_BENCH_POSTGRES_URL, else"
              + " a private PostgreSQL 15+ started and deleted by the harness).")
  String postgresUrl;

  @Option(
      names = "--postgres-user",
      paramLabel = "USER",
      description = "With --postgres-url (default: env VIGIL_BENCH_POSTGRES_USER).")
  String postgresUser;

  @Option(
      names = "--postgres-password",
      paramLabel = "PASSWORD",
      description = "With --postgres-url (default: env VIGIL_BENCH_POSTGRES_PASSWORD).")
  String postgresPassword;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "bench-results",
      description = "Where the JSON goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker slots of every engine (default: 16), to see what bounds throughput.")
  Integer workers;

  @Option(
      names = "--overload-seconds",
      paramLabel = "S",
      description = "How long the overload scenario offers load (default: 60; --quick: 6).")
  Integer overloadSeconds;

  @Option(
      names = "--overload-factor",
      paramLabel = "X",
      description =
          "The overload scenario's offered load as a multiple of the calibrated capacity"
              + " (default: 2).")
  Double overloadFactor;

  @Option(names = "--no-peers", description = "Run Vigil only, without JobRunr.")
  boolean noPeers;

  @Option(
      names = "--metrics",
      paramLabel = "on|off",
      defaultValue = "off",
      description =
          "Whether Vigil records its meters into a Prometheus registry, as vigil server does"
              + " (default: ${DEFAULT-VALUE}); run both to see what metrics cost.")
  String metrics;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The scenario names, for picocli's help and completion. */
  static final class ScenarioNames extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ScenarioNames() {
      super(SCENARIOS);
    }
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("footprint")) {
      Footprint.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    boolean postgres = store.equals("postgres");
    if (postgres && scenario != null && !scenario.equals("throughput")) {
      err.println("not available yet: on PostgreSQL the harness runs the throughput scenario only");
      err.flush();
      return 2;
    }
    if (!postgres && !store.equals("sqlite")) {
      err.println("unknown store '" + store + "': sqlite or postgres");
      err.flush();
      return 2;
    }
    if (!metrics.equals("on") && !metrics.equals("off")) {
      err.println("--metrics takes on or off, not '" + metrics + "'");
      err.flush();
      return 2;
    }
    System.setProperty("vigil.bench.metrics", metrics);
    if (scenario != null && !SCENARIOS.contains(scenario)) {
      err.println("unknown scenario '" + scenario + "': one of " + String.join(", ", SCENARIOS));
      err.flush();
      return 2;
    }
    quietLogging();
    Sizes sizes = quick ? Sizes.QUICK : Sizes.FULL;
    if (workers != null) {
      sizes = sizes.withWorkers(workers);
    }
    if ((overloadSeconds != null && overloadSeconds < 1)
        || (overloadFactor != null && !(overloadFactor > 0 && overloadFactor <= 20))) {
      err.println("--overload-seconds takes a whole number of seconds from 1, --overload-factor a"
          + " multiple above 0 and at most 20");
      err.flush();
      return 2;
    }
    if (overloadSeconds != null) {
      sizes = sizes.withOverload(sizes.overload().withWindow(Duration.ofSeconds(overloadSeconds)));
    }
    if (overloadFactor != null) {
      sizes = sizes.withOverload(sizes.overload().withFactor(overloadFactor));
    }
    Report report = new Report(quick, store);
    Path work = Files.createTempDirectory("vigil-bench-");
    boolean failed = false;
    PostgresTarget pg = null;
    try (Progress progress = new Progress(System.err, System.console() != null)) {
      progress.say(
          "vigil bench"
              + (quick ? " --quick" : "")
              + ": commit "
              + report.commitId()
              + ", "
              + report.machine().get("cores")
              + " cores, "
              + report.machine().get("memory_gb")
              + " GB, "
              + report.machine().get("jdk")
              + ", load average "
              + report.machine().get("load_average_start")
              + ", CPU pressure "
              + report.machine().get("cpu_pressure_pct_start")
              + " %");
      var ctx = new BenchContext(sizes, progress, work);
      if (postgres) {
        pg =
            PostgresTarget.open(
                orEnv(postgresUrl, "VIGIL_BENCH_POSTGRES_URL"),
                orEnv(postgresUser, "VIGIL_BENCH_POSTGRES_USER"),
                orEnv(postgresPassword, "VIGIL_BENCH_POSTGRES_PASSWORD"));
        progress.say("on " + pg.describe());
      }
      List<Scenario> run =
          postgres ? List.of(new PostgresThroughputScenario(pg, !noPeers)) : scenarios();
      for (Scenario s : run) {
        progress.say("== " + s.name());
        long t0 = System.nanoTime();
        try {
          var result = new java.util.LinkedHashMap<String, Object>(s.run(ctx));
          result.put("seconds", Figures.round1((System.nanoTime() - t0) / 1e9));
          report.add(s.name(), result);
        } catch (Exception | Error e) {
          failed = true;
          progress.say("   " + s.name() + " failed: " + e);
          e.printStackTrace();
          report.add(
              s.name(),
              java.util.Map.of(
                  "error",
                  String.valueOf(e),
                  "vigil",
                  java.util.Map.of(),
                  "peers",
                  java.util.Map.of()));
        } finally {
          progress.idle();
        }
      }
    } finally {
      if (pg != null) {
        pg.close();
      }
      deleteTree(work);
    }
    System.out.println();
    ResultTable.print(report.scenarios(), System.out);
    String name = postgres ? "postgres-throughput" : scenario == null ? "all" : scenario;
    Path file = report.write(out, name);
    System.out.println();
    System.out.println("JSON: " + file + " (and " + out.resolve("latest.json") + ")");
    return failed ? 1 : 0;
  }

  private List<Scenario> scenarios() {
    boolean peers = !noPeers;
    List<Scenario> all =
        List.of(
            new ThroughputScenario(peers),
            new IsolationScenario(peers),
            new HttpScenario(),
            new ScaleScenario(),
            new OverloadScenario());
    return scenario == null ? all : all.stream().filter(s -> s.name().equals(scenario)).toList();
  }

  private static String orEnv(String value, String env) {
    return value != null ? value : System.getenv(env);
  }

  /** Engines log at INFO; the harness shows warnings only, unless a configuration is given. */
  private static void quietLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "vigil-bench-logback.xml");
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the OS cleans it eventually
    }
  }
}
