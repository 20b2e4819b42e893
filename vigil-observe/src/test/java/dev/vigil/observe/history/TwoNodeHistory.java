package dev.vigil.observe.history;

import dev.vigil.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Real metric history for tests: two nodes' meter registries ({@code a} and {@code b}) sampled
 * into one in-memory store every 10 s of a manual clock, as servers sample theirs, and read back
 * through {@link MetricHistory}.
 */
public final class TwoNodeHistory {
  public static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  public final ManualClock clock = new ManualClock(T0);
  public final InMemoryHistoryStore store = new InMemoryHistoryStore();
  public final SimpleMeterRegistry nodeA = new SimpleMeterRegistry();
  public final SimpleMeterRegistry nodeB = new SimpleMeterRegistry();
  public final HistorySampler samplerA = HistorySampler.builder(nodeA, store).node("a").clock(clock).build();
  public final HistorySampler samplerB = HistorySampler.builder(nodeB, store).node("b").clock(clock).build();
  /** Gauges hold their value weakly: what {@link #keep} is given stays alive with this object. */
  private final List<Object> kept = new ArrayList<>();

  /** The history over the store, with the default settings. */
  public MetricHistory history() {
    return MetricHistory.of(store, HistorySettings.DEFAULTS, clock);
  }

  /** Runs {@code d} in 10 s steps: {@code tick} (given the step's number) changes the meters, then both nodes sample. */
  public void run(Duration d, Consumer<Integer> tick) {
    for (int i = 1; i <= d.toSeconds() / 10; i++) {
      clock.advance(Duration.ofSeconds(10));
      tick.accept(i);
      samplerA.sample(clock.instant());
      samplerB.sample(clock.instant());
    }
  }

  /** Keeps {@code value} (a gauge's state) alive as long as this history. */
  public <T> T keep(T value) {
    kept.add(value);
    return value;
  }
}
