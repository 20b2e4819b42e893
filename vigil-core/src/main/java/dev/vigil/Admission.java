package dev.vigil;

import dev.vigil.JobRejectedException.Reason;
import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.job.Lane;
import dev.vigil.store.NewJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides on the hot path whether an enqueue may go to the store: from the {@link AdmissionPolicy}
 * of the last reading (a volatile read), never from a store query. A batch is admitted or refused
 * as a whole; a refusal is counted by lane and reason and throws {@link JobRejectedException}
 * before anything is stored.
 *
 * <p>{@code max_ready} needs a count fresher than a reading a second old, so this class keeps two
 * counts per capped lane: ready jobs admitted and not yet stored ({@code inFlight}, reserved
 * before the check so that two racing enqueues cannot both take the last room), and ready jobs
 * stored ({@code committed}). A lane's ready jobs are then the last reading, plus what was stored
 * since the count taken just before that reading, plus what is in flight. It may count a job
 * twice for up to a second (stored while the reading ran), never zero times: on one node the cap
 * holds exactly or refuses a little early. Other nodes' enqueues show only at the next reading.
 */
final class Admission {
  private final List<Lane> lanes;
  private final Map<String, Integer> index;
  private final EngineMetrics metrics;
  private final AtomicLong[] inFlight;
  private final AtomicLong[] committed;
  private volatile AdmissionPolicy policy;

  Admission(List<Lane> lanes, EngineMetrics metrics) {
    this.lanes = List.copyOf(lanes);
    this.metrics = metrics;
    var byName = new HashMap<String, Integer>();
    inFlight = new AtomicLong[lanes.size()];
    committed = new AtomicLong[lanes.size()];
    for (int i = 0; i < lanes.size(); i++) {
      byName.put(lanes.get(i).name(), i);
      inFlight[i] = new AtomicLong();
      committed[i] = new AtomicLong();
    }
    index = Map.copyOf(byName);
    policy = AdmissionPolicy.open(lanes.size());
  }

  /** Replaces the answers with those of a new reading. */
  void update(AdmissionPolicy next) {
    policy = next;
  }

  /** Ready jobs stored through this node so far, per lane: taken just before a reading. */
  long[] committed() {
    var out = new long[committed.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = committed[i].get();
    }
    return out;
  }

  /**
   * Admits validated jobs or refuses them all. The caller stores the admitted jobs and then tells
   * the ticket what became of them.
   *
   * @throws JobRejectedException naming the first refusing lane in priority order
   */
  Ticket admit(List<NewJob> jobs) {
    int[] count = new int[lanes.size()];
    int[] ready = new int[lanes.size()];
    for (NewJob job : jobs) {
      int i = index.get(job.lane());
      count[i]++;
      if (job.state() == JobState.READY) {
        ready[i]++;
      }
    }
    AdmissionPolicy p = policy;
    for (int i = 0; i < count.length; i++) {
      AdmissionPolicy.Refusal r = count[i] == 0 ? null : p.refusal(i);
      if (r != null) {
        throw refuse(jobs, r.reason(), i, r.retryAfter(), message(i, r));
      }
    }
    int[] reserved = null;
    for (int i = 0; i < ready.length; i++) {
      int max = lanes.get(i).maxReady();
      if (ready[i] == 0 || max == Lane.UNLIMITED) {
        continue;
      }
      reserved = reserved == null ? new int[ready.length] : reserved;
      reserved[i] = ready[i];
      long held = p.ready(i) + committed[i].get() - p.committedAtRead(i) + inFlight[i].addAndGet(ready[i]);
      if (held > max) {
        release(reserved);
        Duration retry = AdmissionPolicy.drainTime(held - max, p.drainPerSecond(i));
        throw refuse(jobs, Reason.LANE_FULL, i, retry, fullMessage(i, held, retry));
      }
    }
    return reserved == null ? Ticket.NONE : new Ticket(this, jobs, reserved);
  }

  private void release(int[] reserved) {
    for (int i = 0; i < reserved.length; i++) {
      if (reserved[i] > 0) {
        inFlight[i].addAndGet(-reserved[i]);
      }
    }
  }

  private JobRejectedException refuse(List<NewJob> jobs, Reason reason, int lane, Duration retry, String message) {
    EngineMetrics.Rejection why = switch (reason) {
      case LANE_FULL -> EngineMetrics.Rejection.LANE_FULL;
      case SHED -> EngineMetrics.Rejection.SHED;
      case OVERLOADED -> EngineMetrics.Rejection.OVERLOADED;
    };
    for (NewJob job : jobs) {
      metrics.rejected(job.lane(), job.type(), why, 1);
    }
    return new JobRejectedException(reason, lanes.get(lane).name(), retry, message);
  }

  private String message(int lane, AdmissionPolicy.Refusal r) {
    String name = lanes.get(lane).name();
    String why = r.backpressure().reason();
    return switch (r.reason()) {
      case OVERLOADED -> "lane " + name + " is overloaded and refuses new jobs (" + why + "); retry after "
          + r.retryAfter().toSeconds() + " s";
      case SHED -> "lane " + name + " is critical and sheds new jobs, as the lowest-weight lane at critical or worse ("
          + why + "); retry after " + r.retryAfter().toSeconds() + " s";
      case LANE_FULL -> throw new IllegalStateException("a lane is full only by count");
    };
  }

  private String fullMessage(int lane, long held, Duration retry) {
    Lane l = lanes.get(lane);
    return "lane " + l.name() + " is full: max_ready is " + l.maxReady() + " and this request would make "
        + held + " ready jobs; retry after " + retry.toSeconds() + " s";
  }

  /** What an admitted enqueue reserved, settled once the store answered. */
  static final class Ticket {
    static final Ticket NONE = new Ticket(null, List.of(), null);

    private final Admission admission;
    private final List<NewJob> jobs;
    private final int[] reserved;

    private Ticket(Admission admission, List<NewJob> jobs, int[] reserved) {
      this.admission = admission;
      this.jobs = jobs;
      this.reserved = reserved;
    }

    /** The store answered with {@code stored}, in the order of the jobs (duplicates flagged). */
    void stored(List<Job> stored) {
      if (admission == null) {
        return;
      }
      for (int j = 0; j < jobs.size(); j++) {
        NewJob job = jobs.get(j);
        int i = admission.index.get(job.lane());
        if (reserved[i] > 0 && job.state() == JobState.READY && !stored.get(j).duplicate()) {
          admission.committed[i].incrementAndGet();
        }
      }
      admission.release(reserved);
    }

    /** The store failed: nothing was stored. */
    void abandoned() {
      if (admission != null) {
        admission.release(reserved);
      }
    }
  }
}
