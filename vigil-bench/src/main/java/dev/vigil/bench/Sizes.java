package dev.vigil.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario runs: the full sizes of issue 4, or the quick ones ({@code --quick}) that
 * run every scenario in well under 90 seconds to check that the harness works (their numbers mean
 * little).
 *
 * @param workers worker slots (threads) of every engine, Vigil and peers alike
 * @param throughputJobs no-op jobs in the throughput scenario
 * @param producers producer threads enqueueing them
 * @param batch jobs per enqueue call
 * @param dreamBacklog background jobs waiting beyond the ones that saturate the workers
 * @param dreamLength how long each background job runs (shorter than the stream with {@code
 *     --quick}, so that background jobs are seen to finish during it)
 * @param chatPerSecond the mean rate of the Poisson stream of cognition jobs
 * @param chatWindow how long the stream lasts
 * @param peerGrace how long after the stream a peer's chat jobs may still start before the run ends
 *     (jobs not started by then count with the wait they had at that moment)
 * @param httpJobs jobs enqueued over HTTP, then worked by remote workers
 * @param httpClients concurrent HTTP clients enqueueing
 * @param remoteWorkers concurrent remote workers
 * @param claimMax jobs per remote claim
 * @param scaleSizes jobs in the store for each scale step
 * @param scaleClaims timed claims at each scale step
 * @param overload the sizes of the overload scenario
 */
record Sizes(
    boolean quick,
    int workers,
    int throughputJobs,
    int producers,
    int batch,
    int dreamBacklog,
    Duration dreamLength,
    double chatPerSecond,
    Duration chatWindow,
    Duration peerGrace,
    int httpJobs,
    int httpClients,
    int remoteWorkers,
    int claimMax,
    List<Long> scaleSizes,
    int scaleClaims,
    OverloadSizes overload) {

  static final Sizes FULL =
      new Sizes(
          false,
          16,
          100_000,
          4,
          100,
          10_000,
          Duration.ofSeconds(5),
          20,
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          50_000,
          32,
          8,
          10,
          List.of(10_000L, 100_000L, 1_000_000L),
          500,
          OverloadSizes.FULL);

  static final Sizes QUICK =
      new Sizes(
          true,
          16,
          2_000,
          4,
          100,
          200,
          Duration.ofSeconds(1),
          20,
          Duration.ofSeconds(4),
          Duration.ofSeconds(1),
          2_000,
          32,
          8,
          10,
          List.of(10_000L, 100_000L),
          100,
          OverloadSizes.QUICK);

  /** These sizes with another number of worker slots, for every engine. */
  Sizes withWorkers(int n) {
    return with(n, overload);
  }

  /** These sizes with other overload sizes. */
  Sizes withOverload(OverloadSizes o) {
    return with(workers, o);
  }

  private Sizes with(int n, OverloadSizes o) {
    return new Sizes(
        quick,
        n,
        throughputJobs,
        producers,
        batch,
        dreamBacklog,
        dreamLength,
        chatPerSecond,
        chatWindow,
        peerGrace,
        httpJobs,
        httpClients,
        remoteWorkers,
        claimMax,
        scaleSizes,
        scaleClaims,
        o);
  }
}
