package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployment files, checked without a Docker engine: {@code deploy/docker-compose.yml} is
 * parsed and its services, images, environment, ports and health checks are asserted (the Vigil
 * nodes' environment is also fed to the real configuration loader); {@code deploy/prometheus.yml}
 * is checked by Prometheus's own {@code promtool} and against the compose services; the {@code
 * Dockerfile} is read for its stages and entry point.
 */
class DeploymentFilesTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(:\\?[^}]*)?}");
  private static final List<String> NODES = List.of("vigil-1", "vigil-2");

  private static Path root;
  private static JsonNode compose;
  private static JsonNode prometheus;

  @BeforeAll
  static void read() throws IOException {
    root = repositoryRoot();
    compose = YAML.readTree(root.resolve("deploy/docker-compose.yml").toFile());
    prometheus = YAML.readTree(root.resolve("deploy/prometheus.yml").toFile());
  }

  /** The directory holding the {@code vigil} launcher, found upwards from the working directory. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("vigil")) && Files.isDirectory(p.resolve("deploy"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
  }

  private static JsonNode service(String name) {
    return compose.path("services").path(name);
  }

  private static Map<String, String> environment(String service) {
    var env = new HashMap<String, String>();
    service(service).path("environment").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  @Test
  void compose_runs_postgres_15_two_vigil_nodes_prometheus_and_grafana() {
    assertThat(compose.path("services").properties().stream().map(Map.Entry::getKey))
        .containsExactlyInAnyOrder("postgres", "vigil-1", "vigil-2", "prometheus", "grafana");
    assertThat(service("postgres").path("image").asText()).isEqualTo("postgres:15");
    assertThat(service("prometheus").path("image").asText()).startsWith("prom/prometheus:v");
    assertThat(service("grafana").path("image").asText()).startsWith("grafana/grafana:");
    for (String node : NODES) {
      JsonNode build = service(node).path("build");
      assertThat(build.path("context").asText()).as(node).isEqualTo("..");
      assertThat(root.resolve("deploy").resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()))
          .as(node)
          .isRegularFile();
      assertThat(service(node).path("image").asText()).isEqualTo("vigil:local");
    }
    for (String volume : List.of("postgres-data", "prometheus-data", "grafana-data")) {
      assertThat(compose.path("volumes").has(volume)).as(volume).isTrue();
    }
  }

  @Test
  void every_vigil_node_runs_on_the_compose_postgres_with_its_own_node_id() {
    Map<String, String> db = environment("postgres");
    var ids = new HashSet<String>();
    for (String node : NODES) {
      Map<String, String> env = environment(node);
      assertThat(env).as(node).containsEntry("VIGIL_STORE", "postgres").containsEntry("VIGIL_HOST", "0.0.0.0");
      assertThat(env.get("VIGIL_POSTGRES_URL")).as(node).isEqualTo("jdbc:postgresql://postgres:5432/" + db.get("POSTGRES_DB"));
      assertThat(env.get("VIGIL_POSTGRES_USER")).as(node).isEqualTo(db.get("POSTGRES_USER"));
      assertThat(variable(env.get("VIGIL_POSTGRES_PASSWORD"))).as(node).isEqualTo(variable(db.get("POSTGRES_PASSWORD")));
      assertThat(ids.add(env.get("VIGIL_NODE_ID"))).as(node + " has a node id of its own").isTrue();
      assertThat(service(node).path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
      assertThat(service(node).path("stop_grace_period").asText()).as("longer than the 30 s drain").isEqualTo("40s");
    }
  }

  @Test
  void secrets_are_required_placeholders_never_values() {
    for (String node : NODES) {
      Map<String, String> env = environment(node);
      assertThat(env.get("VIGIL_API_TOKEN")).as(node).startsWith("${VIGIL_API_TOKEN:?");
      assertThat(env.get("VIGIL_POSTGRES_PASSWORD")).as(node).startsWith("${VIGIL_POSTGRES_PASSWORD:?");
    }
    assertThat(environment("postgres").get("POSTGRES_PASSWORD")).startsWith("${VIGIL_POSTGRES_PASSWORD:?");
    assertThat(environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD")).startsWith("${GRAFANA_ADMIN_PASSWORD:?");
  }

  @Test
  void the_server_accepts_each_node_environment_with_the_secrets_filled_in() {
    for (String node : NODES) {
      var env = new HashMap<String, String>();
      environment(node).forEach((k, v) -> env.put(k, fill(v)));

      ServerConfig c = ServerConfig.load(null, env);

      assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.POSTGRES);
      assertThat(c.nodeId()).isEqualTo(node);
      assertThat(c.host()).isEqualTo("0.0.0.0");
      assertThat(c.apiToken()).as("0.0.0.0 requires a token").isNotNull();
      assertThat(c.openPaths()).contains("/health/live", "/health/ready", "/metrics").doesNotContain("/api/v1/jobs");
    }
  }

  @Test
  void each_node_publishes_its_api_port_on_the_host_loopback_only() {
    var hostPorts = new HashSet<String>();
    for (String service : List.of("vigil-1", "vigil-2", "prometheus", "grafana")) {
      for (JsonNode port : service(service).path("ports")) {
        String[] parts = port.asText().split(":");
        assertThat(parts).as(service).hasSize(3);
        assertThat(parts[0]).as(service).isEqualTo("127.0.0.1");
        assertThat(hostPorts.add(parts[1])).as(service + " host port " + parts[1]).isTrue();
        if (service.startsWith("vigil")) {
          assertThat(parts[2]).isEqualTo(environment(service).get("VIGIL_PORT"));
        }
      }
    }
    assertThat(service("postgres").has("ports")).as("the database is not published").isFalse();
  }

  @Test
  void every_service_has_a_healthcheck_and_a_node_is_healthy_only_when_ready() {
    for (String service : List.of("postgres", "vigil-1", "vigil-2", "prometheus", "grafana")) {
      JsonNode test = service(service).path("healthcheck").path("test");
      assertThat(test.isArray() && test.size() >= 2).as(service).isTrue();
      assertThat(test.get(0).asText()).as(service).isIn("CMD", "CMD-SHELL");
    }
    assertThat(service("postgres").path("healthcheck").path("test").get(1).asText()).contains("pg_isready");
    for (String node : NODES) {
      String check = String.join(" ", texts(service(node).path("healthcheck").path("test")));
      assertThat(check).contains("http://127.0.0.1:8080/health/ready");
      assertThat(environment(node).get("VIGIL_OPEN_PATHS").split(","))
          .as(node + ": the probe's path is open, so it needs no token")
          .contains("/health/ready")
          .doesNotContain("/health/detailed", "/health/*");
    }
  }

  @Test
  void no_health_check_puts_a_token_or_any_variable_on_a_command_line() {
    for (String service : List.of("postgres", "vigil-1", "vigil-2", "prometheus", "grafana")) {
      String argv = String.join(" ", texts(service(service).path("healthcheck").path("test")));

      // a value expanded by compose, or by the container's shell, lands in ps and docker inspect
      assertThat(argv)
          .as(service)
          .doesNotContain("$", "VIGIL_API_TOKEN", "Authorization", "Bearer", "PASSWORD", "sample-secret");
    }
  }

  @Test
  void prometheus_scrapes_every_vigil_node_on_a_path_open_without_the_token() {
    JsonNode vigilJob = null;
    for (JsonNode job : prometheus.path("scrape_configs")) {
      if (job.path("job_name").asText().equals("vigil")) {
        vigilJob = job;
      }
    }
    assertThat(vigilJob).isNotNull();
    var targets = new TreeSet<String>();
    vigilJob.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.add(t.asText())));
    var expected = new TreeSet<String>();
    NODES.forEach(n -> expected.add(n + ":" + environment(n).get("VIGIL_PORT")));

    assertThat(targets).isEqualTo(expected);
    String path = vigilJob.path("metrics_path").asText("/metrics");
    NODES.forEach(n -> assertThat(environment(n).get("VIGIL_OPEN_PATHS").split(",")).contains(path));
    List<String> volumes = texts(service("prometheus").path("volumes"));
    assertThat(volumes).contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    assertThat(texts(service("prometheus").path("command"))).contains("--config.file=/etc/prometheus/prometheus.yml");
  }

  @Test
  void grafana_is_provisioned_with_the_compose_prometheus() throws IOException {
    assertThat(texts(service("grafana").path("volumes"))).contains("./grafana/provisioning:/etc/grafana/provisioning:ro");
    JsonNode sources = YAML.readTree(root.resolve("deploy/grafana/provisioning/datasources/prometheus.yml").toFile());

    JsonNode source = sources.path("datasources").get(0);
    assertThat(source.path("type").asText()).isEqualTo("prometheus");
    assertThat(source.path("url").asText()).isEqualTo("http://prometheus:9090");
  }

  @Test
  void grafana_provisions_the_vigil_dashboard_from_the_mounted_directory() throws IOException {
    List<String> volumes = texts(service("grafana").path("volumes"));
    assertThat(volumes).contains("./grafana/dashboards:/etc/grafana/dashboards:ro");
    JsonNode providers = YAML.readTree(root.resolve("deploy/grafana/provisioning/dashboards/vigil.yml").toFile());

    JsonNode provider = providers.path("providers").get(0);
    assertThat(provider.path("type").asText()).isEqualTo("file");
    assertThat(provider.path("options").path("path").asText()).isEqualTo("/etc/grafana/dashboards");
    assertThat(GrafanaDashboard.file(root)).isRegularFile();
  }

  @Test
  void the_dashboard_refreshes_every_5_s_and_has_variables_for_the_data_source_node_lane_and_type() throws IOException {
    GrafanaDashboard d = GrafanaDashboard.read(root);

    assertThat(d.json().path("refresh").asText()).isEqualTo("5s");
    assertThat(d.json().path("uid").asText()).isNotBlank();
    Map<String, JsonNode> variables = new HashMap<>();
    d.variables().forEach(v -> variables.put(v.path("name").asText(), v));
    assertThat(variables).containsKeys("datasource", "instance", "lane", "type");
    assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
    assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
    for (String name : List.of("instance", "lane", "type")) {
      JsonNode v = variables.get(name);
      assertThat(v.path("definition").asText()).as(name).startsWith("label_values(").endsWith(", " + name + ")");
      assertThat(v.path("includeAll").asBoolean()).as(name).isTrue();
      assertThat(v.path("allValue").asText()).as(name).isEqualTo(".*");
      assertThat(v.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
    }
  }

  @Test
  void every_panel_queries_the_chosen_data_source_and_filters_job_meters_by_lane() throws IOException {
    GrafanaDashboard d = GrafanaDashboard.read(root);
    var ids = new HashSet<Integer>();

    assertThat(d.panels()).hasSizeGreaterThan(20);
    for (JsonNode panel : d.panels()) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as(title + " has an id of its own").isTrue();
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.path("targets").size()).as(title).isPositive();
      JsonNode pos = panel.path("gridPos");
      assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as(title + " fits 24 columns").isLessThanOrEqualTo(24);
      for (JsonNode t : panel.path("targets")) {
        String expr = t.path("expr").asText();
        assertThat(expr).as(title).isNotBlank();
        assertThat(t.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
        if (expr.matches("(?s).*vigil_(jobs|job)_\\w+\\{.*") && !expr.contains("vigil_jobs_running")) {
          assertThat(expr).as(title + ": job meters follow the lane and type variables").contains("lane=~\"$lane\"");
        }
      }
    }
  }

  @Test
  void the_dashboard_shows_what_an_operator_asks_for() throws IOException {
    GrafanaDashboard d = GrafanaDashboard.read(root);
    String all = String.join("\n", d.expressions().values());

    assertThat(all)
        .contains(
            "vigil_jobs_succeeded_total", // throughput by lane
            "vigil_jobs_failed_total", // failures
            "vigil_queue_depth", // queue depth
            "vigil_queue_oldest_ready_age_seconds", // oldest ready age
            "vigil_job_queue_wait_seconds_bucket", // queue wait p50/p99
            "vigil_job_run_seconds_bucket", // run time p50/p99
            "vigil_worker_slot_utilisation", // slot utilisation
            "vigil_jobs_retried_total", // retries
            "vigil_jobs_dead_total", // dead jobs
            "vigil_lease_rescues_total", // lease rescues
            "vigil_http_server_requests_seconds_count", // HTTP rate and status
            "vigil_http_server_requests_seconds_bucket", // HTTP latency
            "vigil_store_operation_seconds_bucket", // store latency
            "jvm_memory_used_bytes", // heap
            "jvm_gc_pause_seconds", // GC
            "ALERTS{"); // firing alerts
    assertThat(all).contains("histogram_quantile(0.5,", "histogram_quantile(0.99,");
  }

  @Test
  void thresholds_are_green_amber_red_and_firing_alerts_are_overlaid() throws IOException {
    GrafanaDashboard d = GrafanaDashboard.read(root);
    int coloured = 0;
    for (JsonNode panel : d.panels()) {
      var colours = new ArrayList<String>();
      panel.path("fieldConfig").path("defaults").path("thresholds").path("steps").forEach(s -> colours.add(s.path("color").asText()));
      if (colours.size() == 3) {
        assertThat(colours).as(panel.path("title").asText()).containsExactlyInAnyOrder("green", "#EAB839", "red");
        coloured++;
      }
    }
    assertThat(coloured).as("panels with green, amber and red thresholds").isGreaterThanOrEqualTo(15);

    JsonNode alerts = null;
    for (JsonNode a : d.json().path("annotations").path("list")) {
      if (a.path("expr").asText().startsWith("ALERTS{")) {
        alerts = a;
      }
    }
    assertThat(alerts).as("an annotation query over the ALERTS series").isNotNull();
    assertThat(alerts.path("enable").asBoolean()).isTrue();
    assertThat(alerts.path("expr").asText()).contains("alertstate=\"firing\"");
    assertThat(alerts.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
  }

  @Test
  void the_autoscaler_scales_workers_on_a_queue_depth_metric_the_adapter_rules_define() throws IOException {
    JsonNode adapter = YAML.readTree(root.resolve("deploy/kubernetes/prometheus-adapter-rules.yaml").toFile());
    JsonNode hpa = YAML.readTree(root.resolve("deploy/kubernetes/worker-hpa.yaml").toFile());
    var defined = new HashMap<String, String>();
    adapter.path("externalRules").forEach(r -> defined.put(r.path("name").path("as").asText(), r.path("metricsQuery").asText()));

    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(hpa.path("kind").asText()).isEqualTo("HorizontalPodAutoscaler");
    assertThat(hpa.path("spec").path("minReplicas").asInt()).isPositive();
    assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(hpa.path("spec").path("minReplicas").asInt());
    JsonNode external = hpa.path("spec").path("metrics").get(0).path("external");
    String metric = external.path("metric").path("name").asText();
    assertThat(defined).containsKey(metric);
    assertThat(defined.get(metric))
        .as("every node reports the store-wide depth: max, never sum")
        .startsWith("max by (lane) (vigil_queue_depth{state=\"ready\",");
    assertThat(external.path("metric").path("selector").path("matchLabels").path("lane").asText()).isNotBlank();
  }

  @Test
  void the_env_example_names_every_required_variable() throws IOException {
    var required = new TreeSet<String>();
    Matcher m = VARIABLE.matcher(Files.readString(root.resolve("deploy/docker-compose.yml")));
    while (m.find()) {
      if (m.group(2) != null) {
        required.add(m.group(1));
      }
    }
    var example = new TreeSet<String>();
    for (String line : Files.readAllLines(root.resolve("deploy/.env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        example.add(line.substring(0, line.indexOf('=')));
      }
    }

    assertThat(required).containsExactly("GRAFANA_ADMIN_PASSWORD", "VIGIL_API_TOKEN", "VIGIL_POSTGRES_PASSWORD");
    assertThat(example).isEqualTo(required);
  }

  @Test
  void the_dockerfile_builds_like_the_launcher_and_runs_the_server_on_a_jre_21() throws IOException {
    List<String> lines = dockerfileInstructions();
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();

    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("FROM maven:3\\.9-eclipse-temurin-21 AS build");
    assertThat(from.get(1)).isEqualTo("FROM eclipse-temurin:21-jre");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("RUN ").contains("./vigil build -pl vigil-server -am"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("vigil-server/target/classpath.txt"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ENV ").contains("VIGIL_HOST=0.0.0.0"));
    assertThat(lines).contains("EXPOSE 8080", "USER vigil", "CMD [\"server\"]");
    String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    JsonNode exec = YAML.readTree(entrypoint.substring("ENTRYPOINT ".length())); // exec form is a JSON array
    assertThat(exec.isArray()).as("exec form, so the JVM gets SIGTERM").isTrue();
    String main = exec.get(exec.size() - 1).asText();
    assertThat(main).isEqualTo(dev.vigil.server.cli.VigilCli.class.getName());
    assertThat(Files.readString(root.resolve(".dockerignore"))).contains("**/target", ".git");
    assertThat(root.resolve("vigil")).isExecutable();
  }

  @Test
  void promtool_accepts_the_prometheus_configuration() throws IOException, InterruptedException {
    String out = promtool("check", "config", root.resolve("deploy/prometheus.yml").toString());

    assertThat(out).contains("SUCCESS").contains("1 rule files found");
  }

  @Test
  void promtool_accepts_the_rules() throws IOException, InterruptedException {
    String out = promtool("check", "rules", root.resolve("deploy/prometheus/rules.yml").toString());

    assertThat(out).contains("SUCCESS");
  }

  @Test
  void promtool_unit_tests_of_the_rules_pass() throws IOException, InterruptedException {
    String out = promtool("test", "rules", root.resolve("deploy/prometheus/rules.test.yml").toString());

    assertThat(out).contains("SUCCESS").doesNotContain("FAILED");
  }

  @Test
  void prometheus_loads_the_rules_here_and_in_the_compose_container() {
    assertThat(texts(prometheus.path("rule_files"))).containsExactly("prometheus/rules.yml");
    assertThat(root.resolve("deploy").resolve("prometheus/rules.yml")).isRegularFile();
    // the container reads its configuration from /etc/prometheus: the rules sit at the same relative path
    assertThat(texts(service("prometheus").path("volumes"))).contains("./prometheus:/etc/prometheus/prometheus:ro");
  }

  @Test
  void every_alert_has_its_name_a_for_a_severity_and_the_annotations_of_the_issue() throws IOException {
    Map<String, JsonNode> alerts = PrometheusRules.read(root).alerts();

    assertThat(alerts.keySet()).containsExactlyInAnyOrderElementsOf(PrometheusRules.ALERTS);
    alerts.forEach(
        (name, rule) -> {
          assertThat(rule.path("for").asText()).as(name + " for").matches("\\d+[smh]");
          assertThat(rule.path("labels").path("severity").asText()).as(name + " severity").isIn("page", "ticket");
          JsonNode a = rule.path("annotations");
          assertThat(a.path("summary").asText()).as(name + " summary").isNotBlank();
          assertThat(a.path("description").asText()).as(name + " description").isNotBlank();
          assertThat(a.path("runbook_url").asText()).as(name).isEqualTo("docs/runbooks.md#" + name.toLowerCase(Locale.ROOT));
        });
  }

  @Test
  void the_recording_rules_cover_throughput_waits_failures_slots_and_http_errors() throws IOException {
    Map<String, JsonNode> records = PrometheusRules.read(root).records();

    assertThat(records.size()).isGreaterThanOrEqualTo(5);
    assertThat(records.keySet())
        .contains(
            "lane:vigil_jobs_succeeded:rate5m",
            "lane:vigil_job_queue_wait_seconds:p99_rate5m",
            "lane_type:vigil_job_attempts_failure:ratio_rate10m",
            "lane:vigil_worker_slot_utilisation:ratio",
            "instance:vigil_http_requests_5xx:ratio_rate5m");
    records.keySet().forEach(r -> assertThat(r).as("level:metric:operations").matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+"));
  }

  @Test
  void the_unit_tests_show_every_alert_firing_and_not_firing() throws IOException {
    JsonNode tests = YAML.readTree(root.resolve("deploy/prometheus/rules.test.yml").toFile());
    var firing = new TreeSet<String>();
    var quiet = new TreeSet<String>();
    for (JsonNode group : tests.path("tests")) {
      for (JsonNode t : group.path("alert_rule_test")) {
        (t.path("exp_alerts").isEmpty() ? quiet : firing).add(t.path("alertname").asText());
      }
    }

    assertThat(texts(tests.path("rule_files"))).containsExactly("rules.yml");
    assertThat(firing).containsExactlyInAnyOrderElementsOf(PrometheusRules.ALERTS);
    assertThat(quiet).containsExactlyInAnyOrderElementsOf(PrometheusRules.ALERTS);
  }

  /** Runs {@code promtool} with {@code args}; fails unless it exits 0; returns what it printed. */
  private static String promtool(String... args) throws IOException, InterruptedException {
    boolean ci = "true".equals(System.getenv("CI"));
    boolean installed = onPath("promtool");
    if (ci) {
      assertThat(installed).as("promtool on PATH (.ci/run installs Debian's prometheus package)").isTrue();
    }
    assumeThat(installed).as("promtool on PATH (apt-get install prometheus)").isTrue();
    var command = new ArrayList<String>();
    command.add("promtool");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  private static List<String> dockerfileInstructions() throws IOException {
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String raw : Files.readAllLines(root.resolve("Dockerfile"))) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      out.add(current.toString().replaceAll("\\s+", " ").strip());
      current.setLength(0);
    }
    return out;
  }

  /** A compose value with every {@code ${VAR:?message}} filled with a sample secret. */
  private static String fill(String value) {
    return VARIABLE.matcher(value).replaceAll("sample-secret-0123456789");
  }

  private static String variable(String value) {
    Matcher m = VARIABLE.matcher(value);
    return m.find() ? m.group(1) : null;
  }

  private static List<String> texts(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
