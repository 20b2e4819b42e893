package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.job.JobRequest;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a live server in this process (no handlers: jobs wait in their lanes). */
class VigilCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Clears the screen, then sets the window title: what a hostile worker id or error carries. */
  private static final String CLEAR_AND_TITLE = "\u001b[2J\u001b]0;title\u0007";

  @TempDir static Path dataDir;
  private static VigilServer server;

  @BeforeAll
  static void startServer() {
    server =
        VigilServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build(), builder -> {});
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private CliRun vigil(String... args) {
    var all = new ArrayList<>(List.of(args));
    if (!all.isEmpty() && !List.of("completion", "help").contains(all.get(0))) {
      all.add(1, "--url=" + server.url());
    }
    return CliRun.of(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws IOException {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void a_job_goes_through_enqueue_show_list_cancel_and_retry() throws IOException {
    CliRun enqueued =
        vigil(
            "enqueue",
            "generate_reply",
            "--lane",
            "cognition",
            "--payload",
            "{\"post_id\":\"p1\"}",
            "--correlation-id",
            "c-cli",
            "--max-attempts",
            "2",
            "--timeout-ms",
            "5000",
            "--json");
    JsonNode job = json(enqueued);
    String id = job.path("id").asText();
    assertThat(job.path("state").asText()).isEqualTo("ready");
    assertThat(job.path("max_attempts").asInt()).isEqualTo(2);

    CliRun shown = vigil("job", id);
    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out())
        .contains(id, "generate_reply", "cognition", "ready", "c-cli", "0 of 2", "5.0s");

    CliRun listed = vigil("jobs", "--lane", "cognition", "--correlation-id", "c-cli");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("ID").contains("STATE"));
    assertThat(listed.out()).contains(id, "ready");

    JsonNode page =
        json(vigil("jobs", "--type", "generate_reply", "--since", "1h", "--limit", "10", "--json"));
    assertThat(page.path("jobs").findValuesAsText("id")).contains(id);

    CliRun cancelled = vigil("cancel", id);
    assertThat(cancelled.exitCode()).as(cancelled.toString()).isZero();
    assertThat(cancelled.out()).contains(id, "cancelled");
    assertThat(
            json(vigil("jobs", "--state", "cancelled", "--json"))
                .path("jobs")
                .findValuesAsText("id"))
        .contains(id);

    CliRun retried = vigil("retry", id);
    assertThat(retried.exitCode()).as(retried.toString()).isZero();
    assertThat(retried.out()).contains(id, "ready");
    assertThat(json(vigil("job", id, "--json")).path("state").asText()).isEqualTo("ready");
  }

  @Test
  void job_shows_where_each_attempts_time_went_with_the_spans_it_timed() throws Exception {
    var vigil = server.vigil();
    vigil.enqueue(JobRequest.builder("timed_summary").lane("social").build());
    var claimed =
        vigil.claim(new dev.vigil.job.WorkerClaim(
                "py-cli", List.of("social"), java.util.Set.of("timed_summary"), 1, java.time.Duration.ZERO,
                java.time.Duration.ofSeconds(30)))
            .getFirst();
    vigil.complete(
        claimed.id(),
        claimed.leaseToken(),
        "{}",
        List.of(
            new dev.vigil.job.JobSpan(
                "llm_call", java.time.Instant.now(), java.time.Duration.ofMillis(812),
                java.util.Map.of("model", "gpt-x"))));

    CliRun shown = vigil("job", claimed.id());

    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    assertThat(shown.out()).contains("TIMELINE", "#1  waited ", "succeeded", "llm_call", "812ms", "model=gpt-x");
  }

  @Test
  void job_and_jobs_show_a_remote_errors_terminal_escapes_escaped() throws Exception {
    String id = json(vigil("enqueue", "hostile_error", "--lane", "social", "--json")).path("id").asText();
    JsonNode claimed =
        post("/api/v1/claim", JSON.createObjectNode().put("worker_id", "py-hostile").put("max", 1).put("wait_ms", 0)
            .<com.fasterxml.jackson.databind.node.ObjectNode>set("lanes", JSON.createArrayNode().add("social"))
            .set("types", JSON.createArrayNode().add("hostile_error")));
    var fail = JSON.createObjectNode().put("lease_token", claimed.path("jobs").get(0).path("lease_token").asText())
        .put("retryable", false);
    fail.putObject("error").put("type", "Hostile" + CLEAR_AND_TITLE).put("message", "boom" + CLEAR_AND_TITLE + " end");
    post("/api/v1/jobs/" + id + "/fail", fail);

    CliRun shown = vigil("job", id);
    CliRun listed = vigil("jobs", "--type", "hostile_error");

    for (CliRun run : List.of(shown, listed)) {
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertNoControlCharacters(run.out());
      assertThat(run.out()).contains("Hostile\\u001b[2J\\u001b]0;title\\u0007: boom");
    }
    assertThat(shown.out()).contains("Hostile\\u001b[2J\\u001b]0;title\\u0007: boom\\u001b[2J\\u001b]0;title\\u0007 end");
  }

  @Test
  void enqueue_prints_the_new_job_id_and_flags_a_duplicate_unique_key() {
    CliRun first =
        vigil("enqueue", "send_digest", "--unique-key", "digest:u1", "--delay-ms", "60000");
    CliRun second = vigil("enqueue", "send_digest", "--unique-key", "digest:u1");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).contains("send_digest on background", "scheduled");
    String id = first.out().strip().split("\\s+")[0];
    assertThat(second.out()).startsWith(id).contains("already enqueued");
  }

  @Test
  void lanes_can_be_listed_paused_and_resumed() throws IOException {
    CliRun lanes = vigil("lanes");
    assertThat(lanes.exitCode()).as(lanes.toString()).isZero();
    assertThat(lanes.out())
        .contains("LANE", "WEIGHT", "cognition", "social", "sensory", "background");

    CliRun paused = vigil("pause", "sensory");
    assertThat(paused.exitCode()).as(paused.toString()).isZero();
    assertThat(paused.out()).contains("sensory paused");
    assertThat(lane(json(vigil("lanes", "--json")), "sensory").path("paused").asBoolean()).isTrue();

    CliRun resumed = vigil("resume", "sensory");
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    assertThat(lane(json(vigil("lanes", "--json")), "sensory").path("paused").asBoolean())
        .isFalse();
  }

  @Test
  void schedules_are_listed_with_their_cron_and_job() throws IOException {
    server
        .vigil()
        .schedule(
            "nightly_report",
            "0 3 * * *",
            ZoneId.of("UTC"),
            JobRequest.builder("build_report").lane("background").build());

    CliRun schedules = vigil("schedules");
    assertThat(schedules.exitCode()).as(schedules.toString()).isZero();
    assertThat(schedules.out()).contains("nightly_report", "0 3 * * *", "UTC", "build_report");
    assertThat(json(vigil("schedules", "--json")).path("schedules").findValuesAsText("name"))
        .contains("nightly_report");
  }

  @Test
  void status_shows_the_stats_and_the_lanes() throws IOException {
    vigil("enqueue", "status_probe", "--lane", "social");

    CliRun status = vigil("status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.out()).contains("cognition", "social", "background", "READY");
    JsonNode both = json(vigil("status", "--json"));
    assertThat(both.path("stats").isObject()).isTrue();
    assertThat(both.path("lanes").isArray()).isTrue();
  }

  @Test
  void nodes_lists_this_node_alive_and_leading() throws IOException {
    String id = server.vigil().workerId();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> vigil("nodes").out().contains(id));

    CliRun nodes = vigil("nodes");
    JsonNode json = json(vigil("nodes", "--json"));

    assertThat(nodes.exitCode()).as(nodes.toString()).isZero();
    assertThat(nodes.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("NODE").contains("STATUS", "LEADER", "LAST HEARTBEAT"));
    assertThat(nodes.out().lines().filter(l -> l.startsWith(id)).findFirst())
        .hasValueSatisfying(l -> assertThat(l).contains("alive", "yes", "ago"));
    assertThat(json.path("nodes").findValuesAsText("id")).contains(id);
  }

  @Test
  void an_unknown_job_exits_with_3_and_one_line_on_stderr() {
    for (String command : List.of("job", "cancel", "retry")) {
      CliRun run = vigil(command, "0190f5c0-0000-7000-8000-000000000000");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
      assertThat(run.err().lines()).singleElement().asString().startsWith("vigil: ");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  void an_unknown_lane_exits_with_3() {
    assertThat(vigil("pause", "nope").exitCode()).isEqualTo(3);
  }

  @Test
  void a_request_the_server_refuses_exits_with_1_naming_the_failing_fields() {
    CliRun run = vigil("enqueue", "x", "--lane", "nope", "--max-attempts", "500");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("vigil: ")
        .contains("lane", "max_attempts");
  }

  @Test
  void cancelling_a_job_that_already_ended_exits_with_1() {
    String id = vigil("enqueue", "x").out().strip().split("\\s+")[0];
    vigil("cancel", id);

    CliRun again = vigil("cancel", id);

    assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
    assertThat(again.err()).startsWith("vigil: ");
  }

  @Test
  void an_unreachable_server_exits_with_1_and_says_so_in_one_line() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;

    CliRun run = CliRun.of("lanes", "--url", url);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip()).isEqualTo("vigil: cannot reach " + url + " (connection refused)");
  }

  @Test
  void bad_usage_exits_with_2() {
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("enqueue").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("jobs", "--limit", "many").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("jobs", "--since", "last tuesday").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("lanes", "--url", "localhost:8080").exitCode()).isEqualTo(2);
    CliRun badPayload = CliRun.of("enqueue", "x", "--payload", "{not json");
    assertThat(badPayload.exitCode()).isEqualTo(2);
    assertThat(badPayload.err()).contains("--payload is not valid JSON");
  }

  @Test
  void every_command_has_help() {
    CommandLine root = VigilCli.commandLine();
    for (String name : root.getSubcommands().keySet()) {
      CliRun help = CliRun.of(name, "--help");

      assertThat(help.exitCode()).as(name).isZero();
      assertThat(help.out()).as(name).contains("Usage: vigil " + name);
    }
    assertThat(CliRun.of("--help").out()).contains("enqueue", "jobs", "status", "Exit codes");
  }

  @Test
  void help_recommends_the_environment_or_a_file_for_the_token() {
    String help = CliRun.of("lanes", "--help").out();

    assertThat(help).contains("--token-file=FILE", "--token-stdin", "VIGIL_API_TOKEN", "ps");
    assertThat(CliRun.of("--help").out()).contains("VIGIL_API_TOKEN", "--token-file");
  }

  @Test
  void completion_prints_a_bash_script_for_every_command() {
    CliRun run = CliRun.of("completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("complete -F", "enqueue", "schedules", "--correlation-id");
  }

  @Nested
  class With_a_token {
    private static final String TOKEN = "s3cret-token-for-tests";
    @TempDir Path tokenDataDir;
    private VigilServer guarded;

    @BeforeEach
    void start() {
      guarded =
          VigilServer.start(
              ServerConfig.builder().port(0).dataDir(tokenDataDir).apiToken(TOKEN).build(),
              builder -> {});
    }

    @AfterEach
    void stop() {
      guarded.close();
    }

    @Test
    void the_token_is_sent_as_a_bearer_token() {
      assertThat(CliRun.of("lanes", "--url", guarded.url(), "--token", TOKEN).exitCode()).isZero();
    }

    @Test
    void the_token_can_come_from_the_first_line_of_a_file_trimmed() throws IOException {
      Path file = java.nio.file.Files.writeString(tokenDataDir.resolve("token"), "  " + TOKEN + " \r\nnot this line\n");

      CliRun run = CliRun.of("lanes", "--url", guarded.url(), "--token-file", file.toString());

      assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void the_token_can_come_from_standard_input() {
      CliRun run = CliRun.withInput(TOKEN + "\n", "lanes", "--url", guarded.url(), "--token-stdin");

      assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @Test
    void a_wrong_token_from_a_file_is_refused_by_the_server() throws IOException {
      Path file = java.nio.file.Files.writeString(tokenDataDir.resolve("token"), "not-the-token-0123456789\n");

      assertThat(CliRun.of("lanes", "--url", guarded.url(), "--token-file", file.toString()).exitCode()).isEqualTo(1);
    }

    @Test
    void two_token_sources_are_a_usage_error_that_never_shows_the_token() throws IOException {
      Path file = java.nio.file.Files.writeString(tokenDataDir.resolve("token"), TOKEN);

      for (CliRun run :
          List.of(
              CliRun.of("lanes", "--url", guarded.url(), "--token", TOKEN, "--token-file", file.toString()),
              CliRun.withInput(TOKEN, "lanes", "--url", guarded.url(), "--token", TOKEN, "--token-stdin"),
              CliRun.withInput(TOKEN, "lanes", "--url", guarded.url(), "--token-file", file.toString(), "--token-stdin"))) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("only one of --token, --token-file and --token-stdin").doesNotContain(TOKEN);
      }
    }

    @Test
    void a_missing_or_empty_token_source_is_a_usage_error() throws IOException {
      Path empty = java.nio.file.Files.writeString(tokenDataDir.resolve("empty"), "\n" + TOKEN + "\n");
      Path spaced = java.nio.file.Files.writeString(tokenDataDir.resolve("spaced"), "two words-0123456789\n");

      CliRun missing = CliRun.of("lanes", "--url", guarded.url(), "--token-file", tokenDataDir.resolve("nope").toString());
      CliRun blank = CliRun.of("lanes", "--url", guarded.url(), "--token-file", empty.toString());
      CliRun noInput = CliRun.withInput("", "lanes", "--url", guarded.url(), "--token-stdin");
      CliRun inner = CliRun.of("lanes", "--url", guarded.url(), "--token-file", spaced.toString());

      assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
      assertThat(missing.err()).contains("--token-file", "cannot read");
      assertThat(blank.exitCode()).as(blank.toString()).isEqualTo(2);
      assertThat(blank.err()).contains("no token on its first line").doesNotContain(TOKEN);
      assertThat(noInput.exitCode()).as(noInput.toString()).isEqualTo(2);
      assertThat(noInput.err()).contains("--token-stdin", "no token");
      assertThat(inner.exitCode()).as(inner.toString()).isEqualTo(2);
      assertThat(inner.err()).contains("spaces").doesNotContain("two words");
    }

    @Test
    void without_the_token_the_server_refuses_and_the_cli_exits_with_1() {
      CliRun run = CliRun.of("lanes", "--url", guarded.url());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.err()).startsWith("vigil: ");
    }
  }

  /**
   * The CLI against a server that answers control characters in every field it can (an old server,
   * or one that stored whatever a remote worker sent): nothing reaches the terminal raw.
   */
  @Nested
  class Against_a_server_answering_terminal_escapes {
    private static final String HOSTILE = "w" + CLEAR_AND_TITLE + "\u009b31m\r\nforged line\u202e";
    private com.sun.net.httpserver.HttpServer stub;

    @BeforeEach
    void start() throws IOException {
      stub = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
      var job = JSON.createObjectNode()
          .put("id", "j-1").put("type", "t" + HOSTILE).put("lane", "social").put("state", "dead")
          .put("attempt", 1).put("max_attempts", 1).put("correlation_id", "c" + HOSTILE)
          .put("created_at", "2026-01-01T00:00:00Z").put("finished_at", "2026-01-01T00:00:01Z")
          .put("unique_key", "k" + HOSTILE).put("result", "r" + HOSTILE);
      job.putObject("payload").put("text", "p" + HOSTILE);
      job.putArray("tags").add("tag" + HOSTILE);
      job.putObject("last_error").put("type", "E" + HOSTILE).put("message", "m" + HOSTILE);
      var attempt = job.putArray("attempts").addObject()
          .put("attempt", 1).put("outcome", "failed" + HOSTILE).put("worker_id", HOSTILE)
          .put("started_at", "2026-01-01T00:00:00Z").put("finished_at", "2026-01-01T00:00:01Z");
      attempt.putObject("error").put("type", "E" + HOSTILE).put("message", "m" + HOSTILE);
      var timeline = job.putObject("timeline").putArray("attempts").addObject()
          .put("attempt", 1).put("queue_wait_ms", 2).put("run_ms", 3).put("outcome", "failed" + HOSTILE);
      timeline.putArray("spans").addObject().put("name", "span" + HOSTILE).put("duration_ms", 4)
          .putObject("attributes").put("model" + HOSTILE, "v" + HOSTILE);
      var jobs = JSON.createObjectNode().put("next_cursor", "cur" + HOSTILE);
      jobs.putArray("jobs").add(job);
      var nodes = JSON.createObjectNode();
      nodes.putArray("nodes").addObject().put("id", "n" + HOSTILE).put("host", "h" + HOSTILE)
          .put("version", "v" + HOSTILE).put("status", "alive").put("leader", true);
      var problem = JSON.createObjectNode().put("title", "Conflict").put("status", 409)
          .put("detail", "job is " + HOSTILE);
      answer("/api/v1/jobs/j-1", 200, job);
      answer("/api/v1/jobs", 200, jobs);
      answer("/api/v1/nodes", 200, nodes);
      answer("/api/v1/jobs/j-1/cancel", 409, problem);
      stub.start();
    }

    @AfterEach
    void stop() {
      stub.stop(0);
    }

    private void answer(String path, int status, JsonNode body) {
      stub.createContext(path, exchange -> {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
          return;
        }
        // a raw C1 control inside a JSON string is valid JSON, so the stub sends one unescaped
        byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status < 400 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
    }

    private CliRun run(String... args) {
      var all = new ArrayList<>(List.of(args));
      all.add(1, "--url=http://127.0.0.1:" + stub.getAddress().getPort());
      return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void job_shows_every_field_with_its_control_characters_escaped() {
      CliRun shown = run("job", "j-1");

      assertThat(shown.exitCode()).as(shown.toString()).isZero();
      assertNoControlCharacters(shown.out());
      assertThat(shown.out())
          .contains("w\\u001b[2J\\u001b]0;title\\u0007\\u009b31m\\r\\nforged line\\u202e")
          .doesNotContain("\nforged line");
    }

    @Test
    void jobs_nodes_and_a_refusal_on_stderr_are_escaped_too() {
      for (CliRun run : List.of(run("jobs"), run("nodes"), run("cancel", "j-1"))) {
        assertNoControlCharacters(run.out());
        assertNoControlCharacters(run.err());
        assertThat(run.out() + run.err()).as(run.toString()).contains("\\u001b[2J");
      }
      assertThat(run("cancel", "j-1").err().lines()).singleElement().asString().startsWith("vigil: ");
    }

    @Test
    void json_output_stays_the_same_json_with_raw_controls_written_as_escapes() throws IOException {
      CliRun raw = run("job", "j-1", "--json");

      assertNoControlCharacters(raw.out());
      assertThat(JSON.readTree(raw.out()).path("attempts").get(0).path("worker_id").asText()).isEqualTo(HOSTILE);
    }
  }

  /** Only line ends: no ESC, BEL, CR, C1 control or other character a terminal would act on. */
  private static void assertNoControlCharacters(String text) {
    assertThat(text.chars().filter(c -> c != '\n' && dev.vigil.observe.ControlCharacters.isEscaped((char) c)))
        .as("control characters in %s", text.replace("\u001b", "<ESC>"))
        .isEmpty();
  }

  private static JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode lane(JsonNode lanes, String name) {
    for (JsonNode lane : lanes) {
      if (lane.path("name").asText().equals(name)) {
        return lane;
      }
    }
    throw new AssertionError("no lane " + name + " in " + lanes);
  }
}
