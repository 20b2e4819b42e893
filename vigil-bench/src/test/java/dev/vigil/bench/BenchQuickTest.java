package dev.vigil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code ./vigil bench --quick} in-process, through the picocli command, and checks the shape
 * of the JSON it writes: every scenario, the machine, the figures by name, the peers. The numbers
 * are not checked; quick runs are too small to mean anything.
 */
class BenchQuickTest {
  @TempDir static Path out;
  static int exitCode;
  static JsonNode latest;
  static Path timestamped;

  @BeforeAll
  static void runQuick() throws Exception {
    exitCode = new CommandLine(new BenchMain()).execute("--quick", "--out", out.toString());
    latest = new ObjectMapper().readTree(out.resolve("latest.json").toFile());
    try (var files = Files.list(out)) {
      timestamped =
          files
              .filter(p -> p.getFileName().toString().matches("all-\\d{8}T\\d{6}Z\\.json"))
              .findFirst()
              .orElse(null);
    }
  }

  @Test
  void quick_run_succeeds_and_writes_latest_and_a_timestamped_file() throws Exception {
    assertThat(exitCode).isZero();
    assertThat(timestamped).isNotNull();
    assertThat(new ObjectMapper().readTree(timestamped.toFile())).isEqualTo(latest);
  }

  @Test
  void json_names_the_commit_and_the_machine() {
    assertThat(latest.path("commit").isTextual()).isTrue();
    assertThat(latest.path("quick").asBoolean()).isTrue();
    JsonNode machine = latest.path("machine");
    assertThat(machine.path("cores").isInt()).isTrue();
    assertThat(machine.path("memory_gb").isNumber()).isTrue();
    assertThat(machine.path("jdk").asText()).isNotBlank();
  }

  @Test
  void every_scenario_has_vigil_figures_and_peers() {
    JsonNode scenarios = latest.path("scenarios");
    assertThat(fieldNames(scenarios))
        .containsExactly("throughput", "isolation", "http", "scale", "overload");
    scenarios.forEach(
        s -> {
          assertThat(s.has("error")).as(s.path("error").asText()).isFalse();
          assertThat(s.path("vigil").isObject()).isTrue();
          assertThat(s.path("peers").isObject()).isTrue();
        });
  }

  @Test
  void throughput_reports_rates_latencies_and_cpu_for_vigil_and_jobrunr() {
    JsonNode t = latest.path("scenarios").path("throughput");
    for (JsonNode engine : List.of(t.path("vigil"), t.path("peers").path("jobrunr"))) {
      assertThat(fieldNames(engine))
          .contains(
              "jobs_per_s",
              "enqueue_jobs_per_s",
              "p50_ms",
              "p99_ms",
              "p999_ms",
              "max_ms",
              "cpu_us_per_job");
    }
    JsonNode vigil = t.path("vigil");
    assertThat(vigil.path("processed").asLong()).as("Vigil runs every job").isEqualTo(vigil.path("jobs").asLong());
    JsonNode jobrunr = t.path("peers").path("jobrunr");
    // the peer is given a deadline, not judged: on a busy machine it may not finish, and says so
    if (!jobrunr.path("timed_out").asBoolean(false)) {
      assertThat(jobrunr.path("processed").asLong()).isEqualTo(jobrunr.path("jobs").asLong());
    }
    assertThat(t.path("peers").path("jobrunr").path("note").asText()).contains("one queue");
    assertThat(t.path("peers").path("db-scheduler").path("note").asText())
        .startsWith("needs PostgreSQL; measured in issue 5");
    assertThat(t.path("ratios").path("jobrunr").has("jobs_per_s")).isTrue();
  }

  @Test
  void isolation_reports_cognition_wait_for_vigil_and_jobrunr() {
    JsonNode i = latest.path("scenarios").path("isolation");
    for (JsonNode engine : List.of(i.path("vigil"), i.path("peers").path("jobrunr"))) {
      assertThat(fieldNames(engine))
          .contains("p50_ms", "p99_ms", "max_ms", "chat_jobs", "not_started");
    }
    assertThat(i.path("vigil").path("not_started").asLong()).isZero();
    assertThat(i.path("peers").path("db-scheduler").path("available").asBoolean()).isFalse();
  }

  @Test
  void isolation_reports_the_remote_variant_beside_the_in_process_one() {
    JsonNode r = latest.path("scenarios").path("isolation").path("vigil_remote");
    assertThat(fieldNames(r))
        .contains(
            "p50_ms",
            "p99_ms",
            "max_ms",
            "chat_jobs",
            "started",
            "not_started",
            "background_running_at_start",
            "background_completed_during_stream");
    assertThat(r.path("chat_jobs").asLong()).isPositive();
    assertThat(r.path("started").asLong()).isPositive();
    assertThat(r.path("not_started").asLong()).isZero();
    assertThat(r.path("errors").asLong()).isZero();
    assertThat(r.path("background_running_at_start").asLong()).isPositive();
    assertThat(r.path("background_completed_during_stream").asLong()).isPositive();
    assertThat(r.path("p50_ms").asDouble()).isPositive();
    assertThat(r.path("p50_ms").asDouble()).isLessThanOrEqualTo(r.path("p99_ms").asDouble());
    assertThat(r.path("p99_ms").asDouble()).isLessThanOrEqualTo(r.path("max_ms").asDouble());
  }

