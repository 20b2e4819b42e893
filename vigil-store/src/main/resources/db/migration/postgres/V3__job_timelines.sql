-- Vigil shared store, schema version 3: job timelines (as SQLite's version 3).
--
-- Each finished attempt keeps the job's run_at at the time it was claimed (ready_at: when it
-- became due, at creation or after a retry's back-off), so its queue wait stays known after later
-- retries move the job's run_at; and the spans its handler or remote worker timed (job_spans).
-- Attempts stored before this version have no ready_at.

ALTER TABLE job_attempts ADD COLUMN ready_at BIGINT;

-- Written by the finish's own statement only when the attempt reported spans. started_at is
-- epoch milliseconds like every time in the schema; durations keep microseconds (a database call
-- may take less than a millisecond).
CREATE TABLE job_spans (
    job_id      TEXT COLLATE "C" NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    seq         INTEGER NOT NULL, -- the order the spans ended in, from 0
    name        TEXT    NOT NULL,
    started_at  BIGINT  NOT NULL,
    duration_us BIGINT  NOT NULL,
    attributes  TEXT,             -- a JSON object of strings; NULL when there are none
    -- get(): SELECT ... WHERE job_id = ? ORDER BY attempt, seq
    PRIMARY KEY (job_id, attempt, seq)
);
