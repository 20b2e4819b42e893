package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.job.Job;
import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.store.JobStore;
import dev.vigil.store.SqliteJobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example compiles, runs, and is the very code the README shows. */
class ReadmeExampleTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path THIS_FILE = Path.of("src/test/java/dev/vigil/ReadmeExampleTest.java");

  @TempDir Path dataDir;

  @Test
  void readme_embed_example_runs_and_stores_the_job() {
    // README:embed:start
    JobStore store = SqliteJobStore.open(dataDir.resolve("vigil.db"));
    try (Vigil vigil = Vigil.builder()
        .store(store)
        .handler("generate_reply", ctx -> {
          String postId = ctx.payload().get("post_id").asText();
          ctx.result(Map.of("reply", "Thanks for " + postId));
        })
        .start()) {
      Job job = vigil.enqueue(JobRequest.builder("generate_reply")
          .lane("cognition").payload(Map.of("post_id", "p1")).build());
      System.out.println(job.id() + " is " + job.state());
    }
    // README:embed:end

    try (var reopened = SqliteJobStore.open(dataDir.resolve("vigil.db"))) {
      Job stored = reopened.find(dev.vigil.job.JobQuery.all()).jobs().get(0);
      assertThat(stored.type()).isEqualTo("generate_reply");
      assertThat(stored.state()).isIn(JobState.READY, JobState.SUCCEEDED);
    }
  }

  @Test
  void readme_shows_exactly_the_example_this_test_runs() throws IOException {
    String source = Files.readString(THIS_FILE);
    String example = between(source, "// README:embed:start\n", "    // README:embed:end");
    String readme = Files.readString(README);
    var block = Pattern.compile("## Embed Vigil in a Java application\\s+```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);

    assertThat(block.find()).as("README has the embed section").isTrue();
    assertThat(normalise(block.group(1))).isEqualTo(normalise(example));
  }

  private static String between(String s, String start, String end) {
    int from = s.indexOf(start) + start.length();
    return s.substring(from, s.indexOf(end, from));
  }

  private static String normalise(String code) {
    return code.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
  }
}