  @Test
  void http_reports_enqueue_and_remote_worker_cycle() {
    JsonNode h = latest.path("scenarios").path("http").path("vigil");
    assertThat(fieldNames(h.path("enqueue")))
        .contains("jobs_per_s", "p50_ms", "p99_ms", "p999_ms", "max_ms");
    assertThat(h.path("enqueue").path("errors").asLong()).isZero();
    assertThat(fieldNames(h.path("remote_workers"))).contains("jobs_per_s", "claim", "complete");
    assertThat(h.path("remote_workers").path("jobs").asLong())
        .isEqualTo(h.path("enqueue").path("jobs").asLong());
    assertThat(fieldNames(h.path("remote_workers").path("claim"))).contains("p50_ms", "p99_ms");
  }

  @Test
  void scale_reports_claim_latency_per_size_and_the_ratio() {
    JsonNode s = latest.path("scenarios").path("scale").path("vigil");
    assertThat(fieldNames(s)).contains("1e4", "1e5", "ratio_1e5_to_1e4");
    assertThat(fieldNames(s.path("1e5")))
        .contains("p50_ms", "p99_ms", "max_ms", "synchronous_normal");
  }

  @Test
  void overload_reports_requests_by_lane_and_reason_latency_and_goals() {
    JsonNode o = latest.path("scenarios").path("overload");
    JsonNode v = o.path("vigil");
    assertThat(fieldNames(v))
        .contains(
            "offered_per_s",
            "requests",
            "accepted",
            "refused",
            "lane_full",
            "rate_limited",
            "overloaded",
            "other_errors",
            "refused_without_retry_after",
            "p50_ms",
            "p95_ms",
            "p99_ms",
            "max_ms",
            "cognition_enqueue_to_start",
            "backlog_at_stop",
            "drain_s",
            "drained",
            "capacity",
            "by_lane");
    assertThat(v.path("capacity").path("jobs_per_s").asLong()).isPositive();
    assertThat(fieldNames(v.path("by_lane")))
        .containsExactly("cognition", "social", "sensory", "background");
    long requests = 0;
    for (JsonNode lane : v.path("by_lane")) {
      assertThat(fieldNames(lane))
          .contains("requests", "accepted", "lane_full", "rate_limited", "overloaded", "wait_p99_ms");
      requests += lane.path("requests").asLong();
    }
    assertThat(requests).isEqualTo(v.path("requests").asLong()).isPositive();
    assertThat(v.path("accepted").asLong() + v.path("refused").asLong() + v.path("other_errors").asLong())
        .isEqualTo(requests);
    assertThat(v.path("cognition_enqueue_to_start").path("p99_ms").isNumber()).isTrue();
    assertThat(o.path("params").path("config").asText()).contains("max_ready", "protected: true");
    assertThat(o.path("goals")).hasSize(5);
    o.path("goals")
        .forEach(g -> assertThat(fieldNames(g)).containsExactly("goal", "result", "met"));
  }

  @Test
  void overload_refuses_only_with_429_or_503_and_retry_after_and_never_sheds_cognition() {
    JsonNode v = latest.path("scenarios").path("overload").path("vigil");
    assertThat(v.path("refused").asLong()).as("twice the capacity is refused in part").isPositive();
    assertThat(v.path("other_errors").asLong()).as(v.path("other_errors_by_cause").toString()).isZero();
    assertThat(v.path("refused_without_retry_after").asLong()).isZero();
    assertThat(v.path("dropped_by_generator").asLong()).isZero();
    JsonNode cognition = v.path("by_lane").path("cognition");
    assertThat(cognition.path("accepted").asLong()).isPositive();
    // the protected lane without max_ready is never refused by admission (HTTP rate limits
    // apply to every route alike, whatever the lane)
    assertThat(cognition.path("lane_full").asLong()).isZero();
    assertThat(cognition.path("overloaded").asLong()).isZero();
  }

  @Test
  void overload_refusals_match_the_servers_own_counts() {
    JsonNode v = latest.path("scenarios").path("overload").path("vigil");
    long laneFull = 0;
    long shedOrOverloaded = 0;
    for (JsonNode lane : v.path("server_rejections")) {
      laneFull += lane.path("lane_full").asLong();
      shedOrOverloaded += lane.path("shed").asLong() + lane.path("overloaded").asLong();
    }
    assertThat(laneFull).isEqualTo(v.path("lane_full").asLong());
    assertThat(shedOrOverloaded).isEqualTo(v.path("overloaded").asLong());
  }

  @Test
  void overload_runs_every_accepted_job_and_drains_the_backlog() {
    JsonNode v = latest.path("scenarios").path("overload").path("vigil");
    assertThat(v.path("drained").asBoolean()).as(v.path("not_succeeded").toString()).isTrue();
    assertThat(v.path("succeeded").asLong()).isEqualTo(v.path("accepted").asLong());
    assertThat(v.path("not_succeeded").size()).isZero();
    assertThat(v.path("drain_s").asDouble()).isNotNegative();
    v.path("by_lane")
        .forEach(
            lane ->
                assertThat(lane.path("wait_samples").asLong())
                    .as("every accepted job's wait, those that started after the load included")
                    .isEqualTo(lane.path("accepted").asLong()));
  }

  @Test
  void postgres_refuses_scenarios_other_than_throughput_with_status_2() {
    var err = new StringWriter();
    int code =
        new CommandLine(new BenchMain())
            .setErr(new PrintWriter(err))
            .execute("--store", "postgres", "--scenario", "isolation");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("on PostgreSQL the harness runs the throughput scenario only");
  }

  private static List<String> fieldNames(JsonNode node) {
    var names = new java.util.ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
