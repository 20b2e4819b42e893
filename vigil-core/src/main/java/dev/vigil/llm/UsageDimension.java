package dev.vigil.llm;

import java.util.Locale;

/**
 * What usage can be grouped and filtered by: the labels of {@code GET /api/v1/llm/usage?by=} and
 * of budgets' scopes.
 */
public enum UsageDimension {
  PROVIDER,
  MODEL,
  TYPE,
  LANE;

  /** The name in the API: {@code provider}, {@code model}, {@code type} or {@code lane}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The dimension named {@code label} (any case).
   *
   * @throws IllegalArgumentException naming the dimensions there are
   */
  public static UsageDimension of(String label) {
    for (UsageDimension d : values()) {
      if (d.label().equalsIgnoreCase(label.strip())) {
        return d;
      }
    }
    throw new IllegalArgumentException("must be provider, model, type or lane (got " + label + ")");
  }
}
