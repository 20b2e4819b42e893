package dev.vigil.llm.spi;

import dev.vigil.llm.LlmUsage;
import dev.vigil.llm.ModelStats;
import dev.vigil.llm.UsageGroup;
import dev.vigil.llm.UsageQuery;
import java.time.Instant;
import java.util.List;

/**
 * The recorded model calls ({@code llm_usage}) beyond those a finish writes: calls reported with a
 * heartbeat or outside any job, and the questions usage reports, budgets and model choice ask. The
 * SQL stores keep them beside the jobs, so every node sharing the store sees the same figures;
 * {@code UsageStoreContract} (in the test kit) defines a correct store.
 */
public interface UsageStore {
  /**
   * Stores {@code calls} in one transaction, all or none, in their order.
   *
   * @param correlationId the correlation id they were reported with; null for none
   */
  void record(List<LlmUsage> calls, String correlationId);

  /** What the calls the query selects used, per group and bucket; groups without calls are absent. */
  List<UsageGroup> aggregate(UsageQuery query);

  /**
   * Per provider and model, how the calls of jobs of {@code type} that started at or after {@code
   * since} went (at most the latest 10,000 per model count); models without calls are absent.
   */
  List<ModelStats> modelStats(String type, Instant since);

  /**
   * Deletes calls that started before {@code cutoff}, at most {@code limit} of them, oldest first:
   * the retention of usage records.
   *
   * @return how many it deleted
   */
  int deleteBefore(Instant cutoff, int limit);
}
