-- Vigil shared store, schema version 6: error groups (issue 12; as SQLite's version 6).
--
-- Version 5 is the metric history's; the two are independent and apply in order.
--
-- A failed attempt's error is grouped by a fingerprint (dev.vigil.observe.errors.Fingerprinter):
-- its type and in-app stack frames, or its type and normalised message, unless the handler chose
-- its own fingerprint. Only that chosen fingerprint is stored with the error (NULL for the default
-- grouping), so a group's id can be computed for any stored attempt. Adding a nullable column
-- without a default rewrites nothing.

ALTER TABLE job_attempts ADD COLUMN error_fingerprint TEXT;
ALTER TABLE jobs ADD COLUMN last_error_fingerprint TEXT;

-- One row per group, shared by every node: each node's grouper inserts a new group with
-- ON CONFLICT DO NOTHING (so exactly one node creates it), or locks the row (FOR UPDATE, groups in
-- id order) to merge a batch into it, so a regression is seen once. job_types, lanes and
-- sample_job_ids are JSON arrays of strings, bounded by the grouper (20, 20 and 10 entries).
CREATE TABLE error_groups (
    id               TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- 16 hex digits of the fingerprint's SHA-256
    fingerprint      TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    error_type       TEXT    NOT NULL,
    culprit          TEXT,
    first_seen       BIGINT  NOT NULL,
    last_seen        BIGINT  NOT NULL,
    count            BIGINT  NOT NULL,
    job_types        TEXT    NOT NULL,
    lanes            TEXT    NOT NULL,
    sample_job_ids   TEXT    NOT NULL,
    status           TEXT COLLATE "C" NOT NULL CHECK (status IN ('unresolved', 'resolved', 'ignored')),
    regressed        BOOLEAN NOT NULL DEFAULT FALSE,
    unresolved_since BIGINT  NOT NULL, -- first seen, or the last regression or unresolve: time to resolve runs from here
    resolved_at      BIGINT,
    resolved_by      TEXT,
    regressed_at     BIGINT
);

-- find(), newest first: ORDER BY last_seen DESC, id DESC, optionally by status.
CREATE INDEX error_groups_last_seen ON error_groups (last_seen, id);
CREATE INDEX error_groups_status_last_seen ON error_groups (status, last_seen, id);

-- Occurrences per group and hour, for the last 24 hours of each group (count_24h, hourly): one
-- upsert per group and hour of a batch; rows older than two days are deleted.
CREATE TABLE error_group_hours (
    group_id TEXT COLLATE "C" NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    hour     BIGINT NOT NULL, -- epoch milliseconds of the hour's start
    count    BIGINT NOT NULL,
    -- find()/get(): WHERE group_id = ANY(...) AND hour > ?
    PRIMARY KEY (group_id, hour)
);

-- pruning: DELETE ... WHERE hour < ?
CREATE INDEX error_group_hours_hour ON error_group_hours (hour);

-- The last occurrences of each group (at most 20), with their redacted message, for
-- GET /api/v1/errors/{id}. seq numbers a group's occurrences from 1.
CREATE TABLE error_occurrences (
    group_id   TEXT COLLATE "C" NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    seq        BIGINT  NOT NULL,
    job_id     TEXT COLLATE "C" NOT NULL,
    attempt    INTEGER NOT NULL,
    at         BIGINT  NOT NULL,
    job_type   TEXT    NOT NULL,
    lane       TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    error_type TEXT    NOT NULL,
    message    TEXT,
    -- occurrences(): WHERE group_id = ? ORDER BY seq DESC LIMIT ?
    PRIMARY KEY (group_id, seq)
);
