package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.WorkerClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The remote workers this node serves, taken together as one pool of slots, so that lane weights
 * and reserved slots hold across the fleet as they do across a node's own slots.
 *
 * <p>Design: a worker is a member while it claims, holds a lease, or was seen within its lease
 * period (claims, heartbeats, reports). Each member has {@code slots} (declared in its claim,
 * default its {@code max}), the leases this node handed it, and the slots planned for its claim
 * in flight. A claim is planned by one {@link LaneScheduler} for the whole fleet, so lanes take
 * turns by weight across every worker's claims, and each start costs its lane's recent mean run
 * time ({@link LaneRunTimes}): lanes share busy worker-time by weight, so 30-second dreams cannot
 * take most of the fleet by winning one start in nine.
 *
 * <p>Reserved slots: lane {@code i} may take a slot of the claiming worker only if, after it, at
 * least {@code reserved(i)} free slots remain on members that serve a lane above {@code i}. A
 * worker that serves no lane above {@code i} is no use to those lanes, so nothing is held back on
 * it. As on a node, a lane never reserves the whole fleet ({@code reserved} is at most the fleet's
 * slots minus one). With six one-slot workers serving chat and dreams and {@code background}
 * reserving two, dreams run on four of them and two stay free for chat.
 *
 * <p>Limits: each node counts the workers that claim from it and the leases it handed out; a
 * report that reaches another node leaves the lease counted here until it expires. Point each
 * worker at one node (or route by worker id) for the rule to hold across nodes. Thread-safe: every
 * method is synchronized, and each is a walk over the members at most.
 */
final class RemoteFleet {
  private final EngineConfig config;
  private final LanePauses pauses;
  private final LaneRunTimes runTimes;
  private final LaneScheduler scheduler;
  private final Map<String, Member> members = new HashMap<>();
  private final Map<String, Held> leases = new HashMap<>();

  /** One worker as the fleet sees it. */
  private static final class Member {
    int slots;
    int topLane;
    Duration liveFor;
    Instant liveUntil;
    int claiming;
    int held;
    int pending;

    int free() {
      return Math.max(0, slots - held - pending);
    }
  }

  /** A lease handed to a member and not yet reported on. */
  private static final class Held {
    final String workerId;
    final int lane;
    final Instant claimedAt;
    Instant expiresAt;

    Held(String workerId, int lane, Instant claimedAt, Instant expiresAt) {
      this.workerId = workerId;
      this.lane = lane;
      this.claimedAt = claimedAt;
      this.expiresAt = expiresAt;
    }
  }

  RemoteFleet(EngineConfig config, LanePauses pauses) {
    this.config = config;
    this.pauses = pauses;
    this.runTimes = new LaneRunTimes(config.lanes().size());
    this.scheduler = new LaneScheduler(config.lanes(), runTimes);
  }

  /**
   * A claim begins: its worker is a member while it waits, with the slots it declares.
   *
   * @param topLane the highest lane the worker serves
   */
  synchronized void joined(WorkerClaim claim, int topLane) {
    Instant now = config.clock().instant();
    Member m = members.computeIfAbsent(claim.workerId(), id -> new Member());
    m.slots = claim.slots();
    m.topLane = topLane;
    m.liveFor = claim.lease();
    m.liveUntil = now.plus(claim.lease());
    m.claiming++;
  }

  /**
   * A claim ended. Its worker stays a member for its lease period, unless it has gone (its
   * connection closed): then it leaves the fleet once it holds no lease and waits in no claim.
   */
  synchronized void left(String workerId, boolean gone) {
    Member m = members.get(workerId);
    if (m != null) {
      m.claiming--;
      Instant now = config.clock().instant();
      m.liveUntil = gone ? now.minusNanos(1) : now.plus(m.liveFor);
    }
  }

  /**
   * How many jobs a claim may take in all: its {@code max}, within the worker's free slots. A
   * worker that claims is taken to have at least one free slot (a report of its last job may have
   * reached another node).
   */
  synchronized int capacity(WorkerClaim claim) {
    Member me = members.get(claim.workerId());
    return Math.max(1, Math.min(claim.max(), me.slots - me.held - me.pending));
  }

