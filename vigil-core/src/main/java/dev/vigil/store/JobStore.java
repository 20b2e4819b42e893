package dev.vigil.store;

import dev.vigil.job.IllegalTransitionException;
import dev.vigil.job.Job;
import dev.vigil.job.JobNotFoundException;
import dev.vigil.job.JobPage;
import dev.vigil.job.JobQuery;
import dev.vigil.job.JobState;
import dev.vigil.job.LeaseLostException;
import dev.vigil.job.Schedule;
import dev.vigil.limits.spi.QuotaBuckets;
import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.spi.UsageStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where jobs live: the durable half of the engine. The engine decides; the store records,
 * atomically and durably, and enforces the few rules that must hold across threads, processes
 * and nodes: one active job per unique key, lane caps at claim time, and lease fencing.
 *
 * <p>Every method is safe to call from many threads at once. Stores are expected to batch
 * concurrent writes (group commit): a call returns only once its change is durable, but calls
 * arriving together may share one transaction. Time is always passed in by the engine ({@code
 * now}), never read by the store, so tests can drive it.
 *
 * <p>The abstract {@code JobStoreContract} suite in Vigil's test kit is the definition of a
 * correct store; every implementation must pass it unchanged.
 *
 * <p>Failures of the database itself surface as {@link StoreException}.
 */
public interface JobStore extends AutoCloseable {

  /**
   * Inserts jobs, all or none, in one transaction. For each job with a unique key that matches a
   * job still {@code scheduled}, {@code ready} or {@code running} (including one earlier in the
   * same list), nothing is inserted and the existing job is returned flagged {@link
   * Job#duplicate()}. The check and the insert are race-free against every other writer (a
   * partial unique index, not application code).
   *
   * <p>After the commit, ready listeners are told of each lane that received ready jobs.
   *
   * @return one job per input, in order: the inserted job, or the existing duplicate
   */
  List<Job> enqueue(List<NewJob> jobs);

  /** The job with its finished attempts, oldest first, or empty. */
  Optional<Job> get(String id);

  /** A page of jobs matching the query, newest first (by id, which is time-ordered). */
  JobPage find(JobQuery query);

  /**
   * Leases ready jobs. For each quota in order: takes up to {@code max} ready jobs of that lane
   * (of the given types, if any), oldest {@code run_at} first and then by id, but never so many
   * that the lane's running jobs exceed {@code laneCap}. Each claimed job becomes {@code
   * running}: attempt incremented, {@code started_at = now}, a fresh random lease token, lease
   * owner {@code workerId}, {@code lease_expires_at = now + lease}, progress cleared. Jobs of a
   * paused lane are never claimed, whatever the quota says. Two concurrent claims never return
   * the same job.
   *
   * @return the claimed jobs, lane by lane in quota order; possibly empty
   */
  List<Job> claim(ClaimRequest request);

  /**
   * Ends the current attempt of a running job if {@code finish.leaseToken()} is its current
   * lease token; see {@link Finish} for what each next state writes. When the next state is
   * {@code ready}, ready listeners are told after the commit.
   *
   * @return the job after the change
   * @throws LeaseLostException if the job is not running or its lease token differs (nothing
   *     changes)
   * @throws JobNotFoundException if there is no such job
   */
  Job finish(Finish finish);

  /**
   * Ends many attempts at once, as {@link #finish} would one by one, in one transaction where the
   * store can: the engine's completion batcher sends every attempt that ended in the last few
   * milliseconds in one call. A finish whose lease token is stale, or whose job is gone, changes
   * nothing. Unlike {@link #finish}, only the state is read back.
   *
   * @return the state each applied finish left its job in (its next state, or {@code cancelled}
   *     where it yielded to a requested cancellation), by id: exactly the finishes that held
   *     their lease
   */
  default Map<String, JobState> finishAll(List<Finish> finishes) {
    var applied = new java.util.LinkedHashMap<String, JobState>();
    for (Finish f : finishes) {
      try {
        Job after = finish(f);
        applied.put(after.id(), after.state());
      } catch (LeaseLostException | JobNotFoundException e) {
        // stale: nothing to change and nobody to tell
      }
    }
    return applied;
  }

