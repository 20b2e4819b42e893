package dev.vigil.observe.history.spi;

/**
 * A registered series and the id its chunks are stored under.
 *
 * @param id the store's id, unique in the store, never reused while the series exists
 * @param key what the series is
 */
public record StoredSeries(long id, SeriesKey key) {}
