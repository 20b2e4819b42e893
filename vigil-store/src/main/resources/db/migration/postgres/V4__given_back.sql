-- Vigil shared store, schema version 4: attempts given back (as SQLite's version 4).
--
-- A started attempt given back to the queue (a node shut down while it ran) is recorded like any
-- attempt, but does not count toward max_attempts: given_back counts them, and the engine allows
-- a retry while attempt - given_back < max_attempts. Written only by such a finish.

ALTER TABLE jobs ADD COLUMN given_back INTEGER NOT NULL DEFAULT 0;
