package dev.vigil.store.internal;

import dev.vigil.job.Job;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads the jobs a claim leased (rows of {@link JobRows#COLUMNS} followed by {@code turn}) into
 * claim order: by turn, then {@code run_at}, then id, as the claim picked them; an {@code UPDATE
 * ... RETURNING} gives its rows in no set order. Tells {@link Turns} the lane's highest turn.
 */
public final class TurnOrder {
  private static final int TURN_COLUMN = JobRows.COLUMNS.split(",").length + 1;

  private static final Comparator<Leased> CLAIM_ORDER =
      Comparator.comparingLong(Leased::turn)
          .thenComparing(l -> l.job().runAt())
          .thenComparing(l -> l.job().id());

  private record Leased(Job job, long turn) {}

  private TurnOrder() {}

  /** The leased jobs of {@code lane} on {@code rs}, in claim order. */
  public static List<Job> read(ResultSet rs, String lane, Turns turns) throws SQLException {
    List<Leased> leased = new ArrayList<>();
    while (rs.next()) {
      leased.add(new Leased(JobRows.job(rs), rs.getLong(TURN_COLUMN)));
    }
    if (leased.isEmpty()) {
      return List.of();
    }
    leased.sort(CLAIM_ORDER);
    turns.served(lane, leased.getLast().turn());
    List<Job> jobs = new ArrayList<>(leased.size());
    for (Leased l : leased) {
      jobs.add(l.job());
    }
    return jobs;
  }
}
