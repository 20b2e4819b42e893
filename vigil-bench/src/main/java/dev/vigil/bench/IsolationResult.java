package dev.vigil.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Bookkeeping of the isolation scenario, shared by every engine: chat jobs sent and not yet started
 * (by sequence number, with their enqueue clock), the queue-wait histogram, and counts of
 * background jobs. Chat jobs still waiting when the run ends are recorded with the wait they had
 * then, so their figures are lower bounds, and {@code not_started} says how many there were.
 */
final class IsolationResult {
  final ConcurrentHashMap<Long, Long> waiting = new ConcurrentHashMap<>();
  final Histogram wait = new SynchronizedHistogram(Figures.latencyHistogram());
  final LongAdder chatsStarted = new LongAdder();
  final LongAdder dreamsStarted = new LongAdder();
  long sent;
  long dreamsRunningAtStart;
  long dreamsStartedInWindow;
  long notStarted;

  /** Before a chat job is enqueued. */
  void sending(long seq, long submitNanos) {
    waiting.put(seq, submitNanos);
  }

  /** When a chat job's handler starts. */
  void started(long seq, long submitNanos) {
    started(seq, submitNanos, System.nanoTime());
  }

  /** When a chat job started at {@code startNanos} (a remote worker received it then). */
  void started(long seq, long submitNanos, long startNanos) {
    if (waiting.remove(seq) != null) {
      Figures.recordNanos(wait, startNanos - submitNanos);
      chatsStarted.increment();
    }
  }

  /** Ends the run: chat jobs still waiting count with their wait so far. */
  void close() {
    long now = System.nanoTime();
    notStarted = waiting.size();
    waiting.values().forEach(t -> Figures.recordNanos(wait, now - t));
    waiting.clear();
  }

  Map<String, Object> figures() {
    var m = new LinkedHashMap<String, Object>();
    m.put("chat_jobs", sent);
    m.put("started", chatsStarted.sum());
    m.put("not_started", notStarted);
    m.putAll(Figures.latencies(wait));
    m.put("background_running_at_start", dreamsRunningAtStart);
    m.put("background_started_during_stream", dreamsStartedInWindow);
    return m;
  }
}
