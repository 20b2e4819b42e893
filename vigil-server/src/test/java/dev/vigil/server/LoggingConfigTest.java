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
