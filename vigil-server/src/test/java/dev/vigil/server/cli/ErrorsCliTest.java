package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil errors} and {@code vigil error} against a live server whose handler fails. */
class ErrorsCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Clears the screen, then sets the window title: what a hostile worker's error carries. */
  private static final String CLEAR_AND_TITLE = "\u001b[2J\u001b]0;title\u0007";

  @TempDir Path dataDir;
  private VigilServer server;

  @BeforeEach
  void start() {
    server =
        VigilServer.start(
            ServerConfig.builder().port(0).dataDir(dataDir).retry(new RetryPolicy(2, Duration.ZERO, Duration.ZERO)).build(),
            engine -> engine.handler("reply", ctx -> {
              throw new IllegalStateException("no reply\nfor job " + ctx.jobId());
            }));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun vigil(String... args) {
    var all = new java.util.ArrayList<>(java.util.List.of(args));
    all.add("--url=" + server.url());
    return CliRun.of(all.toArray(String[]::new));
  }

  /** A dead reply job's error group id, once the group holds both its attempts. */
  private String failedGroup() {
    String job = server.vigil().enqueue(JobRequest.builder("reply").lane("social").build()).id();
    await().atMost(WAIT).until(() -> server.vigil().get(job).orElseThrow().state() == JobState.DEAD);
    String id = server.errorGroups().groupId("reply", server.vigil().get(job).orElseThrow().lastError());
    await().atMost(WAIT).until(() -> server.errorGroups().get(id).map(g -> g.count() >= 2).orElse(false));
    return id;
  }

  @Test
  void errors_lists_groups_and_error_shows_one_with_its_attempts() throws IOException {
    String id = failedGroup();

    CliRun list = vigil("errors");
    CliRun detail = vigil("error", id);
    CliRun json = vigil("errors", "--status", "unresolved", "--since", "1h", "--json");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out().lines().toList().get(0)).contains("ID", "STATUS", "COUNT", "24H", "LAST SEEN", "JOB TYPES", "TITLE");
    assertThat(list.out()).contains(id, "unresolved", "reply", "java.lang.IllegalStateException: no reply");
    assertThat(detail.exitCode()).as(detail.toString()).isZero();
    assertThat(detail.out())
        .contains("id", id, "culprit", "status", "unresolved", "count", "2 (2 in 24h)", "fingerprint",
            "java.lang.IllegalStateException", "JOB", "OUTCOME", "failed", "no reply for job");
    JsonNode groups = JSON.readTree(json.out()).path("groups");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).path("id").asText()).isEqualTo(id);
    assertThat(vigil("errors", "--status", "resolved").out()).contains("no error groups");
  }

  @Test
  void a_group_is_resolved_ignored_and_unresolved_from_the_command_line() throws IOException {
    String id = failedGroup();

    CliRun resolved = CliRun.of("errors", "resolve", id, "--by", "ava", "--url=" + server.url());
    CliRun listed = vigil("errors", "--status", "resolved");
    CliRun ignored = CliRun.of("errors", "ignore", id, "--url=" + server.url());
    CliRun unresolved = CliRun.of("errors", "unresolve", id, "--url=" + server.url(), "--json");

    assertThat(resolved.exitCode()).as(resolved.toString()).isZero();
    assertThat(resolved.out()).startsWith(id + "  resolved by ava  java.lang.IllegalStateException");
    assertThat(listed.out()).contains(id);
    assertThat(ignored.out()).startsWith(id + "  ignored");
    assertThat(JSON.readTree(unresolved.out()).path("status").asText()).isEqualTo("unresolved");
    assertThat(server.errorGroups().get(id).orElseThrow().status().wireName()).isEqualTo("unresolved");
  }

  @Test
  void an_unknown_group_exits_with_3_and_a_bad_status_with_1() {
    CliRun unknown = vigil("error", "0000000000000000");
    CliRun resolve = CliRun.of("errors", "resolve", "0000000000000000", "--url=" + server.url());
    CliRun bad = vigil("errors", "--status", "open");

    assertThat(unknown.exitCode()).isEqualTo(3);
    assertThat(unknown.err().lines()).singleElement().asString().startsWith("vigil: ");
    assertThat(resolve.exitCode()).isEqualTo(3);
    assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
    assertThat(bad.err()).contains("status");
    assertThat(vigil("errors", "--since", "yesterday").exitCode()).isEqualTo(2);
  }

  @Test
  void a_remote_errors_terminal_escapes_are_escaped_in_both_views() throws Exception {
    String job = server.vigil().enqueue(JobRequest.builder("hostile").lane("cognition").build()).id();
    var claimed = server.vigil().claim(new dev.vigil.job.WorkerClaim(
        "py-hostile", java.util.List.of("cognition"), java.util.Set.of("hostile"), 1, Duration.ZERO, Duration.ofSeconds(30)));
    var error = new dev.vigil.job.JobError("Hostile" + CLEAR_AND_TITLE, "boom" + CLEAR_AND_TITLE + "\r\nforged line", null);
    server.vigil().fail(job, claimed.get(0).leaseToken(), error, false);
    String id = server.errorGroups().groupId("hostile", server.vigil().get(job).orElseThrow().lastError());
    await().atMost(WAIT).until(() -> server.errorGroups().get(id).isPresent());

    CliRun list = vigil("errors");
    CliRun detail = vigil("error", id);
    CliRun json = vigil("error", id, "--json");

    for (CliRun run : java.util.List.of(list, detail, json)) {
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(run.out().chars().filter(c -> c != '\n' && dev.vigil.observe.ControlCharacters.isEscaped((char) c)))
          .as("control characters in %s", run.out().replace("\u001b", "<ESC>"))
          .isEmpty();
    }
    assertThat(list.out()).contains("Hostile\\u001b[2J\\u001b]0;title\\u0007: boom");
    assertThat(detail.out()).contains("Hostile\\u001b[2J\\u001b]0;title\\u0007").doesNotContain("\nforged line");
    ObjectNode parsed = (ObjectNode) JSON.readTree(json.out());
    assertThat(parsed.path("error_type").asText()).isEqualTo("Hostile" + CLEAR_AND_TITLE);
  }

  @Test
  void the_subcommands_have_help() {
    for (String sub : java.util.List.of("resolve", "ignore", "unresolve")) {
      CliRun help = CliRun.of("errors", sub, "--help");
      assertThat(help.exitCode()).as(sub).isZero();
      assertThat(help.out()).contains("Usage: vigil errors " + sub, "--by");
    }
    assertThat(CliRun.of("errors", "--help").out()).contains("resolve", "ignore", "unresolve", "--status");
  }
}
