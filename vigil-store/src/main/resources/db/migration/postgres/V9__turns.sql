-- Vigil on PostgreSQL, schema version 9: round robin by concurrency key within a lane.
--
-- Each job gets a turn when it is enqueued: a job without a concurrency key gets the turn its lane
-- is serving; a job with one gets the turn after its key's last ready job (or the serving turn, if
-- that is later). Claims take a lane's ready jobs by turn, then run_at and id, so a key with
-- 10,000 ready jobs gives way to another key's single job after at most one job of its own. Jobs
-- stored before this version have turn 0 and go first, in their old order.
-- ADD COLUMN with a constant default rewrites nothing (PostgreSQL 11+).

ALTER TABLE jobs ADD COLUMN turn BIGINT NOT NULL DEFAULT 0;

DROP INDEX jobs_ready_claim;
CREATE INDEX jobs_ready_claim ON jobs (lane, turn, run_at, id) WHERE state = 'ready' AND held_by IS NULL;

-- enqueue: the last turn of a key's ready jobs (held ones too) in a lane; a key reaches its
-- concurrency limit: hold every ready job of that key at once.
DROP INDEX jobs_ready_key;
CREATE INDEX jobs_ready_key ON jobs (concurrency_key, lane, turn) WHERE state = 'ready' AND concurrency_key IS NOT NULL;
