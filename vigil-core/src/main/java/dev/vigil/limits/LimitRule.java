package dev.vigil.limits;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One limit of the configuration ({@code limits:}): for a key, or every key of a prefix ({@code
 * tenant:*}: each matching key gets its own quota), how many jobs may start per window ({@code
 * rate}), how many cost units they may draw per window ({@code units}, e.g. tokens), and how many
 * may run at once ({@code concurrency}). Each part is optional; a rule sets at least one.
 *
 * <pre>{@code
 * new LimitRule("provider:openai", 500, 200_000L, Duration.ofMinutes(1), null)
 * new LimitRule("user:*", null, null, null, 2)
 * }</pre>
 */
public record LimitRule(String key, Integer rate, Long units, Duration window, Integer concurrency) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:@/-]{1,128}\\*?|\\*");

  public LimitRule {
    Objects.requireNonNull(key, "key");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "key: must be a key of 1-128 letters, digits, '_', '.', ':', '@', '/' or '-', ending in '*' for a prefix (got '"
              + key + "')");
    }
    if (rate == null && units == null && concurrency == null) {
      throw new IllegalArgumentException("a limit sets rate, units or concurrency");
    }
    if (rate != null && rate < 1) {
      throw new IllegalArgumentException("rate: must be at least 1");
    }
    if (units != null && units < 1) {
      throw new IllegalArgumentException("units: must be at least 1");
    }
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("concurrency: must be at least 1");
    }
    if ((rate != null || units != null)
        && (window == null || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0)) {
      throw new IllegalArgumentException("window: a rate or units limit needs a window of 1s to 1d");
    }
    // a Bucket4j bucket refills at most one token per nanosecond
    if (rate != null && rate > window.toNanos()) {
      throw new IllegalArgumentException("rate: must be at most one per nanosecond of the window");
    }
    if (units != null && units > window.toNanos()) {
      throw new IllegalArgumentException("units: must be at most one per nanosecond of the window");
    }
  }

  /** Whether this rule applies to {@code k}: the same key, or a key its prefix starts. */
  public boolean matches(String k) {
    return key.endsWith("*") ? k.startsWith(key.substring(0, key.length() - 1)) : key.equals(k);
  }

  /** Whether it is a prefix rule, whose matching keys each get their own quota. */
  public boolean isPrefix() {
    return key.endsWith("*");
  }
}
