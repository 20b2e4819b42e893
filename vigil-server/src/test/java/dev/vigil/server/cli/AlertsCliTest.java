package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.job.JobError;
import dev.vigil.job.JobRequest;
import dev.vigil.job.RetryPolicy;
import dev.vigil.job.WorkerClaim;
import dev.vigil.observe.ControlCharacters;
import dev.vigil.server.AlertSettings;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil alerts}, {@code alerts history}, {@code alerts rules}, {@code silence}, {@code
 * silences} and {@code unsilence} against a live server that evaluates every second, with a rules
 * file whose rule fires as soon as a new error group appears (in place of the built-in one).
 */
class AlertsCliTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Clears the screen, then sets the window title: what a hostile worker's error carries. */
  private static final String CLEAR_AND_TITLE = "\u001b[2J\u001b]0;title\u0007";
  private static final String RULES =
      """
      defaults: {disable: [VigilNewErrorGroup]}
      rules:
        - name: NewFailure
          kind: new_error_group
          for: 0s
          severity: ticket
          annotations: {summary: "A new kind of failure"}
      """;

  @TempDir Path dataDir;
  private Path rulesFile;
  private VigilServer server;

  @BeforeEach
  void start() throws IOException {
    rulesFile = Files.writeString(dataDir.resolve("alerts.yaml"), RULES);
    server =
        VigilServer.start(
            ServerConfig.builder()
                .port(0)
                .dataDir(dataDir.resolve("data"))
                .retry(new RetryPolicy(1, Duration.ZERO, Duration.ZERO))
                .alerts(new AlertSettings(true, rulesFile, Duration.ofSeconds(1)))
                .build(),
            engine -> engine.handler("reply", ctx -> {
              throw new IllegalStateException("no reply");
            }));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private CliRun vigil(String... args) {
    var all = new ArrayList<>(List.of(args));
    all.add("--url=" + server.url());
    return CliRun.of(all.toArray(String[]::new));
  }

  private static JsonNode json(CliRun run) throws IOException {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return JSON.readTree(run.out());
  }

  /** The output of {@code vigil alerts} once it shows a firing alert. */
  private CliRun firing() {
    return await().atMost(WAIT).until(
        () -> vigil("alerts"), run -> run.out().lines().anyMatch(l -> l.startsWith("NewFailure") && l.contains("firing")));
  }

  @Test
  void a_quiet_server_has_no_alerts_and_lists_the_built_in_rules_with_the_files() {
    CliRun alerts = vigil("alerts");
    CliRun rules = vigil("alerts", "rules");

    assertThat(alerts.exitCode()).as(alerts.toString()).isZero();
    assertThat(alerts.out()).isEqualTo("no alerts\n");
    assertThat(alerts.err()).isEmpty();
    assertThat(rules.exitCode()).as(rules.toString()).isZero();
    assertThat(rules.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("NAME").contains("KIND", "SEVERITY", "FOR", "HEALTH", "LAST ERROR"));
    assertThat(rules.out().lines())
        .anySatisfy(l -> assertThat(l).startsWith("VigilChatQueueWaitHigh").contains("threshold", "page", "5m", "ok"))
        .anySatisfy(l -> assertThat(l).startsWith("NewFailure").contains("new_error_group", "ticket", "0s", "ok"))
        .noneSatisfy(l -> assertThat(l).contains("refused"));
  }

  @Test
  void a_failing_job_fires_an_alert_that_alerts_and_its_history_show() throws IOException {
    server.vigil().enqueue(JobRequest.builder("reply").lane("social").build());

    CliRun alerts = firing();
    CliRun history =
        await().atMost(WAIT).until(() -> vigil("alerts", "history", "--since", "-24h"), run -> run.out().contains("NewFailure"));
    JsonNode events = json(vigil("alerts", "history", "--since", "1h", "--limit", "5", "--json")).path("events");

    assertThat(alerts.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("RULE").contains("STATE", "SEVERITY", "LABELS", "VALUE", "SINCE", "SUMMARY"));
    assertThat(alerts.out().lines().skip(1))
        .as("the built-in rules on dead jobs may go pending meanwhile; this row is the file's rule")
        .filteredOn(line -> line.startsWith("NewFailure"))
        .singleElement()
        .asString()
        .startsWith("NewFailure")
        .contains("firing", "ticket", "error_type=java.lang.IllegalStateException", " ago", "A new kind of failure")
        .doesNotContain("alertname=", "severity=");
    assertThat(history.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("AT").contains("RULE", "STATE", "LABELS", "VALUE", "FIRED FOR"));
    assertThat(history.out()).contains("NewFailure", "firing", "error_type=java.lang.IllegalStateException");
    assertThat(events).isNotEmpty();
    assertThat(events).extracting(e -> e.path("rule").asText()).contains("NewFailure");
  }

  @Test
  void a_silence_is_created_listed_and_ended() throws IOException {
    CliRun created = vigil("silence", "NewFailure", "--for", "1h", "--comment", "deploying", "--match", "lane=social");
    String id = created.out().split(" ")[0];

    CliRun listed = vigil("silences");
    JsonNode silences = json(vigil("silences", "--json")).path("silences");
    CliRun ended = vigil("unsilence", id);
    CliRun afterwards = vigil("silences");
    CliRun again = vigil("unsilence", id);

    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).matches("[0-9a-f-]{36}  silenced until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\n");
    assertThat(listed.out().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("ID").contains("RULE", "MATCHERS", "ENDS", "COMMENT"));
    assertThat(listed.out()).contains(id, "NewFailure", "lane=social", "(in 59m", "deploying");
    assertThat(silences).singleElement().satisfies(s -> {
      assertThat(s.path("rule").asText()).isEqualTo("NewFailure");
      assertThat(s.path("matchers").path("lane").asText()).isEqualTo("social");
    });
    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(ended.out()).isEqualTo(id + "  ended\n");
    assertThat(afterwards.out()).isEqualTo("no silences\n");
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err().lines()).singleElement().asString().startsWith("vigil: ").contains(id);
  }

  @Test
  void matchers_alone_silence_any_rule_and_json_prints_the_answer() throws IOException {
    JsonNode created = json(vigil("silence", "--match", "error_type=Timeout", "--match", "lane=social", "--for", "30s", "--json"));
    CliRun ended = vigil("unsilence", created.path("id").asText(), "--json");

    assertThat(created.path("ends_at").asText()).isNotEmpty();
    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(ended.out()).isEmpty();
  }

  @Test
  void bad_silences_are_refused_in_one_line_and_nothing_is_created() {
    for (String bad : List.of("soon", "1 hour", "0s", "500ms", "367d", "-1h")) {
      CliRun run = vigil("silence", "NewFailure", "--for", bad);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
      assertThat(run.err().lines().findFirst())
          .hasValue("vigil: --for wants a duration from 1s to 366d such as 30s, 15m, 1h or 2d, not '" + bad + "'");
    }
    CliRun noTarget = vigil("silence", "--for", "1h");
    CliRun noFor = vigil("silence", "NewFailure");
    CliRun badMatch = vigil("silence", "NewFailure", "--for", "1h", "--match", "lane");
    CliRun unknownRule = vigil("silence", "NoSuchRule", "--for", "1h");

    assertThat(noTarget.exitCode()).isEqualTo(2);
    assertThat(noTarget.err()).startsWith("vigil: name a RULE, give --match LABEL=VALUE, or both\n");
    assertThat(noFor.exitCode()).isEqualTo(2);
    assertThat(noFor.err()).contains("--for");
    assertThat(badMatch.exitCode()).isEqualTo(2);
    assertThat(unknownRule.exitCode()).as(unknownRule.toString()).isEqualTo(1);
    assertThat(unknownRule.err().lines()).singleElement().asString()
        .startsWith("vigil: ").contains("rule must name a rule that runs");
    assertThat(vigil("silences").out()).isEqualTo("no silences\n");
  }

  @Test
  void a_refused_rules_file_is_a_warning_on_alerts_and_a_line_under_the_rules() throws IOException {
    Files.writeString(rulesFile, "rules: [{name: Broken, kind: spike}]\n");

    CliRun rules = await().atMost(WAIT).until(() -> vigil("alerts", "rules"), run -> run.out().contains("refused"));
    CliRun alerts = vigil("alerts");
    CliRun json = vigil("alerts", "--json");

    assertThat(rules.out()).contains("NewFailure");
    assertThat(rules.out().lines().toList().getLast())
        .startsWith("rules file refused, the rules running stay: " + rulesFile + ": rules[0].kind: must be one of");
    assertThat(alerts.exitCode()).as(alerts.toString()).isZero();
    assertThat(alerts.out()).isEqualTo("no alerts\n");
    assertThat(alerts.err().lines()).singleElement().asString()
        .startsWith("vigil: warning: rules file refused, the rules running stay: ");
    assertThat(json.err()).contains("vigil: warning: rules file refused");
    assertThat(JSON.readTree(json.out()).path("alerts")).isEmpty();
  }

  @Test
  void a_remote_errors_terminal_escapes_are_escaped_in_the_alerts_labels() throws Exception {
    String job = server.vigil().enqueue(JobRequest.builder("hostile").lane("cognition").build()).id();
    var claimed = server.vigil().claim(new WorkerClaim(
        "py-hostile", List.of("cognition"), Set.of("hostile"), 1, Duration.ZERO, Duration.ofSeconds(30)));
    server.vigil().fail(job, claimed.get(0).leaseToken(), new JobError("Hostile" + CLEAR_AND_TITLE, "boom", null), false);

    CliRun alerts = firing();
    CliRun history = await().atMost(WAIT).until(() -> vigil("alerts", "history"), run -> run.out().contains("NewFailure"));
    JsonNode json = json(vigil("alerts", "--json"));

    for (CliRun run : List.of(alerts, history)) {
      assertThat(run.out().chars().filter(c -> c != '\n' && ControlCharacters.isEscaped((char) c)))
          .as("control characters in %s", run.out().replace("\u001b", "<ESC>"))
          .isEmpty();
      assertThat(run.out()).contains("error_type=Hostile\\u001b[2J\\u001b]0;title\\u0007");
    }
    assertThat(json.path("alerts").get(0).path("labels").path("error_type").asText()).isEqualTo("Hostile" + CLEAR_AND_TITLE);
  }

  @Test
  void the_commands_have_help() {
    assertThat(CliRun.of("alerts", "--help").out()).contains("Usage: vigil alerts", "history", "rules");
    assertThat(CliRun.of("alerts", "history", "--help").out()).contains("Usage: vigil alerts history", "--since", "--limit");
    assertThat(CliRun.of("alerts", "rules", "--help").out()).contains("Usage: vigil alerts rules");
    assertThat(CliRun.of("silence", "--help").out()).contains("Usage: vigil silence", "--for", "--match", "--comment");
    assertThat(CliRun.of("unsilence", "--help").out()).contains("Usage: vigil unsilence", "ID");
    assertThat(CliRun.of("--help").out()).contains("alerts", "silence", "silences", "unsilence");
  }
}
