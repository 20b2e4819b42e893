package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code logging.*} and {@code redaction.*} keys. */
class LoggingConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    return Files.writeString(dir.resolve("vigil.yaml"), text);
  }

  @Test
  void by_default_the_command_chooses_the_format_and_only_the_built_in_rules_apply() {
    ServerConfig c = ServerConfig.load(null, Map.of());

    assertThat(c.logFormat()).isNull();
    assertThat(c.redaction()).isEqualTo(RedactionSettings.DEFAULTS);
    assertThat(c.redaction().redactor().redact("mail ava@example.com")).isEqualTo("mail [email]");
  }

  @Test
  void the_format_and_the_rules_are_read_from_the_file() throws IOException {
    ServerConfig c =
        ServerConfig.load(
            yaml(
                """
                logging:
                  format: text
                redaction:
                  patterns: ['ORD-\\d{8}', 'customer=(\\w+)', 'x{2,3}y']
                  json_fields: [diagnosis, notes]
                  disabled_detectors: [ipv4]
                """),
            Map.of());

    assertThat(c.logFormat()).isEqualTo(LogSetup.Format.TEXT);
    assertThat(c.redaction().patterns()).containsExactly("ORD-\\d{8}", "customer=(\\w+)", "x{2,3}y");
    var redactor = c.redaction().redactor();
    assertThat(redactor.redact("ORD-20261124 customer=ava from 10.1.2.3 {\"diagnosis\":\"flu\"}"))
        .isEqualTo("[redacted] customer=[redacted] from 10.1.2.3 {\"diagnosis\":\"[redacted]\"}");
  }

  @Test
  void every_configured_secret_is_masked_wherever_it_appears_but_short_ones_are_not() throws IOException {
    ServerConfig c =
        ServerConfig.load(
            yaml(
                """
                server:
                  api_token: vgl-0123456789abcdef
                postgres:
                  password: pg-Secret-4711
                metrics:
                  influx:
                    token: influx-token-abcdef
                    password: short
                  otlp:
                    headers: "api-key=otlp-key-123456,x-tenant=acme"
                """),
            Map.of());

    assertThat(c.secrets())
        .containsExactly("vgl-0123456789abcdef", "pg-Secret-4711", "influx-token-abcdef", "short", "otlp-key-123456", "acme");
    assertThat(c.redactor().redact("401 for vgl-0123456789abcdef; db pg-Secret-4711; influx influx-token-abcdef; otlp otlp-key-123456"))
        .isEqualTo("401 for [secret]; db [secret]; influx [secret]; otlp [secret]");
    assertThat(c.redactor().redact("a short reply for acme")).isEqualTo("a short reply for acme");
    assertThat(c.redaction().redactor().redact("db pg-Secret-4711")).isEqualTo("db pg-Secret-4711");
  }

  @Test
  void a_password_in_the_postgres_url_is_a_configured_secret_too() {
    ServerConfig c =
        ServerConfig.builder()
            .store(ServerConfig.StoreKind.POSTGRES)
            .postgres(PostgresSettings.DEFAULTS.withUrl("jdbc:postgresql://db:5432/vigil?user=app&password=url-Secret-99"))
            .build();

    assertThat(c.secrets()).containsExactly("url-Secret-99");
    assertThat(c.redactor().redact("auth failed: url-Secret-99")).isEqualTo("auth failed: [secret]");
  }

  @Test
  void environment_variables_set_the_format_fields_and_detectors() {
    ServerConfig c =
        ServerConfig.load(
            null,
            Map.of(
                "VIGIL_LOG_FORMAT", "JSON",
                "VIGIL_REDACTION_JSON_FIELDS", "diagnosis,notes",
                "VIGIL_REDACTION_DISABLED_DETECTORS", "ipv4,ipv6"));

    assertThat(c.logFormat()).isEqualTo(LogSetup.Format.JSON);
    assertThat(c.redaction().jsonFields()).containsExactly("diagnosis", "notes");
    assertThat(c.redaction().disabledDetectors()).containsExactly("ipv4", "ipv6");
  }

  @Test
  void bad_values_are_refused_naming_the_key() throws IOException {
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("VIGIL_LOG_FORMAT", "xml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("VIGIL_LOG_FORMAT (logging.format): must be json or text (got 'xml')");
    assertThatThrownBy(() -> ServerConfig.load(yaml("redaction:\n  patterns: ['(']\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("redaction.patterns[0]: not a valid regular expression");
    assertThatThrownBy(() -> ServerConfig.load(yaml("redaction:\n  patterns: 'ORD-\\d+'\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("redaction.patterns: must be a list of regular expressions");
    assertThatThrownBy(() -> ServerConfig.load(yaml("redaction:\n  disabled_detectors: [ssn]\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("redaction.disabled_detectors[0]: unknown detector 'ssn'");
    assertThatThrownBy(() -> ServerConfig.load(yaml("logging:\n  level: debug\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("logging.level: unknown key");
  }
}
