package dev.vigil;

import dev.vigil.job.AttemptOutcome;
import dev.vigil.job.Job;
import dev.vigil.job.JobError;
import dev.vigil.job.JobState;
import dev.vigil.store.Finish;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per attempt end, with the job's MDC keys ({@code job_id}, {@code lane}, {@code
 * type}, {@code attempt}, {@code correlation_id}) and {@code duration_ms}; never the payload or the
 * result. Successes log at DEBUG (a busy node ends thousands of attempts a second), every other
 * outcome at INFO, so {@code dev.vigil.AttemptLog} at DEBUG shows them all. The error message in
 * the line is the one stored, redacted by the engine before.
 *
 * <p>Also the one place that sets those MDC keys, for a handler's thread ({@link #enter}) and for
 * a line logged on another thread (deadline, remote report).
 */
final class AttemptLog {
  static final String JOB_ID = "job_id";
  static final String LANE = "lane";
  static final String TYPE = "type";
  static final String ATTEMPT = "attempt";
  static final String CORRELATION_ID = "correlation_id";
  static final String DURATION_MS = "duration_ms";

  private static final Logger log = LoggerFactory.getLogger(AttemptLog.class);

  private AttemptLog() {}

  /** Sets the job's MDC keys on this thread; {@link #leave()} removes them. */
  static void enter(Job job) {
    MDC.put(JOB_ID, job.id());
    MDC.put(LANE, job.lane());
    MDC.put(TYPE, job.type());
    MDC.put(ATTEMPT, Integer.toString(job.attempt()));
    if (job.correlationId() != null) {
      MDC.put(CORRELATION_ID, job.correlationId());
    }
  }

  /** Removes the keys {@link #enter} set. */
  static void leave() {
    MDC.remove(JOB_ID);
    MDC.remove(LANE);
    MDC.remove(TYPE);
    MDC.remove(ATTEMPT);
    MDC.remove(CORRELATION_ID);
  }

  /** Logs the end of {@code running}'s attempt as {@code finish} decided it, after {@code took}. */
  static void ended(Job running, Finish finish, Duration took) {
    boolean success = finish.outcome() == AttemptOutcome.SUCCEEDED;
    if (success ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
      return;
    }
    Map<String, String> before = MDC.getCopyOfContextMap();
    try {
      enter(running);
      MDC.put(DURATION_MS, Long.toString(took.toMillis()));
      String line = describe(running, finish, took);
      if (success) {
        log.debug(line);
      } else {
        log.info(line);
      }
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  private static String describe(Job running, Finish finish, Duration took) {
    var s = new StringBuilder(160)
        .append("attempt ").append(running.attempt()).append(" of ").append(running.type())
        .append(' ').append(finish.outcome().wireName())
        .append(" in ").append(took.toMillis()).append(" ms");
    JobState next = finish.nextState();
    if (next == JobState.SCHEDULED) {
      s.append(", retry at ").append(finish.retryAt());
    } else if (next != JobState.SUCCEEDED) {
      s.append(", job ").append(next.wireName());
    }
    JobError e = finish.error();
    if (e != null && finish.outcome() != AttemptOutcome.SUCCEEDED) {
      s.append(": ").append(e.type());
      if (e.message() != null) {
        s.append(": ").append(e.message());
      }
    }
    return s.toString();
  }
}
