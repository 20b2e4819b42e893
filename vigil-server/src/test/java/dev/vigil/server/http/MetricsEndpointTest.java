package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Vigil;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on a live server: what Prometheus and an operator read. */
class MetricsEndpointTest extends ServerTestSupport {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path scratch;

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler("echo", ctx -> ctx.result(ctx.payload()));
    engine.handler(
        "flaky",
        ctx -> {
          if (ctx.attempt() == 1) {
            throw new IllegalStateException("the model was overloaded");
          }
        });
  }

  private Scrape scrape() {
    Reply reply = api.get("/metrics");
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return new Scrape(reply.text());
  }

  private String run(String type, String lane) {
    String id = enqueue(type, lane).get("id").asText();
    await().atMost(WAIT).until(() -> state(id).equals("succeeded"));
    return id;
  }

  @Test
  void a_live_scrape_passes_promtool_check_metrics_with_no_problems() throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    if (ci) {
      assertThat(Scrape.promtoolInstalled()).as("promtool on PATH (.ci/run installs Debian's prometheus package)").isTrue();
    }
    assumeThat(Scrape.promtoolInstalled()).as("promtool on PATH (apt-get install prometheus)").isTrue();
    run("echo", "cognition");
    run("flaky", "social");
    api.post("/api/v1/jobs", "{\"type\":\"echo\",\"lane\":\"nope\"}");
    api.get("/api/v1/jobs/no-such-job");
    api.get("/metrics");

    Scrape.Lint lint = scrape().promtool(scratch);

    assertThat(lint.output()).as("promtool check metrics").isEmpty();
    assertThat(lint.exit()).isZero();
  }

  @Test
  void a_succeeded_job_moves_its_lane_and_type_counters_and_records_its_queue_wait_and_run() {
    Scrape before = scrape();
    run("echo", "cognition");

    await().atMost(WAIT).until(() -> scrape().value("vigil_jobs_succeeded_total", "lane", "cognition", "type", "echo") == 1);
    Scrape after = scrape();
    String[] labels = {"lane", "cognition", "type", "echo"};
    assertThat(before.value("vigil_jobs_succeeded_total", labels)).isZero();
    assertThat(after.value("vigil_jobs_enqueued_total", labels)).isEqualTo(1);
    assertThat(after.value("vigil_jobs_started_total", labels)).isEqualTo(1);
    assertThat(after.value("vigil_jobs_failed_total", labels)).isZero();
    assertThat(after.value("vigil_job_queue_wait_seconds_count", labels)).isEqualTo(1);
    assertThat(after.value("vigil_job_run_seconds_count", labels)).isEqualTo(1);
    assertThat(after.value("vigil_job_latency_seconds_count", labels)).isEqualTo(1);
    assertThat(after.value("vigil_job_latency_seconds_bucket", "lane", "cognition", "type", "echo", "le", "600.0"))
        .isEqualTo(1);
    assertThat(after.value("vigil_jobs_succeeded_total", "lane", "social", "type", "echo")).isZero();
  }

  @Test
  void a_failed_attempt_that_is_retried_counts_as_failed_and_retried_and_the_job_then_succeeds() {
    run("flaky", "social");

    await().atMost(WAIT).until(() -> scrape().value("vigil_jobs_succeeded_total", "lane", "social", "type", "flaky") == 1);
    Scrape s = scrape();
    assertThat(s.value("vigil_jobs_failed_total", "lane", "social", "type", "flaky")).isEqualTo(1);
    assertThat(s.value("vigil_jobs_retried_total", "lane", "social", "type", "flaky")).isEqualTo(1);
    assertThat(s.value("vigil_jobs_started_total", "lane", "social", "type", "flaky")).isEqualTo(2);
    assertThat(s.value("vigil_jobs_dead_total", "lane", "social", "type", "flaky")).isZero();
  }

  @Test
  void refused_enqueues_count_as_rejected_by_reason() {
    api.post("/api/v1/jobs", "{\"type\":\"echo\",\"unique_key\":\"k1\",\"delay_ms\":60000}");
    api.post("/api/v1/jobs", "{\"type\":\"echo\",\"unique_key\":\"k1\",\"delay_ms\":60000}");
    api.post("/api/v1/jobs", "{\"type\":\"echo\",\"lane\":\"nope\"}");

    Scrape s = scrape();

    assertThat(s.value("vigil_jobs_rejected_total", "lane", "background", "type", "echo", "reason", "duplicate"))
        .isEqualTo(1);
    assertThat(s.value("vigil_jobs_rejected_total", "lane", "other", "type", "echo", "reason", "invalid")).isEqualTo(1);
  }

  @Test
  void http_requests_are_timed_by_route_template_never_by_the_path_with_its_id() {
    String id = enqueue("parked", "background").get("id").asText();
    api.get("/api/v1/jobs/" + id);
    api.get("/no/such/route/" + id);

    Scrape s = scrape();

    assertThat(s.value("vigil_http_server_requests_seconds_count", "route", "/api/v1/jobs/{id}", "method", "GET", "status", "200"))
        .isEqualTo(1);
    assertThat(s.value("vigil_http_server_requests_seconds_count", "route", "/api/v1/jobs", "method", "POST", "status", "201"))
        .isEqualTo(1);
    assertThat(s.value("vigil_http_server_requests_seconds_count", "route", "unmatched", "status", "404")).isEqualTo(1);
    assertThat(s.text()).doesNotContain(id);
  }

  @Test
  void queue_depth_slots_claims_store_calls_and_group_commits_are_served() {
    enqueue("parked", "background");
    enqueue("parked", "background");

    // depths are read from the store at most every 5 s, and the history sampler may have read them
    // just before the enqueues
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> scrape().value("vigil_queue_depth", "lane", "background", "state", "ready") == 2);
    Scrape s = scrape();

    assertThat(s.value("vigil_queue_depth", "lane", "background", "state", "ready")).isEqualTo(2);
    assertThat(s.value("vigil_queue_oldest_ready_age_seconds", "lane", "background")).isGreaterThanOrEqualTo(0);
    assertThat(s.value("vigil_worker_slots")).isEqualTo(16);
    assertThat(s.text())
        .contains("vigil_jobs_running{lane=\"cognition\"}")
        .contains("vigil_worker_slot_utilisation{lane=\"background\"}")
        .contains("vigil_claims_waiting ")
        .contains("vigil_event_bus_dropped_total ")
        .contains("vigil_lease_rescues_total ")
        .contains("vigil_group_commit_batch_size_count ");
    assertThat(s.value("vigil_store_operation_seconds_count", "operation", "enqueue")).isEqualTo(2);
  }

  @Test
  void health_checks_lane_capacities_and_the_data_directory_space_are_served() {
    Scrape s = scrape();

    assertThat(s.value("vigil_health_status", "check", "store")).as("0: healthy").isZero();
    assertThat(s.text()).contains("vigil_health_status{check=\"disk\"}", "vigil_health_status{check=\"backlog\"}");
    assertThat(s.value("vigil_lane_capacity", "lane", "cognition")).isEqualTo(10_000);
    assertThat(s.value("vigil_lane_capacity", "lane", "background")).isEqualTo(100_000);
    double free = s.value("vigil_data_dir_free_bytes");
    assertThat(free).isPositive();
    assertThat(s.value("vigil_data_dir_total_bytes")).isGreaterThanOrEqualTo(free);
    assertThat(s.text()).doesNotContain(dataDir.toString());
  }

  @Test
  void jvm_process_and_system_meters_are_served() {
    Scrape s = scrape();

    assertThat(s.countsByName().keySet())
        .contains(
            "jvm_memory_used_bytes",
            "jvm_threads_live_threads",
            "jvm_classes_loaded_classes",
            "process_cpu_usage",
            "system_cpu_logical_processors",
            "process_cpu_seconds_total",
            "process_uptime_seconds",
            "process_files_open_files");
  }

  @Test
  void openmetrics_is_served_when_the_client_asks_for_it() {
    Reply reply =
        api.send(
            api.request("/metrics")
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .GET());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/openmetrics-text");
    assertThat(reply.text()).endsWith("# EOF\n").contains("# TYPE vigil_queue_depth gauge");
  }

  @Test
  void the_prometheus_text_format_is_the_default() {
    Reply reply = api.get("/metrics");

    assertThat(reply.contentType()).startsWith("text/plain").contains("version=0.0.4");
    assertThat(reply.text()).doesNotContain("# EOF");
  }
}
