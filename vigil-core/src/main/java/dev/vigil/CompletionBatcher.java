package dev.vigil;

import dev.vigil.job.Job;
import dev.vigil.job.JobState;
import dev.vigil.store.Finish;
import dev.vigil.store.JobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outcomes of in-process attempts in batches, so that a busy node pays one store
 * transaction for every attempt that ended in the last few milliseconds instead of one each.
 *
 * <p>Design: a worker that finished a job queues its {@link Finish} and hands its slot back at
 * once; one thread drains the queue and calls {@link JobStore#finishAll}. Until the batch
 * commits, the store still counts those jobs as running, so lane caps can only err on the safe
 * side, and a crash in between loses nothing: the leases expire and the jobs run again (delivery
 * is at least once). The queue is bounded to twice the worker slots, so a node never runs far
 * ahead of what it has recorded (a crash re-runs at most that many finished jobs): when the store
 * falls behind, finishing workers wait,
 * which in turn slows claiming. A batch the store refuses is retried with back-off a few times;
 * after that its jobs are left to lease expiry, which rescues them.
 */
final class CompletionBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CompletionBatcher.class);
  private static final int MAX_BATCH = 1_024;
  private static final int WRITE_TRIES = 5;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

  private record Pending(Job running, Finish finish) {}

  private final JobStore store;
  private final JobEvents events;
  private final java.util.function.Consumer<String> laneRoomFreed;
  private final BlockingQueue<Pending> queue;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();
  private final Thread thread;
  private long submitted;
  private long written;
  private volatile boolean closing;

  /**
   * @param laneRoomFreed told, after each written batch, of every lane whose jobs ended in it: a
   *     capped lane may have room again
   */
  CompletionBatcher(JobStore store, JobEvents events, int capacity, java.util.function.Consumer<String> laneRoomFreed) {
    this.store = store;
    this.events = events;
    this.laneRoomFreed = laneRoomFreed;
    this.queue = new ArrayBlockingQueue<>(Math.max(16, Math.min(MAX_BATCH, capacity)));
    this.thread = Thread.ofPlatform().name("vigil-completions").daemon().start(this::run);
  }

  /** Queues an attempt's outcome; waits only while the queue is full. */
  void submit(Job running, Finish finish) {
    lock.lock();
    try {
      submitted++;
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(new Pending(running, finish));
        break;
      } catch (InterruptedException e) {
        interrupted = true; // a finished job's outcome must not be dropped
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until everything submitted so far is written (or given up on). */
  void flush() {
    lock.lock();
    try {
      long target = submitted;
      while (written < target) {
        drained.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    flush();
    closing = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    var batch = new ArrayList<Pending>(MAX_BATCH);
    while (!closing) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      write(batch);
      lock.lock();
      try {
        written += batch.size();
        drained.signalAll();
      } finally {
        lock.unlock();
      }
      batch.clear();
    }
  }

  /**
   * Jobs of concurrency keys ended: each makes room for the oldest job its key holds. A failure
   * here is logged only; the holds end by themselves within {@link
   * dev.vigil.limits.KeyLimits#CONCURRENCY_RECHECK}.
   */
  private void releaseHeld(List<Pending> batch, Map<String, JobState> applied) {
    Map<String, Integer> freed = new java.util.TreeMap<>();
    for (Pending p : batch) {
      JobState now = applied.get(p.finish().jobId());
      if (p.running().concurrencyKey() != null && now != null && now != JobState.RUNNING) {
        freed.merge(p.running().concurrencyKey(), 1, Integer::sum);
      }
    }
    if (freed.isEmpty()) {
      return;
    }
    try {
      store.releaseHeld(freed);
    } catch (RuntimeException e) {
      log.warn("releasing the jobs held by {} concurrency keys failed: {}", freed.size(), e.toString());
    }
  }

  private void write(List<Pending> batch) {
    List<Finish> finishes = batch.stream().map(Pending::finish).toList();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= WRITE_TRIES; attempt++) {
      try {
        Map<String, JobState> applied = store.finishAll(finishes);
        batch.stream().map(p -> p.running().lane()).distinct().forEach(laneRoomFreed);
        releaseHeld(batch, applied);
        for (Pending p : batch) {
          JobState now = applied.get(p.finish().jobId());
          if (now != null) {
            events.transition(p.running().toBuilder().state(now).build(), JobState.RUNNING, p.finish());
          } else {
            log.warn("job {} lost its lease before its outcome was written; it is discarded", p.running().id());
          }
        }
        return;
      } catch (RuntimeException e) {
        log.warn("writing {} job outcomes failed (try {} of {}): {}", batch.size(), attempt, WRITE_TRIES, e.toString());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
        backoff = backoff.multipliedBy(2);
      }
    }
    log.error("gave up writing {} job outcomes; their leases will expire and the jobs run again", batch.size());
  }
}
