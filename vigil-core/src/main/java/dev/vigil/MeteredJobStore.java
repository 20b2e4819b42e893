package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.Schedule;
import dev.vigil.limits.spi.QuotaBuckets;
import dev.vigil.store.ClaimRequest;
import dev.vigil.store.Finish;
import dev.vigil.store.HeartbeatResult;
import dev.vigil.store.JobStore;
import dev.vigil.store.LaneDepth;
import dev.vigil.store.Lease;
import dev.vigil.store.NewJob;
import dev.vigil.store.NodeRecord;
import dev.vigil.store.ScheduleUpsert;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Times every call the engine makes to its {@link JobStore} into {@code
 * vigil_store_operation_seconds{operation}}, the operation being the SPI method's name in snake
 * case (a bounded set). Calls that throw are timed too. Only used when metrics are on; the engine
 * otherwise talks to the store directly.
 */
final class MeteredJobStore implements JobStore {
  /** The SPI calls, one {@code operation} label each. */
  enum Op {
    ENQUEUE, GET, FIND, CLAIM, FINISH, FINISH_ALL, UNCLAIM, HEARTBEAT, FIND_EXPIRED_LEASES, PROMOTE_DUE,
    NEXT_SCHEDULED_RUN_AT, CANCEL, RETRY, LANE_DEPTHS, COUNT_BY_STATE, SET_LANE_PAUSED, LANE_PAUSES,
    UPSERT_SCHEDULE, GET_SCHEDULE, LIST_SCHEDULES, DELETE_SCHEDULE, DUE_SCHEDULES, FIRE_SCHEDULE,
    HEARTBEAT_NODE, NODES, TRY_LEAD;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final JobStore delegate;
  private final Map<Op, Timer> timers = new EnumMap<>(Op.class);

  MeteredJobStore(JobStore delegate, EngineMetrics metrics) {
    this.delegate = delegate;
    for (Op op : Op.values()) {
      timers.put(
          op,
          metrics.register(
              r ->
                  Timer.builder("vigil.store.operation")
                      .description("Time of one call to the job store, by operation")
                      .tag("operation", op.label())
                      .serviceLevelObjectives(EngineMetrics.STORE_BUCKETS)
                      .register(r)));
    }
  }

  /** The store being timed. */
  JobStore delegate() {
    return delegate;
  }

