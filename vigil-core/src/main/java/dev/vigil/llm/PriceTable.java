package dev.vigil.llm;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.vigil.llm.spi.PriceStore;

/**
 * The dated price table of LLM calls: the default rows Vigil ships ({@link #withDefaults()}), and
 * override rows from the configuration and {@code PUT /api/v1/llm/prices} ({@link #put}).
 *
 * <p><b>Which row prices a call.</b> Among the rows of the call's provider (any case) whose
 * pattern matches the <em>whole</em> model name and whose {@code valid_from} is on or before the
 * call's UTC date, the row in force is, in this order of precedence:
 *
 * <ol>
 *   <li>the latest {@code valid_from};
 *   <li>then an override over a default row;
 *   <li>then the more specific pattern: the one with more literal characters ({@code
 *       gpt-4o-mini} has 11, {@code gpt-4o.*} has 6; an escaped character such as {@code \.}
 *       counts as one, regular-expression operators count nothing);
 *   <li>then the row added last.
 * </ol>
 *
 * A row that is newer but broader therefore wins over an older, narrower one: keep patterns of
 * different models from overlapping (the shipped rows do), or give a family-wide row the date from
 * which it should apply to the whole family.
 *
 * <p><b>Never retroactive.</b> The table prices a call when the call is recorded, and the cost is
 * stored with the record; rows added later, even with an earlier {@code valid_from}, do not change
 * costs already recorded, only calls recorded after them.
 *
 * <p>Thread-safe: readers see an immutable snapshot; {@link #put} replaces it atomically, so a
 * call is priced either wholly before or wholly after a change.
 */
public final class PriceTable {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final List<Entry> defaults;
  private volatile Snapshot snapshot;
  private long added;
  private PriceStore store;

  private PriceTable(List<PriceRow> defaultRows) {
    var list = new ArrayList<Entry>();
    for (PriceRow row : defaultRows) {
      list.add(new Entry(Objects.requireNonNull(row, "row"), false, added++));
    }
    this.defaults = List.copyOf(list);
    this.snapshot = new Snapshot(List.of());
  }

  /** A table whose default rows are the ones Vigil ships (see {@code docs/llm.md}), with no overrides. */
  public static PriceTable withDefaults() {
    return new PriceTable(DefaultPrices.rows());
  }

  /** A table with {@code defaultRows} as its default rows and no overrides. */
  public static PriceTable of(List<PriceRow> defaultRows) {
    return new PriceTable(defaultRows);
  }

  /**
   * Keeps later overrides in {@code store}: first adds the rows stored there as overrides (after
   * the ones already present, so a stored row replaces a configured row of the same key), then
   * writes every later {@link #put} to the store before the table changes. Called once, at start.
   *
   * @throws IllegalStateException when the table is stored already
   */
  public synchronized PriceTable storedIn(PriceStore store) {
    if (this.store != null) {
      throw new IllegalStateException("the price table is stored already");
    }
    apply(store.prices());
    this.store = Objects.requireNonNull(store);
    return this;
  }

  /**
   * Adds override rows; a row with the same provider, pattern and {@code valid_from} as an
   * override already present replaces it. All rows are added at once, or none: with a store
   * ({@link #storedIn}), they are written there first, and a store that fails leaves the table as
   * it was.
   */
  public synchronized void put(List<PriceRow> rows) {
    List<PriceRow> all = List.copyOf(rows);
    if (store != null && !all.isEmpty()) {
      store.putPrices(all);
    }
    apply(all);
  }

  private void apply(List<PriceRow> rows) {
    var next = new ArrayList<>(snapshot.overrides());
    for (PriceRow row : List.copyOf(rows)) {
      next.removeIf(e -> e.row().sameKey(row));
      next.add(new Entry(row, true, added++));
    }
    snapshot = new Snapshot(List.copyOf(next));
  }

