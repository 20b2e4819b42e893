package dev.vigil.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens one claim draws for its keyed jobs: each bucket is drawn from once for every job that
 * may need it ({@link #want}, then {@link #draw}), the jobs take their share in claim order ({@link
 * #take}), and what they did not take goes back to its bucket at the end ({@link #close}).
 *
 * <h2>Design note</h2>
 *
 * <p>A shared bucket (PostgreSQL) costs a round trip and a row lock per call, so drawing per job
 * would cost a claim of 50 jobs 50 round trips per key. Drawn together, it costs one per bucket,
 * plus one to give back what was left when some jobs were held.
 *
 * <p>The bound still holds: a token is either taken by a job that starts or given back. Nothing is
 * kept between claims, so a node never sits on tokens another node could use for longer than one
 * claim. While a claim holds its draw, another claim may find the bucket emptier than it will be
 * a moment later; it holds its job until the refill it computed, which errs towards fewer starts,
 * never more.
 *
 * <p>When the draw fell short (the bucket ran dry), a job that needs more than is left waits for
 * the refill of what it lacks, computed from the state the draw returned, without another round
 * trip. A job
 * that needs more than the claim wanted for it (its concurrency key turned out to have room after
 * all) draws the difference on its own.
 *
 * <p>Not thread-safe: one per claim.
 */
final class ClaimDraws implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClaimDraws.class);

  private final Map<String, Pot> pots = new LinkedHashMap<>();

  /** What one job draws from one bucket. */
  record Part(String key, String bucketName, Bucket bucket, long tokens) {}

  /** A part a job could not have, and how long until its bucket could give it. */
  record Refusal(String key, Duration delay) {}

  private static final class Pot {
    final Part first;
    long wanted;
    long held;
    /** The bucket as the draw left it, when it ran dry: when it refills is computed from it. */
    BucketState afterDraw;
    long drawnAtNanos;

    Pot(Part first) {
      this.first = first;
    }
  }

  /** Adds one job's parts to what the claim draws. */
  void want(List<Part> parts) {
    for (Part p : parts) {
      pots.computeIfAbsent(p.bucketName(), n -> new Pot(p)).wanted += p.tokens();
    }
  }

  /** Draws from each bucket what was wanted of it, or as much as it has: one call per bucket. */
  void draw() {
    for (Pot pot : pots.values()) {
      if (pot.wanted > 0) {
        VerboseResult<Long> drawn = pot.first.bucket().asVerbose().tryConsumeAsMuchAsPossible(pot.wanted);
        pot.held = drawn.getValue();
        if (pot.held < pot.wanted) {
          pot.afterDraw = drawn.getState();
          pot.drawnAtNanos = drawn.getOperationTimeNanos();
        }
      }
    }
  }

  /** Gives a job every part it needs, or none of them: then which part refused, and its wait. */
  Refusal take(List<Part> parts) {
    List<Part> taken = new ArrayList<>(parts.size());
    for (Part p : parts) {
      Pot pot = pots.computeIfAbsent(p.bucketName(), n -> new Pot(p));
      Duration wait = take(pot, p.tokens());
      if (wait != null) {
        taken.forEach(t -> pots.get(t.bucketName()).held += t.tokens());
        return new Refusal(p.key(), wait);
      }
      taken.add(p);
    }
    return null;
  }

  /**
   * Gives back to each bucket what no job took: one call per bucket with tokens left. A bucket that
   * cannot be reached keeps them, which only means fewer starts until it refills: the claim's
   * decisions stand.
   */
  @Override
  public void close() {
    for (Pot pot : pots.values()) {
      if (pot.held > 0) {
        try {
          pot.first.bucket().addTokens(pot.held);
        } catch (RuntimeException e) {
          log.warn("could not give back unused quota tokens ({})", e.getClass().getSimpleName());
        }
        pot.held = 0;
      }
    }
  }

  private static Duration take(Pot pot, long n) {
    if (pot.held >= n) {
      pot.held -= n;
      return null;
    }
    long lacking = n - pot.held;
    if (pot.afterDraw != null) {
      long nanos = pot.afterDraw.calculateDelayNanosAfterWillBePossibleToConsume(lacking, pot.drawnAtNanos, false);
      return Duration.ofNanos(Math.max(nanos, 1_000_000));
    }
    ConsumptionProbe probe = pot.first.bucket().tryConsumeAndReturnRemaining(lacking);
    if (probe.isConsumed()) {
      pot.held = 0;
      return null;
    }
    return Duration.ofNanos(Math.max(probe.getNanosToWaitForRefill(), 1_000_000));
  }
}
