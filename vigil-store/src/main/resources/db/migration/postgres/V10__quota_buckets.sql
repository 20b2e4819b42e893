-- Vigil on PostgreSQL, schema version 10: the quotas of limits per key, shared by every node.
--
-- One row per token bucket (a key's starts or units), written by Bucket4j's PostgreSQL proxy
-- manager: id is the bucket's name (part/capacity/window_ms/key), state Bucket4j's serialised
-- bucket, expires_at (epoch ms) when the bucket will have been full again for a while. A draw
-- locks its row (SELECT ... FOR UPDATE) for one short transaction of its own. SQLite keeps its
-- quotas in memory and has no such table.

CREATE TABLE quota_buckets (
  id TEXT PRIMARY KEY,
  state BYTEA,
  expires_at BIGINT
);

-- the leader's sweep of expired rows: DELETE ... WHERE expires_at < now, in batches.
CREATE INDEX quota_buckets_expires ON quota_buckets (expires_at);
