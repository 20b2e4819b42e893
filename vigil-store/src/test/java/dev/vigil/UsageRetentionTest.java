package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.TokenCounts;
import dev.vigil.llm.UsageFilter;
import dev.vigil.llm.UsageGroup;
import dev.vigil.llm.UsageQuery;
import dev.vigil.store.SqliteJobStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of model calls expire: the leading engine deletes those older than the configured
 * retention, and keeps the rest. Time is a {@link ManualClock}; {@link Vigil#runDueNow()} runs the
 * duty.
 */
class UsageRetentionTest {
  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private SqliteJobStore store;
  private Vigil vigil;

  @BeforeEach
  void start() {
    store = SqliteJobStore.open(dir.resolve("vigil.db"));
    vigil = Vigil.builder().store(store).clock(clock).usageRetention(Duration.ofDays(7)).start();
  }

  @AfterEach
  void stop() {
    vigil.close();
  }

  private static LlmUsage call(Instant at, long inputTokens) {
    return new LlmUsage(
        null, 0, null, null, at, "openai", "gpt-4o-mini", "chat", TokenCounts.of(inputTokens, 1), 10, LlmUsage.OK,
        BigDecimal.ONE, 0.1, 0.05);
  }

  private long inputTokensKept() {
    List<UsageGroup> all =
        store.usage().aggregate(UsageQuery.totals(Instant.EPOCH, clock.instant().plusSeconds(1), UsageFilter.ALL));
    return all.isEmpty() ? 0 : all.getFirst().totals().inputTokens();
  }

  @Test
  void calls_older_than_the_retention_are_deleted_and_newer_ones_kept() {
    Instant now = clock.instant();
    store.usage().record(
        List.of(call(now.minus(Duration.ofDays(8)), 1), call(now.minus(Duration.ofDays(6)), 10), call(now, 100)), null);

    vigil.runDueNow();

    assertThat(inputTokensKept()).isEqualTo(110);

    clock.advance(Duration.ofDays(1).plusHours(1));
    vigil.runDueNow();

    assertThat(inputTokensKept()).as("the call of six days ago is now eight days old").isEqualTo(100);
  }
}
