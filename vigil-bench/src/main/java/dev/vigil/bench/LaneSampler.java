package dev.vigil.bench;

import dev.vigil.Vigil;
import dev.vigil.job.LaneStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the engine's lanes once a second during the overload scenario ({@link Vigil#lanes()}: one
 * store query, as {@code GET /api/v1/lanes} makes): each lane's ready jobs and backpressure level
 * per second, their peaks, and the highest level's name. Harness bookkeeping, in the server's JVM
 * but outside its request path.
 */
final class LaneSampler implements AutoCloseable {
  private final Vigil vigil;
  private final Map<String, List<Long>> ready = new LinkedHashMap<>();
  private final Map<String, List<Integer>> levels = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean open = true;

  private LaneSampler(Vigil vigil) {
    this.vigil = vigil;
    this.thread = Thread.ofPlatform().daemon().name("bench-lane-sampler").start(this::loop);
  }

  /** Starts sampling now, and then every second. */
  static LaneSampler start(Vigil vigil) {
    return new LaneSampler(vigil);
  }

  private void loop() {
    while (open) {
      sample();
      try {
        Thread.sleep(1_000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void sample() {
    for (LaneStatus s : vigil.lanes()) {
      String lane = s.lane().name();
      ready.computeIfAbsent(lane, k -> new ArrayList<>()).add(s.ready());
      levels.computeIfAbsent(lane, k -> new ArrayList<>()).add(s.backpressure().level().value());
    }
  }

  /** Each lane's ready jobs now (one more store query). */
  Map<String, Long> readyNow() {
    var m = new LinkedHashMap<String, Long>();
    vigil.lanes().forEach(s -> m.put(s.lane().name(), s.ready()));
    return m;
  }

  /**
   * A lane's samples: {@code peak_ready}, {@code peak_level} (0 to 3), and the series {@code
   * ready_per_s} and {@code level_per_s}.
   */
  synchronized Map<String, Object> figures(String lane) {
    List<Long> r = ready.getOrDefault(lane, List.of());
    List<Integer> l = levels.getOrDefault(lane, List.of());
    var m = new LinkedHashMap<String, Object>();
    m.put("peak_ready", r.stream().mapToLong(Long::longValue).max().orElse(0));
    m.put("peak_level", l.stream().mapToInt(Integer::intValue).max().orElse(0));
    m.put("ready_per_s", List.copyOf(r));
    m.put("level_per_s", List.copyOf(l));
    return m;
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    thread.interrupt();
    thread.join();
  }
}
