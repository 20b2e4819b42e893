-- Vigil embedded store, schema version 5: metric history (docs/history.md).
-- Each node's sampler registers its series once and rewrites the chunk it is filling at every
-- snapshot; roll-ups write whole chunks of minutes and hours; the purge deletes old chunks.
-- Chunks hold encoded points that only the history engine reads.

CREATE TABLE history_series (
    id     INTEGER PRIMARY KEY,
    name   TEXT    NOT NULL,
    node   TEXT    NOT NULL,
    labels TEXT    NOT NULL,             -- a JSON object, keys sorted: one text per label set
    kind   TEXT    NOT NULL,             -- counter, gauge or histogram
    bounds TEXT    NOT NULL,             -- a histogram's bucket bounds, comma-separated; '' otherwise
    UNIQUE (name, node, labels)          -- registration's upsert; the queries' lookup by name
);

-- A rowid table, not WITHOUT ROWID: chunks run to a few kilobytes, which a rowid table keeps in
-- its leaf pages where an index-organised one would spill them to overflow pages.
CREATE TABLE history_chunks (
    tier      INTEGER NOT NULL,          -- 0 raw, 1 minutes, 2 hours
    start_ms  INTEGER NOT NULL,          -- the first point
    series_id INTEGER NOT NULL REFERENCES history_series (id),
    end_ms    INTEGER NOT NULL,          -- the last point; at most one chunk period after start_ms
    points    INTEGER NOT NULL,
    data      BLOB    NOT NULL
);

-- The one index: the write's upsert key, and every read (a query's series over a window, the
-- roll-up's period, the purge's cut-off) is a range of start_ms within one tier.
CREATE UNIQUE INDEX history_chunks_key ON history_chunks (tier, start_ms, series_id);

-- How far each roll-up tier is complete.
CREATE TABLE history_rollups (
    tier            INTEGER NOT NULL PRIMARY KEY,
    rolled_until_ms INTEGER NOT NULL
);