  /**
   * The model calls recorded for a job ({@link Finish#usage()}), oldest attempt first and in the
   * order each attempt made them; empty when it made none. The default keeps none: a store that
   * does not record usage returns nothing, and a job then shows no {@code usage}.
   */
  default List<LlmUsage> llmUsage(String jobId) {
    return List.of();
  }

  /**
   * The recorded model calls beyond those of finishes (heartbeats, calls outside jobs) and the
   * questions asked of them, kept in this store's database; null (the default) for a store that
   * keeps no usage, so that reports answer that there is none.
   */
  default UsageStore usage() {
    return null;
  }

  /**
   * Releases the held jobs whose hold ends at or before {@code now} (a rate limit refilled, a
   * concurrency hold's safety timeout): they become claimable again, in their old order. The
   * lanes that got claimable jobs are told to their ready listeners.
   *
   * @return how many it released, at most {@code limit}
   */
  default int releaseHolds(Instant now, int limit) {
    return 0;
  }

  /**
   * Releases, per key, up to that many of the oldest jobs the key holds: jobs of a concurrency key
   * ended and made room, or a circuit breaker closed ({@link dev.vigil.job.Hold#key()}). The lanes
   * that got claimable jobs are told to their ready listeners.
   */
  default void releaseHeld(Map<String, Integer> byConcurrencyKey) {}

  /**
   * Per key, how many jobs of that concurrency key run ({@code [0]}) and how many ready jobs that
   * key holds ({@code [1]}); only keys with either.
   */
  default Map<String, long[]> keyCounts() {
    return Map.of();
  }

  /**
   * Where the quotas of limits per key ({@code rate} and {@code units}) are kept when the engine
   * runs on this store, reading time from {@code clock}: a store shared by several nodes returns
   * buckets in its database, so that every node draws from the same quota; null (the default)
   * keeps them in this process. Asked once, when the engine starts with limits.
   */
  default QuotaBuckets quotaBuckets(InstantSource clock) {
    return null;
  }

  /**
   * Gives back jobs a claim leased but nobody started (jobs waiting in a node's prefetch buffer,
   * or a claim whose answer could not be delivered), as if the claim had not taken them. Each is
   * fenced by its lease token, as a finish is: the job becomes {@code ready} again at its place
   * in the queue ({@code run_at} unchanged), its attempt number goes back to what it was and its
   * {@code started_at} to its previous attempt's, its lease is cleared, and no attempt is
   * recorded, so the give-back costs none of its {@code max_attempts}. A job whose cancellation
   * was requested meanwhile ends {@code cancelled} instead ({@code finished_at = now}). A stale
   * lease changes nothing. Ready listeners are told after the commit.
   *
   * @return the state each job given back is in now, by id; stale leases are absent
   */
  Map<String, JobState> unclaim(List<Lease> leases, Instant now);

  /**
   * Extends a running job's lease to {@code newExpiry} and records progress when given ({@code
   * progress} null leaves it unchanged), fenced by the lease token.
   *
   * @throws LeaseLostException if the job is not running or its lease token differs
   * @throws JobNotFoundException if there is no such job
   */
  HeartbeatResult heartbeat(
      String jobId, String leaseToken, Instant newExpiry, Double progress, String message);

  /** Running jobs whose lease expired before {@code now}, oldest expiry first, at most {@code limit}. */
  List<Job> findExpiredLeases(Instant now, int limit);

  /**
   * Moves scheduled jobs with {@code run_at <= now} to ready, at most {@code limit} of them, and
   * tells ready listeners of their lanes after the commit.
   *
   * @return the promoted jobs, as they are now (ready), so the engine can publish their events
   */
  List<Job> promoteDue(Instant now, int limit);

