-- Vigil shared store, schema version 1 (PostgreSQL 13 or later).
--
-- The same tables and column names as the SQLite schema, so that the portable statements in
-- dev.vigil.store.internal run on both: times are BIGINT milliseconds since the epoch (UTC), flags
-- are BOOLEAN, JSON values (payload, result, tags) are TEXT exactly as the engine gave them, and
-- states and outcomes are the lower-case wire names of dev.vigil.job.JobState and AttemptOutcome.
--
-- Identifiers and keys use the "C" collation: ids sort as bytes (UUIDv7 text order is creation
-- order, whatever the database's default locale), and comparisons skip the locale's rules.
--
-- Every index names the query it serves. A state change is never a HOT update (state decides
-- which partial indexes hold the row), so each full index below costs one entry per transition;
-- nothing is indexed "just in case".

CREATE TABLE jobs (
    id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- UUIDv7: text order is creation order
    type               TEXT COLLATE "C" NOT NULL,
    lane               TEXT COLLATE "C" NOT NULL,
    state              TEXT COLLATE "C" NOT NULL CHECK (state IN
                           ('scheduled', 'ready', 'running', 'succeeded', 'dead', 'cancelled')),
    attempt            INTEGER NOT NULL DEFAULT 0,
    max_attempts       INTEGER NOT NULL,
    payload            TEXT    NOT NULL,
    run_at             BIGINT  NOT NULL,
    timeout_ms         BIGINT  NOT NULL,
    unique_key         TEXT COLLATE "C",
    correlation_id     TEXT COLLATE "C",
    parent_id          TEXT COLLATE "C",
    tags               TEXT    NOT NULL DEFAULT '[]',
    created_at         BIGINT  NOT NULL,
    started_at         BIGINT,
    finished_at        BIGINT,
    progress           DOUBLE PRECISION,
    progress_message   TEXT,
    last_error_type    TEXT,
    last_error_message TEXT,
    last_error_stack   TEXT,
    result             TEXT,
    cancel_requested   BOOLEAN NOT NULL DEFAULT FALSE,
    lease_owner        TEXT,
    lease_token        TEXT,
    lease_expires_at   BIGINT
) WITH (
    -- Room on each page for a new row version: heartbeats (lease_expires_at, progress) touch no
    -- indexed column, so with free space on the page they are HOT updates that write no index.
    fillfactor = 90,
    -- A queue table churns: vacuum after 2 % of it changed, not the default 20 %, so that dead
    -- entries at the head of the ready index are cleared before they slow the claims down.
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.05
);

-- The partial indexes below hold only active rows, so the queries they serve cost what the
-- active jobs cost, with ten thousand or ten million finished jobs in the table.

-- claim (PostgresClaims): SELECT id FROM jobs WHERE state = 'ready' AND lane = ? [AND type = ANY(?)]
--   ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED
-- laneDepths: ready count and oldest run_at per lane.
CREATE INDEX jobs_ready_claim ON jobs (lane, run_at, id) WHERE state = 'ready';

-- promoteDue: ... WHERE state = 'scheduled' AND run_at <= ? ORDER BY run_at, id LIMIT ?
-- nextScheduledRunAt: SELECT min(run_at) ... WHERE state = 'scheduled' (the first entry)
-- laneDepths: scheduled count per lane (lane is carried, not searched).
CREATE INDEX jobs_scheduled_due ON jobs (run_at, id) INCLUDE (lane) WHERE state = 'scheduled';

-- claim's lane cap: SELECT count(*) ... WHERE state = 'running' AND lane = ?
-- findExpiredLeases (the reaper): ... WHERE state = 'running' AND lease_expires_at < ?, filtered
--   and sorted over the running set, which is small (bounded by the workers of all nodes).
-- laneDepths: running count per lane.
-- Deliberately not keyed on lease_expires_at: every heartbeat moves it, and an index on it would
-- turn each heartbeat into a non-HOT update writing every index of the table.
CREATE INDEX jobs_running_lane ON jobs (lane) WHERE state = 'running';

-- The unique-key rule, enforced by the database: at most one scheduled, ready or running job
-- per key. enqueue names it as its ON CONFLICT target; retry checks it before taking a key back
-- (and a racing enqueue that slips in between makes retry's UPDATE fail on it).
CREATE UNIQUE INDEX jobs_active_unique_key ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running');

-- find() filtered by dead or cancelled, newest first: the rare end states an operator looks for.
-- Active states are listed through the partial indexes above, and succeeded (most of the table)
-- by walking the primary key newest first.
CREATE INDEX jobs_state_id ON jobs (state, id) WHERE state IN ('dead', 'cancelled');

-- find() filtered by lane, newest first.
CREATE INDEX jobs_lane_id ON jobs (lane, id);

-- find() filtered by type, newest first.
CREATE INDEX jobs_type_id ON jobs (type, id);

-- find() filtered by correlation id (the timeline of one request), newest first.
CREATE INDEX jobs_correlation_id ON jobs (correlation_id, id) WHERE correlation_id IS NOT NULL;

CREATE TABLE job_attempts (
    job_id        TEXT COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT  NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN
                      ('succeeded', 'failed', 'timed_out', 'lease_expired', 'cancelled')),
    worker_id     TEXT,
    error_type    TEXT,
    error_message TEXT,
    error_stack   TEXT,
    -- get(): SELECT ... WHERE job_id = ? ORDER BY attempt; one row per finished attempt.
    PRIMARY KEY (job_id, attempt)
);

CREATE TABLE schedules (
    name          TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- listSchedules orders by it
    cron          TEXT    NOT NULL,
    syntax        TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    job_json      TEXT    NOT NULL,
    next_fire_at  BIGINT,
    last_fired_at BIGINT,
    created_at    BIGINT,
    updated_at    BIGINT
);

-- dueSchedules: WHERE next_fire_at <= ? ORDER BY next_fire_at, name
CREATE INDEX schedules_next_fire ON schedules (next_fire_at, name);

CREATE TABLE lane_state (
    lane   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    paused BOOLEAN NOT NULL
);
