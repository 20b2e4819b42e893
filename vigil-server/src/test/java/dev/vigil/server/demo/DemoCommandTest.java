package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.cli.VigilCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @TempDir Path dataDir;

  @Test
  void the_demo_prints_its_url_and_curl_commands_then_status_lines_and_stops_with_exit_0()
      throws Exception {
    Files.writeString(dataDir.resolve("vigil.db"), "not a database: --fresh must delete it");
    Files.writeString(dataDir.resolve("notes.txt"), "kept");
    var out = new StringWriter();
    var err = new StringWriter();

    int exit =
        VigilCli.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                "demo",
                "--fresh",
                "--verbose",
                "--port",
                "0",
                "--data-dir",
                dataDir.toString(),
                "--stop-after",
                "2");

    assertThat(exit).as("stdout:\n%s\nstderr:\n%s", out, err).isZero();
    assertThat(out.toString())
        .containsPattern("Vigil demo running on http://127\\.0\\.0\\.1:\\d+")
        .contains(
            "curl -s -X POST", "/api/v1/jobs/", "/api/v1/lanes", "jobs/s", "cognition", "stopped");
    assertThat(out.toString().lines().filter(l -> l.contains("jobs/s |")))
        .hasSizeGreaterThanOrEqualTo(1);
    assertThat(dataDir.resolve("notes.txt")).exists();
  }
}
