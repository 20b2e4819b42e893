package dev.vigil;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Bounds the {@code type} label of job meters. A job's type is free text from clients, and every
 * distinct label value is a new time series in every monitoring system downstream, so only the
 * first {@link #MAX_TYPES} distinct types get their own label; any type seen after that is
 * recorded as {@code other}. Types with a handler on this node are admitted up front, so a
 * client inventing types can never push a handled type out. Thread-safe; under a race the cap
 * may be passed by at most the number of racing threads.
 */
final class TypeLabels {
  /** Distinct types given their own label, handled types included. */
  static final int MAX_TYPES = 200;

  /** The label of a rejected request whose type is missing or not a valid type name. */
  static final String INVALID = "invalid";

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");

  private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  TypeLabels(Set<String> handledTypes) {
    for (String t : handledTypes) {
      if (admitted.putIfAbsent(t, Boolean.TRUE) == null) {
        count.incrementAndGet();
      }
    }
  }

  /** The label for a stored job's type: the type itself while the cap allows, else {@code other}. */
  String of(String type) {
    if (admitted.containsKey(type)) {
      return type;
    }
    if (count.incrementAndGet() <= MAX_TYPES) {
      if (admitted.putIfAbsent(type, Boolean.TRUE) != null) {
        count.decrementAndGet();
      }
      return type;
    }
    count.decrementAndGet();
    return EngineMetrics.OTHER;
  }

  /** As {@link #of}, for a request that may carry no valid type at all ({@code invalid}). */
  String ofRequest(String type) {
    if (type == null || !VALID.matcher(type).matches()) {
      return INVALID;
    }
    return of(type);
  }

  /** How many types have their own label now. */
  int size() {
    return admitted.size();
  }
}