  private <T> T timed(Op op, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      timers.get(op).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void timed(Op op, Runnable call) {
    long start = System.nanoTime();
    try {
      call.run();
    } finally {
      timers.get(op).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public List<Job> enqueue(List<NewJob> jobs) {
    return timed(Op.ENQUEUE, () -> delegate.enqueue(jobs));
  }

  @Override
  public Optional<Job> get(String id) {
    return timed(Op.GET, () -> delegate.get(id));
  }

  @Override
  public JobPage find(JobQuery query) {
    return timed(Op.FIND, () -> delegate.find(query));
  }

  @Override
  public List<Job> claim(ClaimRequest request) {
    return timed(Op.CLAIM, () -> delegate.claim(request));
  }

  @Override
  public Job finish(Finish finish) {
    return timed(Op.FINISH, () -> delegate.finish(finish));
  }

  @Override
  public int releaseHolds(Instant now, int limit) {
    return delegate.releaseHolds(now, limit);
  }

  @Override
  public void releaseHeld(Map<String, Integer> byConcurrencyKey) {
    delegate.releaseHeld(byConcurrencyKey);
  }

  @Override
  public Map<String, long[]> keyCounts() {
    return delegate.keyCounts();
  }

  @Override
  public QuotaBuckets quotaBuckets(InstantSource clock) {
    return delegate.quotaBuckets(clock);
  }

  @Override
  public dev.vigil.llm.spi.UsageStore usage() {
    return delegate.usage();
  }

  @Override
  public List<dev.vigil.llm.LlmUsage> llmUsage(String jobId) {
    return timed(Op.GET, () -> delegate.llmUsage(jobId));
  }

  @Override
  public Map<String, JobState> finishAll(List<Finish> finishes) {
    return timed(Op.FINISH_ALL, () -> delegate.finishAll(finishes));
  }

  @Override
  public Map<String, JobState> unclaim(List<Lease> leases, Instant now) {
    return timed(Op.UNCLAIM, () -> delegate.unclaim(leases, now));
  }

  @Override
  public HeartbeatResult heartbeat(String jobId, String leaseToken, Instant newExpiry, Double progress, String message) {
    return timed(Op.HEARTBEAT, () -> delegate.heartbeat(jobId, leaseToken, newExpiry, progress, message));
  }

  @Override
  public List<Job> findExpiredLeases(Instant now, int limit) {
    return timed(Op.FIND_EXPIRED_LEASES, () -> delegate.findExpiredLeases(now, limit));
  }

  @Override
  public List<Job> promoteDue(Instant now, int limit) {
    return timed(Op.PROMOTE_DUE, () -> delegate.promoteDue(now, limit));
  }

  @Override
  public Optional<Instant> nextScheduledRunAt() {
    return timed(Op.NEXT_SCHEDULED_RUN_AT, delegate::nextScheduledRunAt);
  }

  @Override
  public Job cancel(String id, Instant now) {
    return timed(Op.CANCEL, () -> delegate.cancel(id, now));
  }

  @Override
  public Job retry(String id, Instant now) {
    return timed(Op.RETRY, () -> delegate.retry(id, now));
  }

  @Override
  public List<LaneDepth> laneDepths() {
    return timed(Op.LANE_DEPTHS, delegate::laneDepths);
  }

  @Override
  public Map<JobState, Long> countByState() {
    return timed(Op.COUNT_BY_STATE, delegate::countByState);
  }

  @Override
  public void setLanePaused(String lane, boolean paused) {
    timed(Op.SET_LANE_PAUSED, () -> delegate.setLanePaused(lane, paused));
  }

  @Override
  public Map<String, Boolean> lanePauses() {
    return timed(Op.LANE_PAUSES, delegate::lanePauses);
  }

  @Override
  public ScheduleUpsert upsertSchedule(Schedule schedule) {
    return timed(Op.UPSERT_SCHEDULE, () -> delegate.upsertSchedule(schedule));
  }

  @Override
  public Optional<Schedule> getSchedule(String name) {
    return timed(Op.GET_SCHEDULE, () -> delegate.getSchedule(name));
  }

  @Override
  public List<Schedule> listSchedules() {
    return timed(Op.LIST_SCHEDULES, delegate::listSchedules);
  }

  @Override
  public boolean deleteSchedule(String name) {
    return timed(Op.DELETE_SCHEDULE, () -> delegate.deleteSchedule(name));
  }

  @Override
  public List<Schedule> dueSchedules(Instant now) {
    return timed(Op.DUE_SCHEDULES, () -> delegate.dueSchedules(now));
  }

  @Override
  public Optional<Job> fireSchedule(
      String name, Instant expectedNextFireAt, Instant tick, Instant newNextFireAt, NewJob job) {
    return timed(Op.FIRE_SCHEDULE, () -> delegate.fireSchedule(name, expectedNextFireAt, tick, newNextFireAt, job));
  }

  @Override
  public void heartbeatNode(NodeRecord node) {
    timed(Op.HEARTBEAT_NODE, () -> delegate.heartbeatNode(node));
  }

  @Override
  public List<NodeRecord> nodes() {
    return timed(Op.NODES, delegate::nodes);
  }

  @Override
  public boolean tryLead(String nodeId, Instant now, Duration term) {
    return timed(Op.TRY_LEAD, () -> delegate.tryLead(nodeId, now, term));
  }

  @Override
  public void addReadyListener(Consumer<String> lane) {
    delegate.addReadyListener(lane);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
