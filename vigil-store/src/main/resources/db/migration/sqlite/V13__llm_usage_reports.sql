-- Vigil embedded store, schema version 13: model calls reported apart from a finish, and what retries wasted.
--
-- correlation_id: the correlation id a call was reported with (POST /api/v1/usage), NULL otherwise.
-- attempt_failed: 1 when the attempt that made the call ended in any outcome but success, so that
-- usage reports can show what retries wasted without the job (which retention may have deleted).
-- Calls reported with a finish get it from the finish; calls reported earlier (with a heartbeat)
-- are marked by the finish that fails their attempt. Rows already stored are marked from their
-- attempts here.
ALTER TABLE llm_usage ADD COLUMN correlation_id TEXT;
ALTER TABLE llm_usage ADD COLUMN attempt_failed INTEGER NOT NULL DEFAULT 0;

UPDATE llm_usage SET attempt_failed = 1
 WHERE job_id IS NOT NULL
   AND EXISTS (SELECT 1 FROM job_attempts a
                WHERE a.job_id = llm_usage.job_id AND a.attempt = llm_usage.attempt
                  AND a.outcome <> 'succeeded');

-- modelStats(type, since): WHERE type = ? AND at >= ?
CREATE INDEX llm_usage_type_at ON llm_usage (type, at);
