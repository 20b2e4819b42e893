package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.job.JobState;
import dev.vigil.server.ApiClient.Reply;
import dev.vigil.server.ServerTestSupport;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat-bot story on remote workers, as a new user runs it: a server, six workers that each
 * claim one job at a time from both lanes, sixty dreams on {@code background}, then chat jobs on
 * {@code cognition}. The dreams hold their workers until the test lets them end, so the test
 * shows without any timing that the lane reserve holds across the fleet: dreams take four
 * workers, and every chat job is claimed by one of the two left free while the dreams still run.
 */
class OneSlotWorkersTest extends ServerTestSupport {
  private static final int WORKERS = 6;
  private static final int DREAMS = 60;
  private static final int CHATS = 10;

  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
  private final CountDownLatch dreamsMayEnd = new CountDownLatch(1);
  private final AtomicInteger dreaming = new AtomicInteger();
  private final AtomicInteger mostDreaming = new AtomicInteger();
  private final Set<String> chatsReceived = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  @AfterEach
  void stopWorkers() throws InterruptedException {
    stopping = true;
    dreamsMayEnd.countDown();
    workers.shutdown();
    assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).as("workers stopped").isTrue();
  }

  /** A worker that runs one job at a time: a dream until the test lets it end, a chat at once. */
  private void work(String workerId) {
    String claim =
        "{\"worker_id\":\"%s\",\"lanes\":[\"cognition\",\"background\"],\"max\":1,\"slots\":1,\"wait_ms\":1000,\"lease_ms\":60000}"
            .formatted(workerId);
    while (!stopping) {
      Reply reply = api.post("/api/v1/claim", claim);
      if (reply.status() != 200) {
        continue;
      }
      for (JsonNode job : reply.json().get("jobs")) {
        String id = job.get("id").asText();
        if (job.get("lane").asText().equals("background")) {
          mostDreaming.accumulateAndGet(dreaming.incrementAndGet(), Math::max);
          awaitQuietly(dreamsMayEnd);
          dreaming.decrementAndGet();
        } else {
          chatsReceived.add(id);
        }
        api.post("/api/v1/jobs/" + id + "/complete", "{\"lease_token\":\"" + job.get("lease_token").asText() + "\"}");
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void six_one_job_workers_keep_two_free_for_chat_while_the_others_dream() {
    StringBuilder dreams = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < DREAMS; i++) {
      dreams.append(i == 0 ? "" : ",").append("{\"type\":\"dream\",\"lane\":\"background\"}");
    }
    assertThat(api.post("/api/v1/jobs/batch", dreams.append("]}").toString()).status()).isEqualTo(201);
    for (int w = 1; w <= WORKERS; w++) {
      String id = "w-" + w;
      workers.submit(() -> work(id));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> dreaming.get() == WORKERS - 2);
    assertThat(api.get("/api/v1/stats").json().get("remote_workers").get("fleet_slots").asInt())
        .as("the fleet the server counts")
        .isEqualTo(WORKERS);

    for (int i = 0; i < CHATS; i++) {
      String chat = enqueue("reply", "cognition").get("id").asText();
      await()
          .alias("chat job " + i + " claimed while every dream still runs")
          .atMost(Duration.ofSeconds(20))
          .until(() -> chatsReceived.contains(chat));
    }

    assertThat(mostDreaming.get()).as("dreams never took a reserved worker").isEqualTo(WORKERS - 2);
    dreamsMayEnd.countDown();
    await()
        .alias("background keeps going")
        .atMost(Duration.ofSeconds(60))
        .until(() -> server.vigil().counts().get(JobState.SUCCEEDED) == DREAMS + CHATS);
    assertThat(mostDreaming.get()).isEqualTo(WORKERS - 2);
  }
}
