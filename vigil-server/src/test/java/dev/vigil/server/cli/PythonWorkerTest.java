package dev.vigil.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ManualClock;
import dev.vigil.Vigil;
import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.server.ApiClient;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/python_worker.py} as a real subprocess against a live server. The engine runs on
 * a {@link ManualClock}, so retries stay scheduled and leases stay valid until a test moves time.
 */
class PythonWorkerTest {
  private static final String TYPE = "summarise";

  @TempDir Path dataDir;
  private final ManualClock clock = new ManualClock(Instant.now());
  private VigilServer server;
  private Vigil vigil;

  @BeforeEach
  void start() {
    if (python() == null) {
      assertThat(System.getenv("CI")).as("python3 must be installed when CI=true").isNotEqualTo("true");
      assumeTrue(false, "python3 is not installed");
    }
    server =
        VigilServer.start(
            ServerConfig.builder().port(0).dataDir(dataDir).build(), engine -> engine.clock(clock));
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
        finish(
            startWorker(
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
                "py-test-1"));

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
  void the_worker_reports_its_model_calls_and_the_job_shows_them_as_usage() throws Exception {
    Job ok = enqueue(Map.of("text", "a"), 3);
    Job retryable = enqueue(Map.of("fail", "retryable"), 3);

    Result worker =
        finish(
            startWorker(
                "--types", TYPE, "--count", "2", "--steps", "2", "--step-ms", "10",
                "--provider", "openai", "--model", "gpt-4o-mini"));

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    var api = new ApiClient(server.url(), null);
    for (Job job : List.of(ok, retryable)) {
      Matcher sent = SENT.matcher(lineOf(worker.output(), job.id()));
      assertThat(sent.find()).as(worker.output()).isTrue();
      JsonNode usage = api.get("/api/v1/jobs/" + job.id()).json().get("usage");
      assertThat(usage.get("calls").asLong()).as("%s", usage).isEqualTo(2).isEqualTo(Long.parseLong(sent.group(1)));
      assertThat(usage.get("input_tokens").asLong()).isEqualTo(Long.parseLong(sent.group(2)));
      assertThat(usage.get("output_tokens").asLong()).isEqualTo(Long.parseLong(sent.group(3)));
      // gpt-4o-mini is in the default price table: the calls are priced
      assertThat(usage.get("cost_usd").decimalValue()).isPositive();
    }
    JsonNode failed = api.get("/api/v1/jobs/" + retryable.id()).json().get("usage");
    assertThat(failed.get("retry_cost_usd").decimalValue())
        .as("the failed attempt's calls are its retry cost")
        .isEqualByComparingTo(failed.get("cost_usd").decimalValue())
        .isPositive();
    JsonNode succeeded = api.get("/api/v1/jobs/" + ok.id()).json().get("usage");
    assertThat(succeeded.get("retry_cost_usd").decimalValue()).isZero();
  }

  /** What the worker prints it sent: "2 model calls, 2345 tokens in, 321 out". */
  private static final Pattern SENT = Pattern.compile("(\\d+) model calls, (\\d+) tokens in, (\\d+) out");

  private static String lineOf(String output, String jobId) {
    return output.lines().filter(l -> l.startsWith(jobId)).findFirst().orElse("");
  }

  @Test
  void a_worker_that_lost_its_lease_drops_the_job() throws Exception {
    // one attempt only: once its lease expires the job is dead, and the worker's token stale
    Job job = enqueue(Map.of("text", "slow"), 1);
    Worker worker =
        startWorker(
            "--types",
            TYPE,
            "--once",
            "--lease-ms",
            "1000",
            "--steps",
            "1",
            "--step-ms",
            "3000",
            "--worker-id",
            "py-slow");

    // the worker heartbeats 3 s after its claim; by then its lease has expired and been rescued
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> vigil.get(job.id()).orElseThrow().state() == JobState.RUNNING);
    clock.advance(Duration.ofSeconds(5));
    vigil.runDueNow();
    assertThat(vigil.get(job.id()).orElseThrow().state()).isEqualTo(JobState.DEAD);

    Result result = finish(worker);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains(job.id(), "lease lost, dropped");
    assertThat(vigil.get(job.id()).orElseThrow().attempts())
        .singleElement()
        .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.LEASE_EXPIRED));
  }

  @Test
  void one_job_workers_declare_one_slot_so_the_fleet_keeps_workers_free_for_chat() throws Exception {
    for (int i = 0; i < 10; i++) {
      vigil.enqueue(JobRequest.builder(TYPE).lane("background").payload(Map.of("text", "dream")).build());
    }
    List<Worker> workers = new ArrayList<>();
    try {
      for (int w = 1; w <= 3; w++) {
        workers.add(
            startWorker(
                "--lanes", "cognition,background", "--max", "3", "--steps", "40", "--step-ms", "100",
                "--worker-id", "py-fleet-" + w));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> running("background") == 1);

      Job chat = vigil.enqueue(JobRequest.builder(TYPE).lane("cognition").payload(Map.of("text", "hi")).build());

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> vigil.get(chat.id()).orElseThrow().state() != JobState.READY);
      assertThat(running("background"))
          .as("three one-job workers: one dreams, two stay free for chat")
          .isEqualTo(1);
    } finally {
      for (Worker w : workers) {
        w.process().destroyForcibly().waitFor();
      }
    }
  }

  private long running(String lane) {
    return vigil.lanes().stream().filter(l -> l.lane().name().equals(lane)).findFirst().orElseThrow().running();
  }

  @Test
  void the_worker_reads_its_token_from_a_file_and_not_from_its_command_line() throws Exception {
    server.close();
    String token = "python-worker-token-0123456789";
    server =
        VigilServer.start(
            ServerConfig.builder().port(0).dataDir(dataDir).apiToken(token).build(), engine -> engine.clock(clock));
    vigil = server.vigil();
    Job job = enqueue(Map.of("text", "a"), 3);
    Path tokenFile = Files.writeString(dataDir.resolve("token"), token + "\n");

    Result worker =
        finish(startWorker("--types", TYPE, "--once", "--steps", "1", "--step-ms", "1", "--token-file", tokenFile.toString()));

    assertThat(worker.exitCode()).as(worker.output()).isZero();
    assertThat(vigil.get(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void a_worker_pointed_at_no_server_exits_with_1() throws Exception {
    server.close();

    Result worker = finish(startWorker("--once", "--wait-ms", "0"));

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

  /** A running worker and the file its output goes to. */
  private record Worker(Process process, Path log) {}

  private Worker startWorker(String... args) throws IOException {
    var command =
        new ArrayList<>(
            List.of(python(), script().toString(), "--url", server.url(), "--wait-ms", "2000"));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dataDir, "worker", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Worker(process, log);
  }

  private static Result finish(Worker worker) throws IOException, InterruptedException {
    boolean ended = worker.process().waitFor(90, TimeUnit.SECONDS);
    if (!ended) {
      worker.process().destroyForcibly().waitFor();
    }
    String output = Files.readString(worker.log(), StandardCharsets.UTF_8);
    assertThat(ended).as("worker ended in time; output:\n%s", output).isTrue();
    return new Result(worker.process().exitValue(), output);
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
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "python3"))) {
        return Path.of(dir, "python3").toString();
      }
    }
    return null;
  }
}
