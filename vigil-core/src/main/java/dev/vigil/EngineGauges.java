package dev.vigil;

import dev.vigil.job.Lane;
import dev.vigil.store.LaneDepth;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.InstantSource;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's gauges: queue depth and oldest ready age per lane (from a {@link LaneDepthCache},
 * so a scrape never hammers the store), each lane's configured capacity and backpressure level, this node's running jobs
 * and slot utilisation per lane, its worker slots, waiting remote claims and dropped events.
 * Gauges are read only when scraped.
 */
final class EngineGauges {
  /** What the gauges read. */
  record Sources(
      List<Lane> lanes,
      int workers,
      IntUnaryOperator runningByLane,
      IntSupplier waitingClaims,
      LongSupplier droppedEvents,
      LaneDepthCache depths,
      InstantSource clock,
      IntUnaryOperator backpressureLevel) {}

  private EngineGauges() {}

  static void register(EngineMetrics metrics, Sources s) {
    if (!metrics.enabled()) {
      return;
    }
    for (int i = 0; i < s.lanes().size(); i++) {
      String lane = s.lanes().get(i).name();
      int index = i;
      depth(metrics, s, lane, "scheduled", LaneDepth::scheduled);
      depth(metrics, s, lane, "ready", LaneDepth::ready);
      depth(metrics, s, lane, "running", LaneDepth::running);
      metrics.register(
          r ->
              Gauge.builder("vigil.queue.oldest.ready.age", s, x -> oldestReadyAge(x, lane))
                  .description("How long the lane's longest-waiting ready job has been due (0 when none is ready)")
                  .baseUnit("seconds")
                  .tag("lane", lane)
                  .strongReference(true)
                  .register(r));
      int capacity = s.lanes().get(i).capacity();
      metrics.register(
          r ->
              Gauge.builder("vigil.lane.capacity", s, x -> capacity)
                  .description("The lane's configured capacity: the ready jobs at which its backpressure is overloaded (the backlog health check compares scheduled plus ready with it)")
                  .tag("lane", lane)
                  .strongReference(true)
                  .register(r));
      metrics.register(
          r ->
              Gauge.builder("vigil.backpressure.level", s, x -> x.backpressureLevel().applyAsInt(index))
                  .description("The lane's backpressure level: 0 normal, 1 warning, 2 critical, 3 overloaded")
                  .tag("lane", lane)
                  .strongReference(true)
                  .register(r));
      metrics.register(
          r ->
              Gauge.builder("vigil.jobs.running", s, x -> x.runningByLane().applyAsInt(index))
                  .description("Jobs running in this node's worker slots")
                  .tag("lane", lane)
                  .strongReference(true)
                  .register(r));
      metrics.register(
          r ->
              Gauge.builder(
                      "vigil.worker.slot.utilisation",
                      s,
                      x -> (double) x.runningByLane().applyAsInt(index) / x.workers())
                  .description("Share of this node's worker slots busy with the lane's jobs (0 to 1; lanes sum to the node's use)")
                  .tag("lane", lane)
                  .strongReference(true)
                  .register(r));
    }
    metrics.register(
        r ->
            Gauge.builder("vigil.worker.slots", s, x -> x.workers())
                .description("Worker slots of this node")
                .strongReference(true)
                .register(r));
    metrics.register(
        r ->
            Gauge.builder("vigil.claims.waiting", s, x -> x.waitingClaims().getAsInt())
                .description("Remote workers' long-poll claims waiting for work")
                .strongReference(true)
                .register(r));
    metrics.register(
        r ->
            FunctionCounter.builder("vigil.event.bus.dropped", s, x -> x.droppedEvents().getAsLong())
                .description("Job events dropped because a subscriber fell behind")
                .register(r));
  }

  private static void depth(
      EngineMetrics metrics, Sources s, String lane, String state, ToDoubleFunction<LaneDepth> count) {
    metrics.register(
        r ->
            Gauge.builder(
                    "vigil.queue.depth",
                    s,
                    x -> {
                      LaneDepth d = x.depths().get(lane);
                      return d == null ? 0 : count.applyAsDouble(d);
                    })
                .description("Active jobs per lane and state, in the whole store (read at most every few seconds)")
                .tags("lane", lane, "state", state)
                .strongReference(true)
                .register(r));
  }

  private static double oldestReadyAge(Sources s, String lane) {
    LaneDepth d = s.depths().get(lane);
    if (d == null || d.oldestReadyRunAt() == null) {
      return 0;
    }
    long millis = s.clock().millis() - d.oldestReadyRunAt().toEpochMilli();
    return Math.max(0, millis) / 1000.0;
  }
}
