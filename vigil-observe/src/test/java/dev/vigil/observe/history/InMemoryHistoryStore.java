package dev.vigil.observe.history;

import dev.vigil.observe.history.spi.Chunk;
import dev.vigil.observe.history.spi.HistoryStore;
import dev.vigil.observe.history.spi.SeriesKey;
import dev.vigil.observe.history.spi.StoredSeries;
import dev.vigil.observe.history.spi.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link HistoryStore} in memory, for unit tests of the history engine; it passes the contract
 * kit ({@code InMemoryHistoryContractTest}) like the SQL stores. Every method holds one lock.
 */
public final class InMemoryHistoryStore implements HistoryStore {
  private final Map<List<Object>, StoredSeries> byKey = new LinkedHashMap<>();
  private final TreeMap<Long, StoredSeries> byId = new TreeMap<>();
  private final Map<List<Object>, Chunk> chunks = new LinkedHashMap<>();
  private final Map<Tier, Instant> rolled = new EnumMap<>(Tier.class);
  private long nextId = 1;

  @Override
  public synchronized List<StoredSeries> register(List<SeriesKey> keys) {
    List<StoredSeries> out = new ArrayList<>();
    for (SeriesKey k : keys) {
      List<Object> identity = List.of(k.name(), k.node(), k.labels());
      StoredSeries s = byKey.get(identity);
      if (s == null) {
        s = new StoredSeries(nextId++, k);
        byKey.put(identity, s);
        byId.put(s.id(), s);
      }
      out.add(s);
    }
    return out;
  }

  @Override
  public synchronized List<StoredSeries> series() {
    return List.copyOf(byId.values());
  }

  @Override
  public synchronized List<StoredSeries> series(String name) {
    return byId.values().stream().filter(s -> s.key().name().equals(name)).toList();
  }

  @Override
  public synchronized void write(List<Chunk> written) {
    for (Chunk c : written) {
      if (!byId.containsKey(c.seriesId())) {
        throw new IllegalArgumentException("no series " + c.seriesId());
      }
    }
    written.forEach(c -> chunks.put(List.of(c.tier(), c.seriesId(), c.start()), c));
  }

  @Override
  public synchronized List<Chunk> read(Tier tier, Collection<Long> seriesIds, Instant from, Instant to) {
    Set<Long> ids = new HashSet<>(seriesIds);
    return sorted(
        chunks.values().stream()
            .filter(c -> c.tier() == tier && ids.contains(c.seriesId()))
            .filter(c -> !c.start().isAfter(to) && !c.end().isBefore(from))
            .toList());
  }

  @Override
  public synchronized List<Chunk> readStarting(Tier tier, Instant after, Instant until) {
    return sorted(
        chunks.values().stream()
            .filter(c -> c.tier() == tier && c.start().isAfter(after) && !c.start().isAfter(until))
            .toList());
  }

  @Override
  public synchronized Optional<Instant> firstStartAfter(Tier tier, Instant after) {
    return chunks.values().stream()
        .filter(c -> c.tier() == tier && c.start().isAfter(after))
        .map(Chunk::start)
        .min(Comparator.naturalOrder());
  }

  @Override
  public synchronized void writeRollup(Tier tier, List<Chunk> written, Instant rolledUntil) {
    write(written);
    rolled.put(tier, rolledUntil);
  }

  @Override
  public synchronized Optional<Instant> rolledUntil(Tier tier) {
    return Optional.ofNullable(rolled.get(tier));
  }

  @Override
  public synchronized int purge(Tier tier, Instant before) {
    int before0 = chunks.size();
    chunks.values().removeIf(c -> c.tier() == tier && c.end().isBefore(before));
    return before0 - chunks.size();
  }

  @Override
  public synchronized int purgeEmptySeries() {
    Set<Long> used = new HashSet<>();
    chunks.values().forEach(c -> used.add(c.seriesId()));
    int before = byId.size();
    byId.keySet().removeIf(id -> !used.contains(id));
    byKey.values().removeIf(s -> !used.contains(s.id()));
    return before - byId.size();
  }

  private static List<Chunk> sorted(List<Chunk> list) {
    return list.stream()
        .sorted(Comparator.comparingLong(Chunk::seriesId).thenComparing(Chunk::start))
        .toList();
  }
}
