package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Vigil;
import dev.vigil.job.JobState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The server masks its own secrets and the secrets of issue 11 end to end: a handler that logs and
 * throws them leaves neither in a log line (both formats) nor in the error stored behind the API.
 * The redactor is the one {@link ServerConfig#redactor()} builds, as {@code vigil server} installs.
 */
class ConfiguredSecretsServerTest extends ServerTestSupport {
  private static final String API_TOKEN = "vgl-0123456789abcdef";
  private static final String PG_PASSWORD = "pg-Secret-4711";
  private static final String PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
  private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private static final String UNSIGNED_JWT = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhdmEifQ.";
  private static final String URL_PASSWORD = "hunter2-horse";
  private static final String HF_TOKEN = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  private static final List<String> PLANTED =
      List.of(API_TOKEN, PG_PASSWORD, PEM_BODY, AWS_SECRET, UNSIGNED_JWT, URL_PASSWORD, HF_TOKEN);

  private static final String LEAK =
      "token " + API_TOKEN + ", db password " + PG_PASSWORD + ", key -----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY
          + "\n-----END RSA PRIVATE KEY-----, aws_secret_access_key: " + AWS_SECRET + ", jwt " + UNSIGNED_JWT
          + " via postgres://app:" + URL_PASSWORD + "@db:5432/jobs, hf " + HF_TOKEN;

  private LogCapture logs;

  @Override
  protected ServerConfig.Builder configure(ServerConfig.Builder b) {
    return b.apiToken(API_TOKEN).postgres(PostgresSettings.DEFAULTS.withCredentials("app", PG_PASSWORD));
  }

  @Override
  protected void customise(Vigil.Builder engine) {
    engine.handler(
        "leaky",
        ctx -> {
          LoggerFactory.getLogger("dev.vigil.demo.Leaky").warn("calling with {}", LEAK);
          throw new IllegalStateException(LEAK);
        });
    engine.retryPolicy("leaky", new dev.vigil.job.RetryPolicy(1, Duration.ZERO, Duration.ZERO));
  }

  @BeforeEach
  void captureLogs() {
    logs = LogCapture.start(server.config().redactor());
  }

  @AfterEach
  void stopCapture() {
    logs.close();
  }

  @Test
  void configured_and_shaped_secrets_reach_no_log_line_and_no_stored_error() {
    String id = enqueue("leaky", "background").get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> server.vigil().get(id).orElseThrow().state() == JobState.DEAD);
    await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("calling with"));

    String stored = api.get("/api/v1/jobs/" + id).text();
    for (String secret : PLANTED) {
      assertThat(logs.text()).as("text logs").doesNotContain(secret);
      assertThat(logs.json()).as("JSON logs").doesNotContain(secret);
      assertThat(stored).as("stored error").doesNotContain(secret);
    }
    // not vacuous: the line and the error were written, with their masks
    assertThat(logs.text()).contains("token [secret], db password [secret], key [private key]", "postgres://app:[redacted]@db");
    assertThat(stored).contains("[secret]", "[private key]", "aws_secret_access_key: [token]", "jwt [token]", "hf [token]");
  }
}