  /** The earliest {@code run_at} among scheduled jobs, or empty when none is scheduled. */
  Optional<Instant> nextScheduledRunAt();

  /**
   * Cancels a job: {@code scheduled} or {@code ready} become {@code cancelled} at once ({@code
   * finished_at = now}); a {@code running} job stays running with {@code cancel_requested} set,
   * for its worker to see.
   *
   * @throws JobNotFoundException if there is no such job
   * @throws IllegalTransitionException if the job already ended
   */
  Job cancel(String id, Instant now);

  /**
   * Sends a {@code dead} or {@code cancelled} job back to {@code ready} ({@code run_at = now},
   * {@code finished_at} cleared, attempts kept), and tells ready listeners after the commit.
   *
   * @throws JobNotFoundException if there is no such job
   * @throws IllegalTransitionException if the job is in any other state, or its unique key is now
   *     held by another active job
   */
  Job retry(String id, Instant now);

  /** Active job counts per lane that holds any, with the oldest ready job's {@code run_at}. */
  List<LaneDepth> laneDepths();

  /** How many jobs are in each state (states with none may be absent). */
  Map<JobState, Long> countByState();

  /** Marks a lane paused or not, durably; claims skip paused lanes. */
  void setLanePaused(String lane, boolean paused);

  /**
   * The lanes whose pause flag has been set by {@link #setLanePaused}, with its value; lanes never
   * set are absent (the engine's configuration decides for them).
   */
  Map<String, Boolean> lanePauses();

  /** Creates or replaces a schedule by name. */
  ScheduleUpsert upsertSchedule(Schedule schedule);

  Optional<Schedule> getSchedule(String name);

  /** All schedules, by name. */
  List<Schedule> listSchedules();

  /** @return whether a schedule was deleted */
  boolean deleteSchedule(String name);

  /** Schedules whose {@code next_fire_at <= now}. */
  List<Schedule> dueSchedules(Instant now);

  /**
   * Fires one tick of a schedule, exactly once across every node: in one transaction, if the
   * schedule's {@code next_fire_at} still equals {@code expectedNextFireAt}, sets it to {@code
   * newNextFireAt} and {@code last_fired_at} to {@code tick}, and enqueues {@code job} (as
   * {@link #enqueue} would, unique key included). Otherwise (another node fired it, or the
   * schedule changed or was deleted) does nothing.
   *
   * @return the enqueued (or duplicate) job, or empty when this call did not fire the tick
   */
  Optional<Job> fireSchedule(
      String name, Instant expectedNextFireAt, Instant tick, Instant newNextFireAt, NewJob job);

  /**
   * Records a node's heartbeat (inserting it on first sight), so operators can list the nodes
   * sharing this store and see which stopped heartbeating.
   */
  void heartbeatNode(NodeRecord node);

  /** Every node that ever heartbeated into this store, by id. */
  List<NodeRecord> nodes();

  /**
   * Takes or keeps leadership: the leader runs the duties that must run on exactly one node
   * (recurring schedules, lease rescue, retention). Succeeds when no node holds leadership, when
   * {@code nodeId} already holds it, or when the holder's term ended before {@code now}; the term
   * then runs until {@code now + term}. Race-free across nodes: at most one node holds a term at
   * any instant.
   *
   * @return whether {@code nodeId} is the leader until {@code now + term}
   */
  boolean tryLead(String nodeId, Instant now, java.time.Duration term);

  /**
   * Registers a listener told, after commits, the lane of newly ready work (enqueue, promotion,
   * retry, lease given back). Stores shared by several nodes also report other nodes' changes.
   * Listeners must be quick and must not call the store; they may be told more than once.
   */
  void addReadyListener(Consumer<String> lane);

  /** Flushes pending writes and releases connections and files. */
  @Override
  void close();
}
