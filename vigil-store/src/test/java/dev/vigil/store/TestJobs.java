package dev.vigil.store;

import dev.vigil.job.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Builds jobs and claims for the SQLite store's own tests; time is fixed, never read. */
final class TestJobs {
  static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private String id = nextId();
  private String type = "summarise";
  private String lane = "background";
  private JobState state = JobState.READY;
  private String payload = "{\"n\":1}";
  private Instant runAt = T0;
  private int maxAttempts = 3;
  private String uniqueKey;
  private String correlationId;
  private List<String> tags = List.of();
  private Instant createdAt = T0;

  private TestJobs() {}

  /** Time-ordered ids shaped like UUIDv7: lexical order is creation order. */
  static String nextId() {
    return String.format("01970000-0000-7000-8000-%012d", SEQUENCE.incrementAndGet());
  }

  static TestJobs job() {
    return new TestJobs();
  }

  static NewJob ready(String lane) {
    return job().lane(lane).build();
  }

  static ClaimRequest claim(String lane, int max) {
    return claim(lane, max, Integer.MAX_VALUE, Set.of());
  }

  static ClaimRequest claim(String lane, int max, int laneCap, Set<String> types) {
    return new ClaimRequest(
        "worker-1", List.of(new ClaimRequest.LaneQuota(lane, max, laneCap)), types,
        Duration.ofSeconds(30), T0);
  }

  TestJobs id(String v) { id = v; return this; }
  TestJobs type(String v) { type = v; return this; }
  TestJobs lane(String v) { lane = v; return this; }
  TestJobs payload(String v) { payload = v; return this; }
  TestJobs maxAttempts(int v) { maxAttempts = v; return this; }
  TestJobs uniqueKey(String v) { uniqueKey = v; return this; }
  TestJobs correlationId(String v) { correlationId = v; return this; }
  TestJobs tags(List<String> v) { tags = v; return this; }
  TestJobs createdAt(Instant v) { createdAt = v; return this; }
  TestJobs runAt(Instant v) { runAt = v; return this; }

  TestJobs scheduledAt(Instant v) {
    state = JobState.SCHEDULED;
    runAt = v;
    return this;
  }

  NewJob build() {
    return new NewJob(
        id, type, lane, state, payload, runAt, maxAttempts, Duration.ofSeconds(15), uniqueKey,
        correlationId, null, tags, createdAt, List.of(), null, 0);
  }
}