  /**
   * Every row, as {@code GET /api/v1/llm/prices} lists it: the default rows that no override of
   * the same key replaces, then the overrides, in the order they were added.
   */
  public List<PriceRow> rows() {
    List<Entry> overrides = snapshot.overrides();
    var out = new ArrayList<PriceRow>();
    for (Entry d : defaults) {
      if (overrides.stream().noneMatch(o -> o.row().sameKey(d.row()))) {
        out.add(d.row());
      }
    }
    overrides.forEach(o -> out.add(o.row()));
    return List.copyOf(out);
  }

  /** The override rows only (configuration and API), in the order they were added. */
  public List<PriceRow> overrides() {
    return snapshot.overrides().stream().map(Entry::row).toList();
  }

  /** The row in force for a call to {@code model} of {@code provider} at {@code at}, if any (see the class notes). */
  public Optional<PriceRow> rowFor(String provider, String model, Instant at) {
    if (provider == null || model == null) {
      return Optional.empty();
    }
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    String p = provider.strip();
    Comparator<Entry> order =
        Comparator.comparing((Entry e) -> e.row().validFrom())
            .thenComparing(Entry::override)
            .thenComparingInt(Entry::literals)
            .thenComparingLong(Entry::seq);
    List<Entry> overrides = snapshot.overrides();
    return java.util.stream.Stream.concat(defaults.stream(), overrides.stream())
        .filter(e -> e.row().provider().equalsIgnoreCase(p))
        .filter(e -> !e.row().validFrom().isAfter(day))
        .filter(e -> e.pattern().matcher(model).matches())
        .max(order)
        .map(Entry::row);
  }

  /**
   * The cost in US dollars of a call, priced by the row in force at {@code at}; empty when no row
   * prices the model (an unknown model's cost is unknown, never zero).
   */
  public Optional<BigDecimal> cost(String provider, String model, Instant at, TokenCounts tokens) {
    Objects.requireNonNull(tokens, "tokens");
    return rowFor(provider, model, at).map(r -> cost(r.usdPerMillion(), tokens));
  }

  /**
   * As {@link #cost(String, String, Instant, TokenCounts)}, except that a cost sent with the
   * record ({@code sentCostUsd}, when not null) wins over the table.
   *
   * @throws InvalidPriceException when {@code sentCostUsd} is negative
   */
  public Optional<BigDecimal> cost(
      String provider, String model, Instant at, TokenCounts tokens, BigDecimal sentCostUsd) {
    if (sentCostUsd != null) {
      if (sentCostUsd.signum() < 0) {
        throw new InvalidPriceException("cost_usd", "must not be negative (got " + sentCostUsd.toPlainString() + ")");
      }
      return Optional.of(sentCostUsd);
    }
    return cost(provider, model, at, tokens);
  }

  /**
   * The cost of {@code tokens} at {@code prices}: input tokens not cached at the input rate,
   * cached input tokens at the cached rate, output tokens (reasoning included) at the output rate.
   */
  public static BigDecimal cost(UsdPerMillion prices, TokenCounts tokens) {
    BigDecimal uncached = BigDecimal.valueOf(tokens.input() - tokens.cachedInput()).multiply(prices.input());
    BigDecimal cached = BigDecimal.valueOf(tokens.cachedInput()).multiply(prices.cachedInput());
    BigDecimal output = BigDecimal.valueOf(tokens.output()).multiply(prices.output());
    BigDecimal micro = uncached.add(cached).add(output);
    return micro.divide(MILLION).stripTrailingZeros();
  }

  /** A row with its compiled pattern, whether it is an override, and when it was added. */
  private record Entry(PriceRow row, Pattern pattern, boolean override, long seq, int literals) {
    Entry(PriceRow row, boolean override, long seq) {
      this(row, PriceRow.compile(row.modelPattern()), override, seq, literals(row.modelPattern()));
    }

    /** Characters of {@code regex} that match themselves: escaped ones count, operators do not. */
    static int literals(String regex) {
      int n = 0;
      for (int i = 0; i < regex.length(); i++) {
        char c = regex.charAt(i);
        if (c == '\\') {
          i++;
          n++;
        } else if (".*+?[](){}|^$".indexOf(c) < 0) {
          n++;
        }
      }
      return n;
    }
  }

  private record Snapshot(List<Entry> overrides) {}
}
