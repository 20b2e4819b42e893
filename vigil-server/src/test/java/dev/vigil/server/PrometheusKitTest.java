package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.Vigil;
import dev.vigil.server.ApiClient.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus kit against the real thing: Debian's {@code prometheus} server scrapes a live Vigil
 * server with some traffic and loads {@code deploy/prometheus/rules.yml}; then Prometheus's query
 * API evaluates every rule and every query of {@code deploy/grafana/dashboards/vigil.json} (template
 * variables filled in) and every query of the autoscaling example in {@code deploy/kubernetes}.
 * Each must parse and evaluate without error, every rule must be healthy, and every metric name an
 * expression selects must be in the live scrape, be a recording rule of rules.yml, or be one of the
 * series Prometheus makes itself ({@code up}, {@code ALERTS}).
 */
class PrometheusKitTest extends ServerTestSupport {
  /** Series Prometheus makes itself: the scrape's health and the alerts' state. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up", "ALERTS", "ALERTS_FOR_STATE");

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path scratch;
  private Process prometheus;
  private ApiClient promApi;

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
    engine.handler(
        "doomed",
        ctx -> {
          throw new IllegalStateException("always fails");
        });
  }

  @AfterEach
  void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void prometheus_evaluates_every_rule_and_dashboard_query_over_a_live_scrape() throws Exception {
    boolean installed = DeploymentFilesTest.onPath("prometheus");
    if ("true".equals(System.getenv("CI"))) {
      assertThat(installed).as("the prometheus server on PATH (.ci/run installs Debian's prometheus package)").isTrue();
    }
    assumeThat(installed).as("the prometheus server on PATH (apt-get install prometheus); skipping the kit test").isTrue();
    Path root = DeploymentFilesTest.repositoryRoot();
    PrometheusRules rules = PrometheusRules.read(root);
    GrafanaDashboard dashboard = GrafanaDashboard.read(root);
    String target = server.url().replaceFirst("^https?://", "").replaceFirst("/$", "");

    startPrometheus(target, PrometheusRules.file(root));
    await("Prometheus scrapes the Vigil server").atMost(WAIT).until(() -> value("up{job=\"vigil\"}") == 1);
    traffic();
    await("the jobs' counters reach Prometheus")
        .atMost(WAIT)
        .until(() -> value("sum(vigil_jobs_dead_total)") == 1 && value("sum(vigil_jobs_succeeded_total)") >= 3);
    await("the rules evaluate over the live series, and VigilDeadJobs sees the dead job")
        .atMost(WAIT)
        .until(() -> rulesEvaluated() && value("count(ALERTS{alertname=\"VigilDeadJobs\",lane=\"background\"})") == 1);

    assertThat(unhealthyRules()).as("rules Prometheus reports unhealthy").isEmpty();
    Set<String> scraped = scrapedNames();
    Set<String> known = new TreeSet<>(scraped);
    known.addAll(rules.records().keySet());
    known.addAll(PROMETHEUS_OWN);
    Map<String, String> expressions = new TreeMap<>();
    rules.expressions().forEach((name, expr) -> expressions.put("rule " + name, expr));
    Map<String, String> variables = Map.of("instance", target, "lane", "cognition", "type", "echo");
    dashboard.expressions().forEach((where, expr) -> expressions.put(where, GrafanaDashboard.substitute(expr, variables)));
    adapterQueries(root).forEach((name, expr) -> expressions.put("autoscaling metric " + name, expr));

    var problems = new ArrayList<String>();
    for (var e : expressions.entrySet()) {
      JsonNode answer = query(e.getValue());
      if (!answer.path("status").asText().equals("success")) {
        problems.add(e.getKey() + ": " + answer.path("error").asText() + "\n    " + e.getValue());
      }
      for (String name : PromQlNames.metricNames(e.getValue())) {
        if (!known.contains(name)) {
          problems.add(e.getKey() + ": names " + name + ", which is not in the live scrape nor a recording rule");
        }
      }
    }

    assertThat(expressions).hasSizeGreaterThan(PrometheusRules.ALERTS.size() + 40);
    assertThat(problems).as("expressions that fail or name a metric Vigil does not export").isEmpty();
    assertThat(value("count(lane:vigil_jobs_succeeded:rate5m)")).as("a recording rule over the live series").isPositive();
  }

  /**
   * Jobs in several lanes (one retried, one dead), a refused enqueue, and HTTP requests of several
   * routes and statuses.
   */
  private void traffic() {
    var ids = new ArrayList<String>();
    ids.add(enqueue("echo", "cognition").get("id").asText());
    ids.add(enqueue("echo", "social").get("id").asText());
    ids.add(enqueue("flaky", "sensory").get("id").asText());
    // delayed, so its meters are scraped at 0 before it dies, as most jobs' are
    Reply doomed = api.post("/api/v1/jobs", "{\"type\":\"doomed\",\"lane\":\"background\",\"delay_ms\":2500}");
    assertThat(doomed.status()).as(doomed.toString()).isEqualTo(201);
    String doomedId = doomed.json().get("id").asText();
    await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> state(id).equals("succeeded")));
    await().atMost(WAIT).until(() -> state(doomedId).equals("dead"));
    Reply refused = api.post("/api/v1/jobs", "{\"type\":\"echo\",\"lane\":\"no-such-lane\"}");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    api.get("/api/v1/lanes");
    api.get("/api/v1/jobs/no-such-job");
    api.get("/no/such/route");
    System.gc(); // so the GC pause timer exists
    await().atMost(WAIT).until(() -> api.get("/metrics").text().contains("jvm_gc_pause_seconds_count"));
  }

  /**
   * The Prometheus adapter's queries of deploy/kubernetes (the metrics an autoscaler follows), as
   * the adapter sends them for {@code lane=cognition}.
   */
  private static Map<String, String> adapterQueries(Path root) throws IOException {
    JsonNode adapter = new YAMLMapper().readTree(root.resolve("deploy/kubernetes/prometheus-adapter-rules.yaml").toFile());
    var out = new TreeMap<String, String>();
    for (JsonNode rule : adapter.path("externalRules")) {
      out.put(rule.path("name").path("as").asText(), rule.path("metricsQuery").asText().replace("<<.LabelMatchers>>", "lane=\"cognition\""));
    }
    return out;
  }

  private void startPrometheus(String target, Path rulesFile) throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path config =
        Files.writeString(
            scratch.resolve("prometheus.yml"),
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - %s
            scrape_configs:
              - job_name: vigil
                metrics_path: /metrics
                static_configs:
                  - targets: ['%s']
            """
                .formatted(rulesFile.toAbsolutePath(), target));
    Path log = scratch.resolve("prometheus.log");
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + Files.createDirectories(scratch.resolve("data")),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    promApi = new ApiClient("http://127.0.0.1:" + port, null);
    await("Prometheus is ready (log: " + log + ")")
        .atMost(WAIT)
        .ignoreExceptions()
        .failFast("Prometheus exited", () -> !prometheus.isAlive())
        .until(() -> promApi.get("/-/ready").status() == 200);
  }

  private JsonNode query(String expr) {
    return promApi.get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).json();
  }

  /** The first sample's value of an instant query; NaN when it has none. */
  private double value(String expr) {
    JsonNode result = query(expr).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  private List<JsonNode> ruleStates() {
    var out = new ArrayList<JsonNode>();
    promApi.get("/api/v1/rules").json().path("data").path("groups").forEach(g -> g.path("rules").forEach(out::add));
    return out;
  }

  private boolean rulesEvaluated() {
    List<JsonNode> states = ruleStates();
    return !states.isEmpty() && states.stream().noneMatch(r -> r.path("health").asText().equals("unknown"));
  }

  private List<String> unhealthyRules() {
    return ruleStates().stream()
        .filter(r -> !r.path("health").asText().equals("ok"))
        .map(r -> r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText())
        .toList();
  }

  /** The sample names of a scrape of the Vigil server, as Prometheus stores them. */
  private Set<String> scrapedNames() {
    var names = new TreeSet<String>();
    api.get("/metrics")
        .text()
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
    return names;
  }
}
