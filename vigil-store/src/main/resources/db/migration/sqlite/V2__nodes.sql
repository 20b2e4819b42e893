-- Vigil embedded store, schema version 2: the node registry and the leader's term.
-- A single SQLite node is always its own leader; the tables exist so that the engine treats
-- every store alike and operators see the same /api/v1/nodes everywhere.

CREATE TABLE nodes (
    id             TEXT    NOT NULL PRIMARY KEY,
    host           TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    started_at     INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    running_jobs   INTEGER NOT NULL
);

-- One row (id = 1): who leads and until when. tryLead is one upsert whose WHERE only lets the
-- current holder renew, or anyone take over once the term has ended.
CREATE TABLE leader (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    node_id      TEXT    NOT NULL,
    term_ends_at INTEGER NOT NULL
);
