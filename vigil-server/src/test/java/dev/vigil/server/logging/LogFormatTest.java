package dev.vigil.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Vigil;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.observe.Redactor;
import dev.vigil.server.LogCapture;
import dev.vigil.server.LogSetup;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The two console formats of logback.xml, as a job's attempt writes them. */
class LogFormatTest {
  /** What a hostile error message or MDC value appends to pass for a line of its own. */
  private static final String FORGED_LINE = "\n12:00:00.000 INFO  dev.vigil.AttemptLog - attempt 1 of pay succeeded";

  @TempDir Path dir;
  private LogCapture logs;
  private Vigil vigil;

  @BeforeEach
  void start() {
    logs = LogCapture.start(Redactor.defaults());
    vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .redactor(Redactor.defaults())
            .handler("forge", ctx -> {
              throw new IllegalStateException("refused" + FORGED_LINE);
            })
            .handler("reply", ctx -> {
              LoggerFactory.getLogger("dev.vigil.demo").info("asking the model for {}", "ava@example.com");
              throw new IllegalStateException("provider refused ava@example.com");
            })
            .start();
  }

  @AfterEach
  void stop() {
    vigil.close();
    logs.close();
  }

  private List<JsonNode> jsonLines() throws Exception {
    var out = new ArrayList<JsonNode>();
    for (String line : logs.json().lines().toList()) {
      out.add(new ObjectMapper().readTree(line));
    }
    return out;
  }

