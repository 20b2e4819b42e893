package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.job.Job;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.store.SqliteJobStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost: a child JVM runs Vigil on a SQLite file and is killed with SIGKILL mid-run; a
 * new child on the same file finishes the work. Every job whose enqueue was acknowledged must
 * reach {@code succeeded}, and its handler must have completed at least once.
 */
class CrashTest {
  private static final int JOBS = 2_000;

  @TempDir Path dir;

  @Test
  void every_acknowledged_job_succeeds_when_killed_while_jobs_are_still_being_enqueued() throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Process child = start("enqueue", acked, null, 300);
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child killed after 300 acknowledgements").isTrue();

    assertThat(acked).hasSizeLessThan(JOBS);
    drainAndCheck(acked);
  }

  @Test
  void every_acknowledged_job_succeeds_when_killed_halfway_through_the_work() throws Exception {
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Process child = start("enqueue", acked, null, Integer.MAX_VALUE);
    await().atMost(Duration.ofSeconds(120)).until(() -> acked.size() == JOBS && completedLines() >= JOBS / 2);
    child.destroyForcibly().waitFor();

    assertThat(new HashSet<>(readCompletions())).hasSizeLessThan(JOBS);
    drainAndCheck(acked);
  }

  private void drainAndCheck(Set<String> acked) throws Exception {
    var done = new CountDownLatch(1);
    Process drainer = start("drain", ConcurrentHashMap.newKeySet(), done, Integer.MAX_VALUE);
    try {
      assertThat(done.await(120, TimeUnit.SECONDS)).as("second child drained the queue").isTrue();
      assertThat(drainer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      drainer.destroyForcibly();
    }

    try (var store = SqliteJobStore.open(dir.resolve("vigil.db"))) {
      List<Job> all = allJobs(store);
      assertThat(all).extracting(Job::id).containsAll(acked);
      assertThat(all).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    }
    assertThat(readCompletions()).containsAll(acked);
  }

  private static List<Job> allJobs(SqliteJobStore store) {
    var all = new ArrayList<Job>();
    JobQuery q = JobQuery.all().withLimit(JobQuery.MAX_LIMIT);
    while (true) {
      var page = store.find(q);
      all.addAll(page.jobs());
      if (page.nextCursor() == null) {
        return all;
      }
      q = q.withCursor(page.nextCursor());
    }
  }

  /** Starts a child; it is killed with SIGKILL as soon as {@code killAtAcks} enqueues were acknowledged. */
  private Process start(String mode, Set<String> acked, CountDownLatch done, int killAtAcks) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command = new ArrayList<>(List.of(
        java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
        dir.resolve("vigil.db").toString(), completions().toString(), mode));
    if (mode.equals("enqueue")) {
      command.add(String.valueOf(JOBS));
    }
    Process p = new ProcessBuilder(command).redirectError(dir.resolve(mode + ".err").toFile()).start();
    Thread.ofVirtual().start(() -> readLines(p, acked, done, killAtAcks));
    return p;
  }

  private static void readLines(Process p, Set<String> acked, CountDownLatch done, int killAtAcks) {
    try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
          if (acked.size() >= killAtAcks) {
            p.destroyForcibly();
          }
        } else if (line.equals("DONE") && done != null) {
          done.countDown();
        }
      }
    } catch (IOException e) {
      // the child was killed mid-line: whatever was acknowledged before is already recorded
    }
  }

  private Path completions() {
    return dir.resolve("completions.txt");
  }

  private long completedLines() throws IOException {
    return Files.exists(completions()) ? readCompletions().size() : 0;
  }

  private List<String> readCompletions() throws IOException {
    if (!Files.exists(completions())) {
      return List.of();
    }
    return Files.readAllLines(completions()).stream().filter(l -> l.length() == 36).toList();
  }
}
