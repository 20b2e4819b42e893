package dev.vigil;

import dev.vigil.job.JobRequest;
import dev.vigil.job.JobState;
import dev.vigil.job.RetryPolicy;
import dev.vigil.store.SqliteJobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;

/**
 * The process {@link CrashTest} kills: runs Vigil on a SQLite file with a handler that appends
 * each completed job id to a separate file. With {@code enqueue N} it also enqueues N jobs, in
 * batches of 10, printing {@code ACK id} once each batch is acknowledged; with {@code drain} it
 * exits printing {@code DONE} once no job is left scheduled, ready or running.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path db = Path.of(args[0]);
    Path completions = Path.of(args[1]);
    String mode = args[2];
    try (Vigil vigil =
        Vigil.builder()
            .store(SqliteJobStore.open(db))
            .workers(8)
            .leaseDuration(Duration.ofSeconds(2))
            .retryPolicy(new RetryPolicy(10, Duration.ZERO, Duration.ZERO))
            .handler("crash_job", ctx -> {
              Thread.sleep(15); // simulated work, so that the kill lands mid-run
              appendLine(completions, ctx.jobId());
            })
            .start()) {
      if (mode.equals("enqueue")) {
        enqueue(vigil, Integer.parseInt(args[3]));
      }
      while (true) {
        Map<JobState, Long> counts = vigil.counts();
        long active = counts.get(JobState.SCHEDULED) + counts.get(JobState.READY) + counts.get(JobState.RUNNING);
        if (mode.equals("drain") && active == 0) {
          System.out.println("DONE");
          System.out.flush();
          return;
        }
        Thread.sleep(100);
      }
    }
  }

  private static void enqueue(Vigil vigil, int count) {
    for (int i = 0; i < count; i += 10) {
      var batch = new ArrayList<JobRequest>();
      for (int j = i; j < Math.min(count, i + 10); j++) {
        batch.add(JobRequest.builder("crash_job").payload(Map.of("n", j)).build());
      }
      var out = new StringBuilder();
      vigil.enqueueAll(batch).forEach(job -> out.append("ACK ").append(job.id()).append('\n'));
      System.out.print(out);
      System.out.flush();
    }
  }

  private static synchronized void appendLine(Path file, String line) throws IOException {
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
