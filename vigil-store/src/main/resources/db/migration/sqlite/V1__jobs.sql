-- Vigil embedded store, schema version 1 (SQLite).
--
-- Times are INTEGER milliseconds since the epoch (UTC). Booleans are INTEGER 0/1. JSON values
-- (payload, result, tags) are TEXT exactly as the engine gave them. States and outcomes are the
-- lower-case wire names of dev.vigil.job.JobState and AttemptOutcome.
--
-- Every index below names the query it serves. Indexes cost every write on the single writer
-- connection, so nothing is indexed "just in case".

CREATE TABLE jobs (
    id                 TEXT    NOT NULL PRIMARY KEY, -- UUIDv7: lexical order is creation order
    type               TEXT    NOT NULL,
    lane               TEXT    NOT NULL,
    state              TEXT    NOT NULL CHECK (state IN
                           ('scheduled', 'ready', 'running', 'succeeded', 'dead', 'cancelled')),
    attempt            INTEGER NOT NULL DEFAULT 0,
    max_attempts       INTEGER NOT NULL,
    payload            TEXT    NOT NULL,
    run_at             INTEGER NOT NULL,
    timeout_ms         INTEGER NOT NULL,
    unique_key         TEXT,
    correlation_id     TEXT,
    parent_id          TEXT,
    tags               TEXT    NOT NULL DEFAULT '[]',
    created_at         INTEGER NOT NULL,
    started_at         INTEGER,
    finished_at        INTEGER,
    progress           REAL,
    progress_message   TEXT,
    last_error_type    TEXT,
    last_error_message TEXT,
    last_error_stack   TEXT,
    result             TEXT,
    cancel_requested   INTEGER NOT NULL DEFAULT 0,
    lease_owner        TEXT,
    lease_token        TEXT,
    lease_expires_at   INTEGER
);

-- The four partial indexes below hold only active rows, so the queries they serve cost what the
-- active jobs cost, with a thousand or a million finished jobs in the table. Their queries name
-- them with INDEXED BY (SqliteClaims, SqliteActiveJobs): without statistics SQLite's planner
-- would rather take the general (state, id) or (lane, id) listing index, whose ranges hold the
-- whole history. Each ends with state so that the queries that only count or pick ids are
-- covering (no table lookups).

-- claim: SELECT id FROM jobs WHERE state = 'ready' AND lane = ? ORDER BY run_at, id LIMIT ?
-- laneDepths: ready count and oldest run_at per lane.
CREATE INDEX jobs_ready_claim ON jobs (lane, run_at, id, state) WHERE state = 'ready';

-- promoteDue: ... WHERE state = 'scheduled' AND run_at <= ? ORDER BY run_at, id LIMIT ?
-- nextScheduledRunAt: SELECT min(run_at) ... WHERE state = 'scheduled'
-- laneDepths: scheduled count per lane.
CREATE INDEX jobs_scheduled_due ON jobs (run_at, id, lane, state) WHERE state = 'scheduled';

-- findExpiredLeases (the reaper): ... WHERE state = 'running' AND lease_expires_at < ?
--   ORDER BY lease_expires_at, id LIMIT ?
-- claim's lane cap and laneDepths: running jobs per lane, counted by scanning this index (the
-- running set is small: bounded by the workers and remote claims), so no second running index
-- has to be written at every claim and every finish.
CREATE INDEX jobs_running_lease ON jobs (lease_expires_at, id, lane) WHERE state = 'running';

-- The unique-key rule, enforced by the database: at most one scheduled, ready or running job
-- per key. enqueue names it as its ON CONFLICT target; retry checks it before taking a key back.
CREATE UNIQUE INDEX jobs_active_unique_key ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'ready', 'running');

-- find() filtered by dead or cancelled, newest first: the rare end states an operator looks for.
-- Active states are listed through the partial indexes above, and succeeded (most of the table)
-- by walking the primary key newest first. A full (state, id) index would cost two index writes
-- at every state change of every job, the most frequent writes Vigil makes.
CREATE INDEX jobs_state_id ON jobs (state, id) WHERE state IN ('dead', 'cancelled');

-- find() filtered by lane, newest first.
CREATE INDEX jobs_lane_id ON jobs (lane, id);

-- find() filtered by type, newest first.
CREATE INDEX jobs_type_id ON jobs (type, id);

-- find() filtered by correlation id (the timeline of one request), newest first.
CREATE INDEX jobs_correlation_id ON jobs (correlation_id, id) WHERE correlation_id IS NOT NULL;

CREATE TABLE job_attempts (
    job_id        TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN
                      ('succeeded', 'failed', 'timed_out', 'lease_expired', 'cancelled')),
    worker_id     TEXT,
    error_type    TEXT,
    error_message TEXT,
    error_stack   TEXT,
    -- get(): SELECT ... WHERE job_id = ? ORDER BY attempt; one row per finished attempt.
    PRIMARY KEY (job_id, attempt)
) WITHOUT ROWID; -- the primary key is the table: one B-tree write per attempt instead of two

CREATE TABLE schedules (
    name          TEXT    NOT NULL PRIMARY KEY, -- listSchedules orders by it
    cron          TEXT    NOT NULL,
    syntax        TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    job_json      TEXT    NOT NULL,
    next_fire_at  INTEGER,
    last_fired_at INTEGER,
    created_at    INTEGER,
    updated_at    INTEGER
);

-- dueSchedules: WHERE next_fire_at <= ? ORDER BY next_fire_at, name
CREATE INDEX schedules_next_fire ON schedules (next_fire_at, name);

CREATE TABLE lane_state (
    lane   TEXT    NOT NULL PRIMARY KEY,
    paused INTEGER NOT NULL
);
