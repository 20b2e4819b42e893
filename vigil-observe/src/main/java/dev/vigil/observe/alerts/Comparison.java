package dev.vigil.observe.alerts;

/** How a value is compared with a rule's threshold: {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==}, {@code !=}. */
public enum Comparison {
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  EQ("=="),
  NE("!=");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  /** As written in the rules file. */
  public String symbol() {
    return symbol;
  }

  /** The comparison written as {@code symbol}. @throws IllegalArgumentException for another text */
  public static Comparison of(String symbol) {
    for (Comparison c : values()) {
      if (c.symbol.equals(symbol)) {
        return c;
      }
    }
    throw new IllegalArgumentException("must be one of >, >=, <, <=, ==, != (got '" + symbol + "')");
  }

  /** Whether {@code value} compares so with {@code threshold}; never for NaN. */
  public boolean holds(double value, double threshold) {
    if (Double.isNaN(value)) {
      return false;
    }
    return switch (this) {
      case GT -> value > threshold;
      case GE -> value >= threshold;
      case LT -> value < threshold;
      case LE -> value <= threshold;
      case EQ -> value == threshold;
      case NE -> value != threshold;
    };
  }
}
