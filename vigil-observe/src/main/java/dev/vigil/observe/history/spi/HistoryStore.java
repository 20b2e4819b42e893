package dev.vigil.observe.history.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where metric history lives: series and the chunks of their points, in three tiers of
 * resolution, plus how far each roll-up has got. The store only keeps and finds bytes; sampling,
 * encoding, roll-ups and queries are the history engine's ({@code MetricHistory}), the same over
 * every store.
 *
 * <p>Every method is safe to call from many threads and from several nodes sharing one database.
 * Each node registers and writes only its own series (their key holds its node id), so writers
 * never contend for a row; the roll-up and the purge run on the leader. Times are passed in,
 * never read by the store. Instants are kept to the millisecond.
 *
 * <p>The abstract {@code HistoryStoreContract} suite in the test kit of {@code vigil-observe} is
 * the definition of a correct store; every implementation must pass it unchanged.
 *
 * <p>Failures of the database surface as {@code dev.vigil.store.StoreException}.
 */
public interface HistoryStore {

  /**
   * Finds each series by its name, node and labels, registering those not stored yet, in one
   * transaction. Race-free: two callers registering one key get the same id.
   *
   * @return one stored series per key, in order; a series found keeps its stored kind and bounds
   */
  List<StoredSeries> register(List<SeriesKey> keys);

  /** Every stored series, of every node, in id order. */
  List<StoredSeries> series();

  /** The stored series of metric {@code name}, of every node, in id order. */
  List<StoredSeries> series(String name);

  /**
   * Stores chunks, each replacing the stored chunk with the same tier, series and start, all in
   * one transaction: all are stored or none.
   */
  void write(List<Chunk> chunks);

  /**
   * The chunks of {@code tier} of these series that may hold points in {@code [from, to]}: those
   * starting at or before {@code to} and ending at or after {@code from}; ordered by series, then
   * start.
   */
  List<Chunk> read(Tier tier, Collection<Long> seriesIds, Instant from, Instant to);

  /** Every chunk of {@code tier}, of every series, that starts in {@code (after, until]}; ordered by series, then start. */
  List<Chunk> readStarting(Tier tier, Instant after, Instant until);

  /** The earliest start of a chunk of {@code tier} after {@code after}, or empty when none starts later. */
  Optional<Instant> firstStartAfter(Tier tier, Instant after);

  /**
   * Stores roll-up chunks of {@code tier} (replacing any with the same tier, series and start) and
   * records that the tier is rolled up until {@code rolledUntil}, in one transaction.
   */
  void writeRollup(Tier tier, List<Chunk> chunks, Instant rolledUntil);

  /** How far {@code tier} has been rolled up: its points are complete up to this time. Empty before the first roll-up. */
  Optional<Instant> rolledUntil(Tier tier);

  /**
   * Deletes the chunks of {@code tier} that end before {@code before}.
   *
   * @return how many chunks were deleted
   */
  int purge(Tier tier, Instant before);

  /**
   * Deletes the series that have no chunk left in any tier: series of nodes gone for longer than
   * every retention (a node id that held the host name and process id of an earlier run). A
   * sampler whose series is deleted between its registration and its first write sees that write
   * fail, and registers again.
   *
   * @return how many series were deleted
   */
  int purgeEmptySeries();
}
