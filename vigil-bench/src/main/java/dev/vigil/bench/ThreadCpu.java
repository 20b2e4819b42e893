package dev.vigil.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a run's CPU went: CPU time per live platform thread, grouped by name with digits folded
 * ({@code ForkJoinPool-1-worker-3} → {@code ForkJoinPool-N-worker-N}, the carriers of virtual
 * threads, where handlers and the engine's per-job code run). Threads that ended during the run
 * report themselves through {@link #add}. What the process used beyond the threads seen (GC, JIT
 * compiler, threads that ended unseen) shows as {@code jvm (gc, jit, other)}.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> before = new HashMap<>();
  private final Map<String, Long> ended = new HashMap<>();
  private final long processBefore;

  ThreadCpu() {
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      if (t >= 0) {
        before.put(id, t);
      }
    }
    processBefore = CpuClock.processCpuNanos();
  }

  /** A thread about to end reports the CPU it used during the run. */
  synchronized void add(String group, long nanos) {
    ended.merge(group, nanos, Long::sum);
  }

  /** Microseconds of CPU per job by thread group, largest first. */
  synchronized Map<String, Object> perJob(long jobs) {
    Map<String, Long> used = new TreeMap<>(ended);
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      ThreadInfo info = THREADS.getThreadInfo(id);
      if (t < 0 || info == null) {
        continue;
      }
      long delta = t - before.getOrDefault(id, 0L);
      if (delta > 0) {
        used.merge(info.getThreadName().replaceAll("\\d+", "N"), delta, Long::sum);
      }
    }
    long seen = used.values().stream().mapToLong(Long::longValue).sum();
    used.put(
        "jvm (gc, jit, other)", Math.max(0, CpuClock.processCpuNanos() - processBefore - seen));
    var out = new LinkedHashMap<String, Object>();
    used.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() / 1_000.0 / jobs >= 0.1)
        .forEach(e -> out.put(e.getKey(), Figures.cpuMicrosPerJob(e.getValue(), jobs)));
    return out;
  }

  /** CPU time of the calling thread so far. */
  static long currentThreadNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
