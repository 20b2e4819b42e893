-- Vigil embedded store, schema version 8: limits per key and held jobs.
--
-- A job may draw from rate limits (limit_keys, a JSON array of keys, NULL for none), count toward
-- a concurrency key (concurrency_key) and cost units (cost, e.g. estimated tokens) when it starts.
-- A ready job that a limit (or an open circuit breaker) keeps from starting is held: it stays
-- 'ready', spends no attempt, and carries why (held_by 'limit' or 'breaker', held_key) and when it
-- is looked at again at the latest (held_until). Unkeyed jobs never touch these columns.

ALTER TABLE jobs ADD COLUMN limit_keys TEXT;
ALTER TABLE jobs ADD COLUMN concurrency_key TEXT;
ALTER TABLE jobs ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN held_by TEXT;
ALTER TABLE jobs ADD COLUMN held_key TEXT;
ALTER TABLE jobs ADD COLUMN held_until INTEGER;

-- claim: the lane's next ready rows that nothing holds, so a thousand held jobs at the head of a
-- lane cost a claim nothing. laneDepths and counts add the held rows from jobs_held.
DROP INDEX jobs_ready_claim;
-- held_by (always NULL here) is carried so that the claim's pick stays covering: SQLite evaluates
-- the query's "held_by IS NULL" from the index rather than from each row.
CREATE INDEX jobs_ready_claim ON jobs (lane, run_at, id, state, held_by) WHERE state = 'ready' AND held_by IS NULL;

-- the release sweep: held jobs due to be looked at again (held_until <= now); laneDepths: held
-- ready jobs per lane, with their oldest run_at.
CREATE INDEX jobs_held ON jobs (held_until, id, lane, run_at, state, held_by) WHERE held_by IS NOT NULL;

-- a job of a concurrency key ends: release the oldest job its key holds.
CREATE INDEX jobs_held_key ON jobs (held_key, run_at, id) WHERE held_by IS NOT NULL;

-- claim: how many jobs of a concurrency key run (the running set is small).
CREATE INDEX jobs_running_key ON jobs (concurrency_key) WHERE state = 'running' AND concurrency_key IS NOT NULL;

-- a concurrency key reaches its limit: hold every ready job of that key at once, so the next
-- claim passes over all of them (the other keys' jobs take their turn).
CREATE INDEX jobs_ready_key ON jobs (concurrency_key) WHERE state = 'ready' AND held_by IS NULL AND concurrency_key IS NOT NULL;
