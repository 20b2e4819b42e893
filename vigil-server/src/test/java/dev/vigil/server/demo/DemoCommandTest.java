package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.cli.VigilCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

  @TempDir Path dataDir;

  /** A demo run through the command line, with its own environment, exit code and output. */
  private record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private static Run run(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    CommandLine cli = VigilCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    demoOf(cli).env = env;
    int exit = cli.execute(Stream.concat(Stream.of("demo"), Stream.of(args)).toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** The demo's configuration for these flags and this environment, without starting anything. */
  private static ServerConfig settings(Map<String, String> env, String... args) {
    CommandLine cli = VigilCli.commandLine();
    DemoCommand demo = demoOf(cli);
    demo.env = env;
    cli.parseArgs(Stream.concat(Stream.of("demo"), Stream.of(args)).toArray(String[]::new));
    return demo.settings();
  }

  private static DemoCommand demoOf(CommandLine cli) {
    return cli.getSubcommands().get("demo").getCommand();
  }

  private Path yaml(String text) throws IOException {
    return Files.writeString(dataDir.resolve("vigil.yaml"), text);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

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

  @Test
  void the_demo_listens_where_the_environment_says_keeps_vigil_yaml_and_lets_its_flags_win()
      throws Exception {
    int port = freePort();
    Path config =
        yaml(
            """
            server:
              port: 1
            data_dir: %s
            engine:
              shutdown_grace_ms: 0
            """
                .formatted(dataDir.resolve("from-yaml")));
    Map<String, String> env =
        Map.of("VIGIL_PORT", Integer.toString(port), "VIGIL_DATA_DIR", dataDir.resolve("from-env").toString());

    Run run =
        run(
            env,
            "--config", config.toString(),
            "--data-dir", dataDir.resolve("from-flag").toString(),
            "--verbose",
            "--stop-after", "1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .as("the environment's port over the file's")
        .contains("Vigil demo running on http://127.0.0.1:" + port + " ");
    assertThat(dataDir.resolve("from-flag/vigil.db")).as("the flag's directory over both").exists();
    assertThat(dataDir.resolve("from-env")).doesNotExist();
    assertThat(dataDir.resolve("from-yaml")).doesNotExist();
    assertThat(run.out()).as("the file's shutdown grace over the demo's own").contains("running jobs get 0 s");
  }

  @Test
  void without_flags_the_demo_reads_vigil_yaml_and_the_environment_as_the_server_does() throws IOException {
    Path config = yaml("server:\n  port: 9191\ndata_dir: " + dataDir.resolve("from-yaml") + "\nengine:\n  workers: 4\n");

    ServerConfig c = settings(Map.of("VIGIL_PORT", "9292"), "--config", config.toString());

    assertThat(c.port()).isEqualTo(9292);
    assertThat(c.dataDir()).isEqualTo(dataDir.resolve("from-yaml"));
    assertThat(c.workers()).isEqualTo(4);
    assertThat(c).isEqualTo(ServerConfig.load(config, Map.of("VIGIL_PORT", "9292")).toBuilder()
        .shutdownGrace(DemoCommand.SHUTDOWN_GRACE)
        .build());
  }

  @Test
  void flags_win_over_the_environment_and_vigil_yaml() throws IOException {
    Path config = yaml("server:\n  port: 9191\ndata_dir: " + dataDir.resolve("from-yaml") + "\n");
    Map<String, String> env = Map.of("VIGIL_PORT", "9292", "VIGIL_DATA_DIR", dataDir.resolve("from-env").toString());

    ServerConfig c =
        settings(env, "--config", config.toString(), "--port", "0", "--data-dir", dataDir.resolve("from-flag").toString());

    assertThat(c.port()).isZero();
    assertThat(c.dataDir()).isEqualTo(dataDir.resolve("from-flag"));
  }

  @Test
  void where_nothing_is_configured_the_demo_keeps_its_own_defaults() throws IOException {
    Path empty = yaml("");

    ServerConfig c = settings(Map.of(), "--config", empty.toString());
    ServerConfig grace = settings(Map.of("VIGIL_SHUTDOWN_GRACE_MS", "10000"), "--config", empty.toString());

    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("vigil-data"));
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.logFormat()).as("text, the demo's own, unless configured").isNull();
    assertThat(grace.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void a_bad_configuration_stops_the_demo_in_one_line_before_anything_starts() throws IOException {
    Path empty = yaml("");

    Run badPort = run(Map.of("VIGIL_PORT", "70000"), "--config", empty.toString());
    Run noFile = run(Map.of(), "--config", dataDir.resolve("missing.yaml").toString());
    Run badFlag = run(Map.of(), "--config", empty.toString(), "--port", "70000");
    Run freshPostgres =
        run(
            Map.of("VIGIL_STORE", "postgres", "VIGIL_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:1/vigil"),
            "--config", empty.toString(),
            "--fresh");

    assertThat(badPort.exitCode()).as(badPort.toString()).isEqualTo(1);
    assertThat(badPort.err())
        .startsWith("vigil: bad configuration: VIGIL_PORT (server.port): must be between 0 and 65535 (got 70000)");
    assertThat(noFile.exitCode()).as(noFile.toString()).isEqualTo(2);
    assertThat(noFile.err()).startsWith("vigil: --config: no such file: ");
    assertThat(badFlag.exitCode()).as(badFlag.toString()).isEqualTo(2);
    assertThat(badFlag.err()).startsWith("vigil: --port: must be between 0 and 65535 (got 70000)");
    assertThat(freshPostgres.exitCode()).as(freshPostgres.toString()).isEqualTo(2);
    assertThat(freshPostgres.err()).startsWith("vigil: --fresh: deletes the SQLite database only");
    assertThat(Stream.of(badPort, noFile, badFlag, freshPostgres).map(Run::out)).allMatch(String::isEmpty);
  }
}
