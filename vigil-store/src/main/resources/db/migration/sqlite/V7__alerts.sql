-- Vigil embedded store, schema version 7: alerts.
--
-- What the alert engine keeps between evaluations and across a leader's failover: the alerts
-- that are pending, firing, or resolved with their resolution still to be told; the history of
-- transitions (firing, resolved); and the silences. Times are epoch milliseconds; labels,
-- annotations and matchers are JSON objects of strings.

-- alerts(): all rows; save() replaces them all (a handful at most).
CREATE TABLE alerts (
    fingerprint    TEXT    NOT NULL,
    active_since   INTEGER NOT NULL,
    rule           TEXT    NOT NULL,
    labels         TEXT    NOT NULL,
    annotations    TEXT    NOT NULL,
    state          TEXT    NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    firing_since   INTEGER,
    last_active_at INTEGER,
    resolved_at    INTEGER,
    value          REAL    NOT NULL,
    notified_state TEXT,
    notified_at    INTEGER,
    PRIMARY KEY (fingerprint, active_since)
);

-- history(since, limit, before): newest first by id.
CREATE TABLE alert_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    rule        TEXT    NOT NULL,
    labels      TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    value       REAL    NOT NULL,
    duration_ms INTEGER NOT NULL
);

-- silences(now): the few that have not ended.
CREATE TABLE alert_silences (
    id        TEXT    NOT NULL PRIMARY KEY,
    rule      TEXT,
    matchers  TEXT    NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    comment   TEXT
);
