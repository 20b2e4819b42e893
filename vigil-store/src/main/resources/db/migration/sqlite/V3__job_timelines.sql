-- Vigil embedded store, schema version 3: job timelines.
--
-- Each finished attempt keeps the job's run_at at the time it was claimed (ready_at: when it
-- became due, at creation or after a retry's back-off), so its queue wait stays known after later
-- retries move the job's run_at; and the spans its handler or remote worker timed (job_spans).
-- Attempts stored before this version have no ready_at.

ALTER TABLE job_attempts ADD COLUMN ready_at INTEGER;

-- Written in the finish's transaction only when the attempt reported spans, so an attempt that
-- timed nothing costs no statement here. started_at is epoch milliseconds like every time in the
-- schema; durations keep microseconds (a database call may take less than a millisecond).
CREATE TABLE job_spans (
    job_id      TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    seq         INTEGER NOT NULL, -- the order the spans ended in, from 0
    name        TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    duration_us INTEGER NOT NULL,
    attributes  TEXT,             -- a JSON object of strings; NULL when there are none
    -- get(): SELECT ... WHERE job_id = ? ORDER BY attempt, seq
    PRIMARY KEY (job_id, attempt, seq)
) WITHOUT ROWID;
