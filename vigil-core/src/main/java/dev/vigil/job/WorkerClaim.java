package dev.vigil.job;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A remote worker's request for jobs: up to {@code max} jobs from {@code lanes} (all lanes when
 * empty) of {@code types} (any type when empty), waiting up to {@code waitFor} for work to arrive,
 * each leased for {@code lease} unless renewed by heartbeats.
 *
 * @param slots how many jobs this worker runs at once; the engine adds the slots of every live
 *     worker into one fleet, over which lane weights and reserved slots hold
 */
public record WorkerClaim(
    String workerId,
    List<String> lanes,
    Set<String> types,
    int max,
    Duration waitFor,
    Duration lease,
    int slots) {

  /**
   * What a worker id may look like: 1 to 128 letters, digits, {@code .}, {@code _}, {@code :},
   * {@code @} or {@code -}, starting with a letter or digit (a node id's form). Nothing that could
   * forge a log line or move a terminal's cursor.
   */
  public static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

  /** The most jobs one claim may take. */
  public static final int MAX_JOBS = 100;

  /** The most slots one worker may declare. */
  public static final int MAX_SLOTS = 10_000;

  /** The longest a claim may wait for work. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(2);

  public WorkerClaim {
    lanes = lanes == null ? List.of() : List.copyOf(lanes);
    types = types == null ? Set.of() : Set.copyOf(types);
  }

  /** A claim from a worker whose slots are its {@code max}: it runs what it claims. */
  public WorkerClaim(
      String workerId, List<String> lanes, Set<String> types, int max, Duration waitFor, Duration lease) {
    this(workerId, lanes, types, max, waitFor, lease, max);
  }
}
