package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.Vigil;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.SqliteJobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoWorkloadTest {
  /** Durations at 2 % (a dream takes 0.6 s), failures often enough to see within seconds. */
  private static final DemoWorkload.Settings FAST =
      new DemoWorkload.Settings(
          0.2, 0.05, 0.02, new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(200)));

  private static final LoadGenerator.Profile BUSY = new LoadGenerator.Profile(20, 8, 10, 3);

  @TempDir Path dir;
  private Vigil vigil;
  private StatusLine status;
  private LoadGenerator load;

  @BeforeEach
  void start() {
    Vigil.Builder builder =
        Vigil.builder()
            .store(SqliteJobStore.open(dir.resolve("vigil.db")))
            .shutdownGrace(Duration.ZERO);
    new DemoWorkload(FAST).register(builder);
    vigil = builder.start();
    status = new StatusLine(vigil, InstantSource.system(), ZoneOffset.UTC);
  }

  @AfterEach
  void stop() {
    if (load != null) {
      load.close();
    }
    status.close();
    vigil.close();
  }

  @Test
  void the_load_runs_jobs_to_success_in_every_lane_and_failures_are_retried() {
    load = LoadGenerator.start(vigil, BUSY, new SplittableRandom(42));

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (String lane : Set.of("cognition", "social", "sensory", "background")) {
                assertThat(succeededIn(lane)).as("succeeded jobs in %s", lane).isPositive();
              }
              assertThat(status.retries()).as("retries").isPositive();
              assertThat(status.succeeded()).isPositive();
            });
    assertThat(load.enqueued()).isPositive();
  }

  @Test
  void a_dream_reports_progress_while_it_runs() {
    vigil.enqueue(dev.vigil.job.JobRequest.builder(DemoWorkload.DREAM).lane("background").build());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                vigil.find(JobQuery.all().withType(DemoWorkload.DREAM)).jobs().stream()
                    .anyMatch(j -> j.progress() != null && j.progress() > 0));
  }

  @Test
  void a_successful_reply_times_its_memory_lookup_and_its_model_call_as_spans() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> {
          var job = vigil.enqueue(dev.vigil.job.JobRequest.builder(DemoWorkload.CHAT).lane("cognition").build());
          await().atMost(Duration.ofSeconds(10)).until(() -> vigil.get(job.id()).orElseThrow().state().isTerminal());
          var attempts = vigil.get(job.id()).orElseThrow().attempts();
          assertThat(attempts.getLast().outcome()).isEqualTo(dev.vigil.job.AttemptOutcome.SUCCEEDED);
          assertThat(attempts.getLast().spans())
              .extracting(dev.vigil.job.JobSpan::name)
              .containsExactly("db_query", "llm_call");
          // the model call is made through ctx.llm: it carries the GenAI attributes and is recorded
          assertThat(attempts.getLast().spans().getLast().attributes())
              .containsKeys("gen_ai.provider.name", "gen_ai.request.model", "gen_ai.usage.input_tokens");
          assertThat(vigil.llmUsage(job.id())).hasSize(attempts.size());
        });
  }

  @Test
  void the_status_line_shows_what_the_model_calls_since_the_start_cost_and_emitted() {
    // three posts: one that ends dead after failed calls alone may have emitted next to nothing
    var jobs = new java.util.ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      jobs.add(vigil.enqueue(dev.vigil.job.JobRequest.builder(DemoWorkload.POST).lane("social").build()).id());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> jobs.stream().allMatch(id -> vigil.get(id).orElseThrow().state().isTerminal()));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Matcher m = USAGE.matcher(status.next());
              assertThat(m.find()).isTrue();
              assertThat(Double.parseDouble(m.group(2))).as("grams CO2e").isPositive();
            });
  }

  private static final Pattern USAGE = Pattern.compile("\\| \\$(\\d+\\.\\d\\d)  (\\d+\\.\\d) g CO2e$");

  @Test
  void the_status_line_names_every_lane() {
    assertThat(status.next())
        .contains("jobs/s", "cognition", "social", "sensory", "background", "retries", "dead");
  }

  private long succeededIn(String lane) {
    return vigil
        .find(JobQuery.all().withLane(lane).withStates(Set.of(JobState.SUCCEEDED)).withLimit(1))
        .jobs()
        .size();
  }
}
