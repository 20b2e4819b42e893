package dev.vigil.llm;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which calls to count: those whose provider, model, job type and lane equal the given values
 * (exactly); a null value matches any. Calls made outside any job have no type and no lane, so a
 * filter on either leaves them out.
 */
public record UsageFilter(String provider, String model, String type, String lane) {
  /** Every call. */
  public static final UsageFilter ALL = new UsageFilter(null, null, null, null);

  /** The filter's values by dimension, only those set. */
  public Map<UsageDimension, String> values() {
    var out = new EnumMap<UsageDimension, String>(UsageDimension.class);
    if (provider != null) {
      out.put(UsageDimension.PROVIDER, provider);
    }
    if (model != null) {
      out.put(UsageDimension.MODEL, model);
    }
    if (type != null) {
      out.put(UsageDimension.TYPE, type);
    }
    if (lane != null) {
      out.put(UsageDimension.LANE, lane);
    }
    return out;
  }
}
