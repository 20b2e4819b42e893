package dev.vigil.server.demo;

import dev.vigil.Vigil;
import dev.vigil.VigilException;
import dev.vigil.job.JobRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues the demo's mix of jobs at random (Poisson) arrival times: a few chat replies a second,
 * fewer posts and enrichments, an occasional 30-second dream. Dreams never starve chat: the engine
 * keeps slots free for the lanes above {@code background}, which is what the demo shows.
 */
public final class LoadGenerator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final List<String> PERSONAS = List.of("ava", "bruno", "chen", "dara");

  /**
   * Arrival rates per second of each kind of job.
   *
   * @param dreamsPerSecond e.g. 1/15.0 for one dream every 15 seconds on average
   */
  public record Profile(
      double chatPerSecond, double postsPerSecond, double enrichPerSecond, double dreamsPerSecond) {

    /** The demo's mix: 3 replies, 0.5 posts, 1.5 enrichments a second; a dream every 10 s. */
    public static final Profile DEMO = new Profile(3, 0.5, 1.5, 1 / 10.0);

    public Profile {
      if (chatPerSecond < 0 || postsPerSecond < 0 || enrichPerSecond < 0 || dreamsPerSecond < 0) {
        throw new IllegalArgumentException("rates must not be negative");
      }
    }
  }

  private final Vigil vigil;
  private final Profile profile;
  private final RandomGenerator random;
  private final ScheduledExecutorService ticker;
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();

  private LoadGenerator(Vigil vigil, Profile profile, RandomGenerator random) {
    this.vigil = vigil;
    this.profile = profile;
    this.random = random;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("vigil-demo-load").unstarted(r));
  }

  /** Starts enqueueing into {@code vigil} until closed. */
  public static LoadGenerator start(Vigil vigil, Profile profile, RandomGenerator random) {
    var generator = new LoadGenerator(vigil, profile, random);
    generator.ticker.scheduleAtFixedRate(
        generator::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return generator;
  }

  /** Jobs enqueued so far (not counting duplicates of a dream still running). */
  public long enqueued() {
    return enqueued.get();
  }

  private void tick() {
    double seconds = TICK.toMillis() / 1000.0;
    try {
      repeat(arrivals(profile.chatPerSecond() * seconds), this::chat);
      repeat(arrivals(profile.postsPerSecond() * seconds), this::post);
      repeat(arrivals(profile.enrichPerSecond() * seconds), this::enrich);
      repeat(arrivals(profile.dreamsPerSecond() * seconds), this::dream);
    } catch (VigilException e) {
      // closing, or the store refused: the demo goes on, the next tick tries again
      log.debug("demo load: enqueue failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("demo load: enqueue failed", e); // never let the ticker die silently
    }
  }

  private JobRequest chat() {
    String conversation = "conv-" + random.nextInt(1, 40);
    return JobRequest.builder(DemoWorkload.CHAT)
        .lane("cognition")
        .payload(
            Map.of(
                "conversation_id",
                conversation,
                "message_id",
                "m-" + sequence.incrementAndGet(),
                "persona",
                persona()))
        .correlationId(conversation)
        .tags(List.of("chat"))
        .build();
  }

  private JobRequest post() {
    return JobRequest.builder(DemoWorkload.POST)
        .lane("social")
        .payload(Map.of("persona", persona(), "topic", "topic-" + random.nextInt(1, 20)))
        .tags(List.of("social"))
        .build();
  }

  private JobRequest enrich() {
    return JobRequest.builder(DemoWorkload.ENRICH)
        .lane("sensory")
        .payload(
            Map.of(
                "memory_id",
                "mem-" + sequence.incrementAndGet(),
                "kind",
                random.nextBoolean() ? "image_caption" : "embedding"))
        .build();
  }

  private JobRequest dream() {
    String persona = persona();
    return JobRequest.builder(DemoWorkload.DREAM)
        .lane("background")
        .payload(Map.of("persona", persona, "memories", random.nextInt(50, 500)))
        // one dream per persona at a time
        .uniqueKey("dream:" + persona)
        .build();
  }

  private String persona() {
    return PERSONAS.get(random.nextInt(PERSONAS.size()));
  }

  private void repeat(int n, java.util.function.Supplier<JobRequest> request) {
    for (int i = 0; i < n; i++) {
      if (!vigil.enqueue(request.get()).duplicate()) {
        enqueued.incrementAndGet();
      }
    }
  }

  /** A Poisson-distributed count with mean {@code lambda} (Knuth's method; lambda is small). */
  private int arrivals(double lambda) {
    if (lambda <= 0) {
      return 0;
    }
    double limit = Math.exp(-lambda);
    double p = random.nextDouble();
    int k = 0;
    while (p > limit) {
      k++;
      p *= random.nextDouble();
    }
    return k;
  }

  /** Stops enqueueing; jobs already enqueued carry on. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
