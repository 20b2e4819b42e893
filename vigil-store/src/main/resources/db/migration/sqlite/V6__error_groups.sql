-- Vigil embedded store, schema version 6: error groups (issue 12).
--
-- Version 5 is the metric history's; the two are independent and apply in order.
--
-- A failed attempt's error is grouped by a fingerprint (dev.vigil.observe.errors.Fingerprinter):
-- its type and in-app stack frames, or its type and normalised message, unless the handler chose
-- its own fingerprint. Only that chosen fingerprint is stored with the error (NULL for the default
-- grouping), so a group's id can be computed for any stored attempt; it costs nothing for errors
-- grouped the default way.

ALTER TABLE job_attempts ADD COLUMN error_fingerprint TEXT;
ALTER TABLE jobs ADD COLUMN last_error_fingerprint TEXT;

-- One row per group. The grouper writes it off the hot path, a batch of occurrences at a time:
-- insert (a new group) or read, merge and update. job_types, lanes and sample_job_ids are JSON
-- arrays of strings, bounded by the grouper (20, 20 and 10 entries). Everything shown here comes
-- from errors as stored: redacted before the engine wrote them.
CREATE TABLE error_groups (
    id               TEXT    NOT NULL PRIMARY KEY, -- 16 hex digits of the fingerprint's SHA-256
    fingerprint      TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    error_type       TEXT    NOT NULL,
    culprit          TEXT,
    first_seen       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    count            INTEGER NOT NULL,
    job_types        TEXT    NOT NULL,
    lanes            TEXT    NOT NULL,
    sample_job_ids   TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('unresolved', 'resolved', 'ignored')),
    regressed        INTEGER NOT NULL DEFAULT 0,
    unresolved_since INTEGER NOT NULL, -- first seen, or the last regression or unresolve: time to resolve runs from here
    resolved_at      INTEGER,
    resolved_by      TEXT,
    regressed_at     INTEGER
);

-- find(), newest first: ORDER BY last_seen DESC, id DESC, optionally by status.
CREATE INDEX error_groups_last_seen ON error_groups (last_seen, id);
CREATE INDEX error_groups_status_last_seen ON error_groups (status, last_seen, id);

-- Occurrences per group and hour, for the last 24 hours of each group (count_24h, hourly). The
-- grouper adds to a row with one upsert per group and hour of a batch, and deletes rows older
-- than two days.
CREATE TABLE error_group_hours (
    group_id TEXT    NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    hour     INTEGER NOT NULL, -- epoch milliseconds of the hour's start
    count    INTEGER NOT NULL,
    -- find()/get(): WHERE group_id IN (...) AND hour > ?
    PRIMARY KEY (group_id, hour)
) WITHOUT ROWID;

-- pruning: DELETE ... WHERE hour < ?
CREATE INDEX error_group_hours_hour ON error_group_hours (hour);

-- The last occurrences of each group (at most 20: older ones are deleted as new ones come), with
-- their redacted message, for GET /api/v1/errors/{id}. seq numbers a group's occurrences from 1.
CREATE TABLE error_occurrences (
    group_id   TEXT    NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    job_id     TEXT    NOT NULL,
    attempt    INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    job_type   TEXT    NOT NULL,
    lane       TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    error_type TEXT    NOT NULL,
    message    TEXT,
    -- occurrences(): WHERE group_id = ? ORDER BY seq DESC LIMIT ?
    PRIMARY KEY (group_id, seq)
) WITHOUT ROWID;
