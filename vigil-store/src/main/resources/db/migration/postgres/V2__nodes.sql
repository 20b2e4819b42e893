-- Vigil shared store, schema version 2: the node registry and the leader's term.
-- Every node heartbeats into nodes; operators list them and see which stopped heartbeating.

CREATE TABLE nodes (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    host           TEXT    NOT NULL,
    version        TEXT    NOT NULL,
    started_at     BIGINT  NOT NULL,
    last_heartbeat BIGINT  NOT NULL,
    running_jobs   INTEGER NOT NULL
);

-- One row (id = 1): who leads and until when. tryLead is one upsert whose WHERE only lets the
-- current holder renew, or anyone take over once the term has ended. Racing upserts of the row
-- wait for each other and re-check the WHERE on the latest version, so at most one node holds
-- a term at any instant.
CREATE TABLE leader (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    node_id      TEXT COLLATE "C" NOT NULL,
    term_ends_at BIGINT  NOT NULL
);
