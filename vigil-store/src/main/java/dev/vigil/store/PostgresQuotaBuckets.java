package dev.vigil.store;

import dev.vigil.limits.spi.QuotaBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.remote.MutableBucketEntry;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The quotas of limits per key in PostgreSQL, shared by every node of the database: one row per
 * bucket in {@code quota_buckets} (migration V10), through Bucket4j's PostgreSQL proxy manager.
 *
 * <h2>Design note</h2>
 *
 * <p><b>A call.</b> Each draw is its own short transaction on a connection of the store's quota
 * pool: {@code SELECT state ... FOR UPDATE} of the bucket's row, the new state computed here, an
 * {@code UPDATE}, a commit (the first draw of a bucket inserts its row first). Concurrent draws
 * from one bucket, on any node, queue on that row lock for the length of one such transaction.
 *
 * <p><b>Why a pool of its own.</b> The claim that draws holds a connection of the main pool, locked
 * rows and advisory locks. Its draws never use that connection, so a refusal, a failure or a give
 * back never touches the claim's transaction, and a bucket transaction waits for nothing but
 * other bucket transactions, which wait for nothing: no deadlock with claims. A separate pool also
 * means claims that each hold a main connection can never starve their own draws of one.
 *
 * <p><b>Keys.</b> The row's id is the bucket's name (its part, capacity, window and key), as text:
 * no hash, so no two keys can collide.
 *
 * <p><b>Time.</b> The new state is computed with the clock of the node that draws: nodes' clocks
 * must agree (NTP). A node ahead of the others by {@code d} refills a bucket early by {@code d}
 * once; the bucket then runs on the latest time it has seen, so skew never adds up.
 *
 * <p><b>Growth.</b> A row expires a minute after its bucket would be full again ({@link
 * #KEEP_AFTER_REFILL}); removing it changes nothing, since a bucket without a row starts full.
 * The leader removes expired rows ({@link #removeIdle}), so the table holds the keys in use.
 */
final class PostgresQuotaBuckets implements QuotaBuckets {
  /** How long a bucket's row is kept once its bucket is full again. */
  static final Duration KEEP_AFTER_REFILL = Duration.ofMinutes(1);

  private static final String SNAPSHOT =
      "SELECT id, state FROM quota_buckets WHERE state IS NOT NULL ORDER BY id LIMIT ?";

  private final DataSource pool;
  private final TimeMeter meter;
  private final PostgreSQLSelectForUpdateBasedProxyManager<String> proxies;

  PostgresQuotaBuckets(DataSource pool, InstantSource clock) {
    this(pool, clock, KEEP_AFTER_REFILL);
  }

  /** As above, keeping a full bucket's row for {@code keepAfterRefill} (tests: zero). */
  PostgresQuotaBuckets(DataSource pool, InstantSource clock, Duration keepAfterRefill) {
    this.pool = pool;
    this.meter = QuotaBuckets.meter(clock);
    this.proxies =
        Bucket4jPostgreSQL.selectForUpdateBasedBuilder(pool)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("quota_buckets")
            .idColumn("id")
            .stateColumn("state")
            .expiresAtColumn("expires_at")
            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(keepAfterRefill))
            .clientClock(meter)
            .build();
  }

  @Override
  public Bucket bucket(String name, long capacity, Duration window) {
    BucketConfiguration config =
        BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, window))
            .build();
    return proxies.builder().build(name, () -> config);
  }

  @Override
  public boolean shared() {
    return true;
  }

  /** {@inheritDoc} One query; each row's state is refilled to now here, as a draw would. */
  @Override
  public Map<String, Long> snapshot(int max) {
    Map<String, Long> left = new HashMap<>();
    long now = meter.currentTimeNanos();
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(SNAPSHOT)) {
      ps.setInt(1, max);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          RemoteBucketState state = new MutableBucketEntry(rs.getBytes(2)).get();
          state.refillAllBandwidth(now);
          left.put(rs.getString(1), state.getAvailableTokens());
        }
      }
    } catch (SQLException e) {
      throw PostgresDatabase.failure(e);
    }
    return left;
  }

  @Override
  public int removeIdle(int max) {
    return proxies.removeExpired(max);
  }
}