  /**
   * Plans one pass of a worker's claim: how many jobs to take from each lane. The planned slots
   * count as the worker's until {@link #claimed} settles them.
   *
   * @param capacity how many more jobs the claim may take ({@link #capacity}, less those it got)
   * @param open the lanes the worker serves that may have ready work
   * @return jobs to claim per lane index; all zero when none may be taken now
   */
  synchronized int[] plan(WorkerClaim claim, int capacity, boolean[] open) {
    prune(config.clock().instant());
    Member me = members.get(claim.workerId());
    int lanes = config.lanes().size();
    long[] freeAbove = new long[lanes + 1];
    long fleetSlots = 0;
    for (Member m : members.values()) {
      fleetSlots += m.slots;
      if (m != me) {
        freeAbove[m.topLane + 1] += m.free();
      }
    }
    freeAbove[me.topLane + 1] += capacity;
    for (int i = 1; i <= lanes; i++) {
      freeAbove[i] += freeAbove[i - 1];
    }
    long slots = fleetSlots;
    var view =
        new LaneScheduler.LaneView() {
          @Override
          public boolean hasWork(int lane) {
            return open[lane];
          }

          @Override
          public boolean paused(int lane) {
            return pauses.isPaused(lane);
          }

          @Override
          public int running(int lane) {
            return 0;
          }

          @Override
          public int reserved(int lane, int configured) {
            if (me.topLane >= lane) {
              return 0;
            }
            long keep = Math.min(configured, slots - 1);
            long othersFree = freeAbove[lane] - capacity;
            return (int) Math.max(Integer.MIN_VALUE, keep - othersFree);
          }
        };
    int[] quota = scheduler.plan(capacity, view);
    for (int q : quota) {
      me.pending += q;
    }
    return quota;
  }

  /**
   * Settles a planned pass: the jobs the store leased become the worker's, and the slots planned
   * for jobs the store did not have are given back to their lanes.
   */
  synchronized void claimed(String workerId, int[] planned, List<Job> got) {
    Member me = members.get(workerId);
    Instant now = config.clock().instant();
    int[] perLane = new int[planned.length];
    for (Job job : got) {
      int lane = config.laneIndex(job.lane());
      perLane[lane]++;
      leases.put(job.id(), new Held(workerId, lane, now, job.leaseExpiresAt()));
    }
    for (int i = 0; i < planned.length; i++) {
      me.pending -= planned[i];
      if (planned[i] > perLane[i]) {
        scheduler.refund(i, planned[i] - perLane[i]);
      }
    }
    me.held += got.size();
  }

  /** A member renewed a lease: it is live, and the slot stays taken until the new expiry. */
  synchronized void renewed(String jobId, Instant expiresAt) {
    Held h = leases.get(jobId);
    if (h != null) {
      h.expiresAt = expiresAt;
      seen(h.workerId);
    }
  }

  /** A member reported the end of a job it held: its slot is free, its run time counted. */
  synchronized void ended(String jobId) {
    Held h = release(jobId);
    if (h != null) {
      runTimes.ended(h.lane, Duration.between(h.claimedAt, config.clock().instant()));
      seen(h.workerId);
    }
  }

  /** A member's lease on the job is gone (it expired, or someone else holds the job now). */
  synchronized void lost(String jobId) {
    release(jobId);
  }

  /** Live members and the slots they declared, for operators and tests. */
  synchronized int slots() {
    prune(config.clock().instant());
    return members.values().stream().mapToInt(m -> m.slots).sum();
  }

  private Held release(String jobId) {
    Held h = leases.remove(jobId);
    if (h != null) {
      Member m = members.get(h.workerId);
      if (m != null) {
        m.held--;
      }
    }
    return h;
  }

  private void seen(String workerId) {
    Member m = members.get(workerId);
    if (m != null) {
      Instant until = config.clock().instant().plus(m.liveFor);
      if (until.isAfter(m.liveUntil)) {
        m.liveUntil = until;
      }
    }
  }

  /** Forgets leases past their expiry (the reaper rescues those jobs) and members gone quiet. */
  private void prune(Instant now) {
    for (Iterator<Held> it = leases.values().iterator(); it.hasNext(); ) {
      Held h = it.next();
      if (h.expiresAt.isBefore(now)) {
        it.remove();
        Member m = members.get(h.workerId);
        if (m != null) {
          m.held--;
        }
      }
    }
    members.values().removeIf(m -> m.claiming == 0 && m.held == 0 && m.pending == 0 && m.liveUntil.isBefore(now));
  }

  /** The index of the highest lane of those served. */
  static int topLane(boolean[] served) {
    int top = 0;
    while (!served[top]) {
      top++;
    }
    return top;
  }
}
