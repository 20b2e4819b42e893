package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.Vigil;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code examples/python_worker.py} as a real subprocess against a live server. */
class PythonWorkerTest {
  private static final String TYPE = "summarise";

  @TempDir Path dataDir;
  private VigilServer server;
  private Vigil vigil;

  @BeforeEach
  void start() {
    assumeTrue(python() != null, "python3 is not installed");
    server =
        VigilServer.start(ServerConfig.builder().port(0).dataDir(dataDir).build(), builder -> {});
    vigil = server.vigil();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_worker_completes_jobs_and_fails_the_ones_flagged_to_fail() throws Exception {
    Job ok1 = enqueue(Map.of("text", "a"), 3);
    Job ok2 = enqueue(Map.of("text", "b"), 3);
    Job retryable = enqueue(Map.of("fail", "retryable"), 3);
    Job permanent = enqueue(Map.of("fail", "permanent"), 3);
    Job lastAttempt = enqueue(Map.of("fail", "retryable"), 1);

    Result worker =
        runWorker(
            "--types",
            TYPE,
            "--lanes",
            "cognition",
            "--count",
            "5",
            "--max",
            "2",
            "--steps",
            "2",
            "--step-ms",
            "10",
            "--worker-id",
            "py-test-1");

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    assertThat(worker.output().lines().filter(l -> l.matches("^[0-9a-f-]{36}\\s.*"))).hasSize(5);

    for (Job ok : List.of(ok1, ok2)) {
      Job done = vigil.get(ok.id()).orElseThrow();
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.resultJson()).contains("\"worker\":\"py-test-1\"");
      assertThat(done.progress()).isEqualTo(1.0);
      assertThat(done.attempts())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.workerId()).isEqualTo("py-test-1");
                assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
              });
    }
    Job retrying = vigil.get(retryable.id()).orElseThrow();
    assertThat(retrying.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(retrying.attempt()).isEqualTo(1);
    assertThat(retrying.lastError().type()).isEqualTo("UpstreamTimeout");
    assertThat(retrying.attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.workerId()).isEqualTo("py-test-1");
              assertThat(a.outcome()).isEqualTo(AttemptOutcome.FAILED);
            });
    Job dead = vigil.get(permanent.id()).orElseThrow();
    assertThat(dead.state()).isEqualTo(JobState.DEAD);
    assertThat(dead.lastError().type()).isEqualTo("InvalidInput");
    assertThat(vigil.get(lastAttempt.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);
  }

  @Test
  void a_worker_that_lost_its_lease_drops_the_job() throws Exception {
    // one attempt only: when the lease expires, the job is dead and the worker's token stale
    Job job = enqueue(Map.of("text", "slow"), 1);

    // the first heartbeat comes 4 s after the claim; the 1 s lease is rescued well before
    Result worker =
        runWorker(
            "--types",
            TYPE,
            "--once",
            "--lease-ms",
            "1000",
            "--steps",
            "1",
            "--step-ms",
            "4000",
            "--worker-id",
            "py-slow");

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    assertThat(worker.output()).contains(job.id(), "lease lost, dropped");
    Job after = vigil.get(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.DEAD);
    assertThat(after.attempts())
        .singleElement()
        .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.LEASE_EXPIRED));
  }

  @Test
  void a_worker_pointed_at_no_server_exits_with_1() throws Exception {
    server.close();

    Result worker = runWorker("--once", "--wait-ms", "0");

    assertThat(worker.exitCode()).isEqualTo(1);
    assertThat(worker.output()).contains("python_worker:");
  }

  private Job enqueue(Map<String, Object> payload, int maxAttempts) {
    return vigil.enqueue(
        JobRequest.builder(TYPE)
            .lane("cognition")
            .payload(payload)
            .maxAttempts(maxAttempts)
            .build());
  }

  private record Result(int exitCode, String output) {}

  private Result runWorker(String... args) throws IOException, InterruptedException {
    var command =
        new ArrayList<>(
            List.of(python(), script().toString(), "--url", server.url(), "--wait-ms", "2000"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dataDir, "worker", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as("worker ended in time; output:\n%s", output).isTrue();
    return new Result(process.exitValue(), output);
  }

  /** examples/python_worker.py, found from the module directory or the repository root. */
  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples/python_worker.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "examples/python_worker.py not found above " + Path.of("").toAbsolutePath());
  }

  private static String python() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "python3"))) {
        return Path.of(dir, "python3").toString();
      }
    }
    return null;
  }
}
