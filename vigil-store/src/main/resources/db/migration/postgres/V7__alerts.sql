-- Vigil shared store, schema version 7: alerts (as SQLite's version 7).
--
-- Only the leader writes alerts and history; any node writes silences and reads everything.

CREATE TABLE alerts (
    fingerprint    TEXT             NOT NULL,
    active_since   BIGINT           NOT NULL,
    rule           TEXT             NOT NULL,
    labels         TEXT             NOT NULL,
    annotations    TEXT             NOT NULL,
    state          TEXT             NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
    firing_since   BIGINT,
    last_active_at BIGINT,
    resolved_at    BIGINT,
    value          DOUBLE PRECISION NOT NULL,
    notified_state TEXT,
    notified_at    BIGINT,
    PRIMARY KEY (fingerprint, active_since)
);

CREATE TABLE alert_history (
    id          BIGINT           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule        TEXT             NOT NULL,
    labels      TEXT             NOT NULL,
    state       TEXT             NOT NULL,
    at          BIGINT           NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    duration_ms BIGINT           NOT NULL
);

CREATE TABLE alert_silences (
    id        TEXT   NOT NULL PRIMARY KEY,
    rule      TEXT,
    matchers  TEXT   NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at   BIGINT NOT NULL,
    comment   TEXT
);
