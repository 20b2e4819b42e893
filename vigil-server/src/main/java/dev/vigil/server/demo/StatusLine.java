package dev.vigil.server.demo;

import dev.vigil.Subscription;
import dev.vigil.Vigil;
import dev.vigil.job.JobEvent;
import dev.vigil.job.JobState;
import dev.vigil.job.LaneStatus;
import dev.vigil.llm.UsageFilter;
import dev.vigil.llm.UsageGroup;
import dev.vigil.llm.UsageQuery;
import dev.vigil.llm.UsageTotals;
import dev.vigil.llm.spi.UsageStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's one-line live status: throughput since the previous line, each lane's running and
 * waiting jobs, the retries and dead jobs so far and, when the store keeps usage, what the model
 * calls made since the start cost and emitted, e.g.
 *
 * <pre>
 * 08:41:02   4.5 jobs/s | cognition 1/0  social 2/1  sensory 0/0  background 2/3 | retries 4  dead 1 | $0.42  310.5 g CO2e
 * </pre>
 *
 * <p>Throughput and retries come from the event bus (a retry is a {@code running → scheduled}
 * change), so they count this process's view since it started; lanes and dead jobs come from the
 * store. Events arrive asynchronously, so a line may lag the store by a few milliseconds. Cost and
 * carbon are one aggregate query of the store's usage per line ({@link UsageStore#aggregate}); a
 * call counts once its attempt has ended, so a running dream's calls show when it finishes.
 */
public final class StatusLine implements AutoCloseable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Vigil vigil;
  private final InstantSource clock;
  private final ZoneId zone;
  private final Subscription subscription;
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private final Instant started;
  private long succeededAtLastLine;
  private Instant lastLine;

  /** Starts counting events of {@code vigil}; the first line's rate covers the time since now. */
  public StatusLine(Vigil vigil, InstantSource clock, ZoneId zone) {
    this.vigil = vigil;
    this.clock = clock;
    this.zone = zone;
    this.lastLine = clock.instant();
    this.started = lastLine;
    this.subscription = vigil.subscribe(this::count);
  }

  /** The legend printed once above the lines. */
  public static String legend() {
    return "status every 2 s: jobs completed per second | per lane running/waiting | since start"
        + " | model calls since start: cost, carbon";
  }

  /** Samples the engine and formats the next line; the rate covers the time since the last call. */
  public synchronized String next() {
    Instant now = clock.instant();
    long done = succeeded.get();
    double seconds = Math.max(0.001, Duration.between(lastLine, now).toMillis() / 1000.0);
    double rate = (done - succeededAtLastLine) / seconds;
    succeededAtLastLine = done;
    lastLine = now;
    long deadJobs = vigil.counts().getOrDefault(JobState.DEAD, 0L);
    return format(
        LocalTime.ofInstant(now, zone), rate, vigil.lanes(), retries.get(), deadJobs, usage(now));
  }

  /** What the model calls since the start used; null when the store keeps no usage. */
  private UsageTotals usage(Instant now) {
    UsageStore usage = vigil.store().usage();
    if (usage == null || !now.isAfter(started)) {
      return null;
    }
    try {
      return usage.aggregate(UsageQuery.totals(started, now.plusMillis(1), UsageFilter.ALL)).stream()
          .map(UsageGroup::totals)
          .reduce(UsageTotals.NONE, UsageTotals::plus);
    } catch (RuntimeException e) {
      return null; // the figures are a nicety: a line without them rather than no line
    }
  }

  /**
   * One status line from its parts; {@code usage} null for none (the store keeps no usage). A cost
   * of calls none of which was priced shows as {@code $?}: unknown, not free.
   */
  static String format(
      LocalTime time,
      double jobsPerSecond,
      List<LaneStatus> lanes,
      long retries,
      long dead,
      UsageTotals usage) {
    var sb = new StringBuilder();
    sb.append(CLOCK.format(time))
        .append(String.format(Locale.ROOT, " %6.1f jobs/s |", jobsPerSecond));
    for (LaneStatus lane : lanes) {
      sb.append(' ')
          .append(lane.lane().name())
          .append(lane.lane().paused() ? " (paused) " : " ")
          .append(lane.running())
          .append('/')
          .append(lane.scheduled() + lane.ready())
          .append(' ');
    }
    sb.append("| retries ").append(retries).append("  dead ").append(dead);
    if (usage != null) {
      sb.append(" | ")
          .append(
              usage.costUsd() == null && usage.calls() > 0
                  ? "$?"
                  : String.format(
                      Locale.ROOT,
                      "$%.2f",
                      usage.costUsd() == null ? BigDecimal.ZERO : usage.costUsd()))
          .append(String.format(Locale.ROOT, "  %.1f g CO2e", usage.co2eGrams()));
    }
    return sb.toString();
  }

  /** Jobs that succeeded since this line started counting. */
  public long succeeded() {
    return succeeded.get();
  }

  /** Failed attempts that were scheduled for a retry since this line started counting. */
  public long retries() {
    return retries.get();
  }

  /** Jobs that went dead since this line started counting. */
  public long deadSinceStart() {
    return dead.get();
  }

  private void count(JobEvent e) {
    if (e.to() == JobState.SUCCEEDED) {
      succeeded.incrementAndGet();
    } else if (e.to() == JobState.SCHEDULED && e.from() == JobState.RUNNING) {
      retries.incrementAndGet();
    } else if (e.to() == JobState.DEAD) {
      dead.incrementAndGet();
    }
  }

  @Override
  public void close() {
    subscription.close();
  }
}
