package dev.vigil.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Both log layouts, text and JSON, write only what the redactor let through. */
class RedactingAppenderTest {
  private static final List<String> PLANTED =
      List.of("ava@example.com", "415-555-0134", "4111 1111 1111 1111", "203.0.113.7", "sk-proj-4fT9aQ1zXb7LmN2pQ8rS", "hunter2");

  private final LoggerContext context = new LoggerContext();
  private final ByteArrayOutputStream text = new ByteArrayOutputStream();
  private final ByteArrayOutputStream json = new ByteArrayOutputStream();
  private RedactingAppender redacting;
  private Logger log;

  @BeforeEach
  void configure() {
    context.setMDCAdapter(MDC.getMDCAdapter());
    var pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern("%level %logger - %msg %mdc%n%ex");
    pattern.start();
    var logstash = new LogstashEncoder();
    logstash.setContext(context);
    logstash.start();

    redacting = new RedactingAppender();
    redacting.setContext(context);
    redacting.addAppender(streamAppender("text", pattern, text));
    redacting.addAppender(streamAppender("json", logstash, json));
    redacting.start();
    log = context.getLogger("dev.vigil.test");
    log.addAppender(redacting);
  }

  @AfterEach
  void stop() {
    MDC.clear();
    context.stop();
  }

  private OutputStreamAppender<ILoggingEvent> streamAppender(
      String name, Encoder<ILoggingEvent> encoder, ByteArrayOutputStream out) {
    var appender = new OutputStreamAppender<ILoggingEvent>();
    appender.setName(name);
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    return appender;
  }

  private String text() {
    return text.toString(StandardCharsets.UTF_8);
  }

  private JsonNode jsonLine() throws Exception {
    return new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
  }

  @Test
  void the_formatted_message_and_its_arguments_are_redacted_in_both_layouts() throws Exception {
    log.info("user {} called from {} with card {}", "ava@example.com", "203.0.113.7", "4111 1111 1111 1111");

    assertThat(text()).contains("user [email] called from [ip] with card [card]");
    assertThat(jsonLine().get("message").asText()).isEqualTo("user [email] called from [ip] with card [card]");
    PLANTED.forEach(p -> assertThat(text() + json).doesNotContain(p));
  }

  @Test
  void exception_messages_and_their_causes_are_redacted_in_both_layouts() throws Exception {
    var cause = new IllegalArgumentException("key sk-proj-4fT9aQ1zXb7LmN2pQ8rS refused");
    var failure = new IllegalStateException("reply to 415-555-0134 failed", cause);
    failure.addSuppressed(new RuntimeException("{\"password\":\"hunter2\"}"));

    log.warn("job failed", failure);

    assertThat(text())
        .contains("IllegalStateException: reply to [phone] failed")
        .contains("Caused by: java.lang.IllegalArgumentException: key [token] refused")
        .contains("{\"password\":\"[redacted]\"}");
    assertThat(jsonLine().get("stack_trace").asText()).contains("reply to [phone] failed", "key [token] refused");
    PLANTED.forEach(p -> assertThat(text() + json).doesNotContain(p));
  }

  @Test
  void mdc_values_and_key_value_pairs_are_redacted() throws Exception {
    MDC.put("client", "ava@example.com");
    log.atInfo().addKeyValue("from", "203.0.113.7").log("request");

    assertThat(text()).contains("client=[email]");
    JsonNode line = jsonLine();
    assertThat(line.get("client").asText()).isEqualTo("[email]");
    assertThat(line.get("from").asText()).isEqualTo("[ip]");
  }

  @Test
  void a_configured_redactor_reaches_every_redacting_appender_of_the_context() {
    int found = RedactingAppender.use(context, Redactor.builder().pattern("ORD-\\d{8}").build());

    log.info("order ORD-20261124 for ava@example.com");

    assertThat(found).isEqualTo(1);
    assertThat(text()).contains("order [redacted] for [email]");
  }
}