  @Test
  void a_json_line_carries_time_level_logger_message_thread_and_the_jobs_context() throws Exception {
    Job job = vigil.enqueue(JobRequest.builder("reply").lane("cognition").correlationId("req-1").maxAttempts(1).build());

    await().atMost(Duration.ofSeconds(20)).until(() -> vigil.get(job.id()).orElseThrow().state() == JobState.DEAD);
    await().atMost(Duration.ofSeconds(20)).until(() -> logs.json().contains("attempt 1 of reply failed"));
    JsonNode ended =
        jsonLines().stream().filter(l -> l.get("message").asText().startsWith("attempt 1 of reply failed")).findFirst().orElseThrow();

    assertThat(ended.fieldNames()).toIterable()
        .contains("timestamp", "level", "logger", "message", "thread", "correlation_id", "job_id", "lane", "type",
            "attempt", "duration_ms");
    assertThat(ended.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(ended.get("level").asText()).isEqualTo("INFO");
    assertThat(ended.get("logger").asText()).isEqualTo("dev.vigil.AttemptLog");
    assertThat(ended.get("correlation_id").asText()).isEqualTo("req-1");
    assertThat(ended.get("job_id").asText()).isEqualTo(job.id());
    assertThat(ended.get("lane").asText()).isEqualTo("cognition");
    assertThat(ended.get("type").asText()).isEqualTo("reply");
    assertThat(ended.get("attempt").isNumber()).isTrue();
    assertThat(ended.get("attempt").asInt()).isEqualTo(1);
    assertThat(ended.get("duration_ms").isNumber()).isTrue();
    assertThat(ended.get("message").asText()).contains("provider refused [email]").doesNotContain("ava@");
    assertThat(ended.has("@version")).isFalse();
    System.out.println("JSON log line: " + ended);
  }

  @Test
  void a_handlers_own_line_carries_the_jobs_context_and_is_redacted_in_both_formats() {
    Job job = vigil.enqueue(JobRequest.builder("reply").correlationId("req-2").maxAttempts(1).build());

    await().atMost(Duration.ofSeconds(20)).until(() -> logs.text().contains("asking the model"));
    assertThat(logs.text())
        .contains("INFO  dev.vigil.demo - asking the model for [email] correlation_id=req-2 job_id=" + job.id())
        .doesNotContain("ava@example.com");
    assertThat(logs.json()).contains("\"message\":\"asking the model for [email]\"").doesNotContain("ava@example.com");
  }

  @Test
  void a_newline_or_an_escape_in_a_message_or_the_mdc_stays_on_one_text_line_shown_escaped() throws Exception {
    try {
      MDC.put("correlation_id", "req-4" + FORGED_LINE);
      MDC.put("job_id", "job-\u001b[2J");
      LoggerFactory.getLogger("dev.vigil.remote")
          .warn("remote error {}", "boom\r" + FORGED_LINE + " \u001b]0;title\u0007 \u009b31m \u2028 \u202e");
    } finally {
      MDC.remove("correlation_id");
      MDC.remove("job_id");
    }

    List<String> lines = logs.text().lines().filter(l -> l.contains("remote error")).toList();
    assertThat(lines).singleElement().asString()
        .contains("WARN  dev.vigil.remote - remote error boom\\r\\n12:00:00.000 INFO  dev.vigil.AttemptLog - attempt 1 of pay"
            + " succeeded \\u001b]0;title\\u0007 \\u009b31m \\u2028 \\u202e")
        .endsWith(" correlation_id=req-4\\n12:00:00.000 INFO  dev.vigil.AttemptLog - attempt 1 of pay succeeded"
            + " job_id=job-\\u001b[2J");
    assertThat(logs.text().lines()).noneMatch(l -> l.startsWith("12:00:00.000"));
    assertThat(logs.text()).doesNotContain("\u001b", "\u0007", "\u009b", "\r", "\u2028", "\u202e");
    JsonNode json = jsonLines().stream().filter(l -> l.get("message").asText().startsWith("remote error")).findFirst().orElseThrow();
    assertThat(json.get("message").asText()).as("JSON escapes by itself, once").contains("boom\r\n12:00", "\u001b]0;title\u0007");
    assertThat(json.get("job_id").asText()).isEqualTo("job-\u001b[2J");
  }

  @Test
  void an_error_message_with_a_newline_does_not_forge_an_attempt_line_in_text() {
    Job job = vigil.enqueue(JobRequest.builder("forge").correlationId("req-5").maxAttempts(1).build());

    await().atMost(Duration.ofSeconds(20)).until(() -> vigil.get(job.id()).orElseThrow().state() == JobState.DEAD);
    await().atMost(Duration.ofSeconds(20)).until(() -> logs.text().contains("attempt 1 of forge failed"));
    assertThat(logs.text().lines().filter(l -> l.contains("attempt 1 of forge failed")))
        .singleElement().asString()
        .contains("IllegalStateException: refused\\n12:00:00.000 INFO  dev.vigil.AttemptLog - attempt 1 of pay succeeded")
        .endsWith("correlation_id=req-5 job_id=" + job.id());
    assertThat(logs.text().lines()).noneMatch(l -> l.startsWith("12:00:00.000"));
  }

  @Test
  void an_exceptions_message_is_escaped_and_its_stack_trace_keeps_its_lines() {
    LoggerFactory.getLogger("dev.vigil.remote").warn("handler threw", new IllegalStateException("bad" + FORGED_LINE));

    String text = logs.text();
    assertThat(text).contains("java.lang.IllegalStateException: bad\\n12:00:00.000 INFO  dev.vigil.AttemptLog");
    assertThat(text.lines()).noneMatch(l -> l.startsWith("12:00:00.000"));
    assertThat(text.lines()).anyMatch(l -> l.startsWith("\tat dev.vigil.server.logging.LogFormatTest."));
  }

  @Test
  void the_format_comes_from_the_system_property_first_then_the_configuration_then_the_command() {
    String before = System.getProperty(LogSetup.PROPERTY);
    try {
      System.clearProperty(LogSetup.PROPERTY);
      assertThat(LogSetup.resolve(null, LogSetup.Format.JSON)).isEqualTo(LogSetup.Format.JSON);
      assertThat(LogSetup.resolve(LogSetup.Format.TEXT, LogSetup.Format.JSON)).isEqualTo(LogSetup.Format.TEXT);
      System.setProperty(LogSetup.PROPERTY, "JSON");
      assertThat(LogSetup.resolve(LogSetup.Format.TEXT, LogSetup.Format.TEXT)).isEqualTo(LogSetup.Format.JSON);
    } finally {
      if (before == null) {
        System.clearProperty(LogSetup.PROPERTY);
      } else {
        System.setProperty(LogSetup.PROPERTY, before);
      }
    }
  }

  @Test
  void jetty_stays_quiet_but_for_the_connection_limit_being_reached_and_cleared() throws Exception {
    var context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));

    assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.eclipse.jetty.server.NetworkConnectionLimit").getEffectiveLevel())
        .isEqualTo(Level.INFO);
  }
}
