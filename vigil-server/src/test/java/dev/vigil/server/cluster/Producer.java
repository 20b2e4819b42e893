package dev.vigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.server.ApiClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Enqueues {@code work} jobs in batches over HTTP and records the id of every job whose batch was
 * acknowledged (201). A batch that fails (the node or the database is down) is not counted and is
 * sent again as a new batch after a short back-off; its jobs may or may not have been stored, which
 * is why only acknowledged ids are promised to succeed.
 */
final class Producer implements Runnable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final List<String> LANES = List.of("cognition", "social", "sensory", "background");

  private final String name;
  private final Supplier<ApiClient> target;
  private final int batchSize;
  private final long limit;
  private final Duration pause;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile Throwable crashed;

  /**
   * @param target the node to send to (asked again before every batch)
   * @param limit stop after this many acknowledged jobs
   * @param pause time between batches, to hold a steady rate; zero for as fast as possible
   */
  Producer(String name, Supplier<ApiClient> target, int batchSize, long limit, Duration pause) {
    this.name = name;
    this.target = target;
    this.batchSize = batchSize;
    this.limit = limit;
    this.pause = pause;
  }

  Thread start() {
    return Thread.ofPlatform().name("producer-" + name).start(this);
  }

  @Override
  public void run() {
    try {
      long batch = 0;
      while (!stop.get() && acknowledged.size() < limit) {
        int n = (int) Math.min(batchSize, limit - acknowledged.size());
        if (!send(batch++, n)) {
          failedBatches.incrementAndGet();
          pause(Duration.ofMillis(200)); // back off while the node or the database is away
        } else if (!pause.isZero()) {
          pause(pause);
        }
      }
    } catch (RuntimeException | Error e) {
      crashed = e;
    }
  }

  private boolean send(long batch, int n) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode jobs = body.putArray("jobs");
    String lane = LANES.get((int) (batch % LANES.size()));
    for (int i = 0; i < n; i++) {
      ObjectNode job = jobs.addObject().put("type", ClusterNodeMain.WORK).put("lane", lane).put("max_attempts", 20);
      job.putObject("payload").put("producer", name).put("batch", batch).put("i", i);
    }
    ApiClient.Reply reply;
    try {
      reply = target.get().post("/api/v1/jobs/batch", body.toString());
    } catch (RuntimeException e) {
      return false; // connection refused or reset: not acknowledged
    }
    if (reply.status() != 201) {
      if (reply.status() < 500) {
        throw new AssertionError("producer " + name + ": batch refused: " + reply);
      }
      return false;
    }
    for (JsonNode job : reply.json().get("jobs")) {
      acknowledged.add(job.get("id").asText());
    }
    return true;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void stop() {
    stop.set(true);
  }

  Set<String> acknowledged() {
    return acknowledged;
  }

  long failedBatches() {
    return failedBatches.get();
  }

  /** The producer's own failure (a batch refused with 4xx), if any. */
  Throwable crashed() {
    return crashed;
  }
}
