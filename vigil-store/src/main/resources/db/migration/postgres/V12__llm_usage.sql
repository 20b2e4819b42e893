-- Vigil on PostgreSQL, schema version 12: the model calls jobs made (LLM usage).
--
-- One row per recorded call, written in the transaction of the finish of the attempt that made
-- it, and only when that finish held its lease. job_id and attempt are NULL/0 for calls made
-- outside any job. at is when the call started (epoch milliseconds). Tokens follow the
-- OpenTelemetry GenAI conventions: input_tokens counts cached input tokens too. cost_usd is an
-- exact decimal kept as text, NULL when no price row covered the model (unknown, not free).
-- energy_wh and co2e_g are estimates. Rows outlive their job (no foreign key): what was spent
-- stays spent when retention deletes the job.
CREATE TABLE llm_usage (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id              TEXT COLLATE "C",
    attempt             INTEGER NOT NULL,
    seq                 INTEGER NOT NULL, -- the order the attempt's calls ended in, from 0
    type                TEXT,
    lane                TEXT,
    at                  BIGINT  NOT NULL,
    provider            TEXT    NOT NULL,
    model               TEXT    NOT NULL,
    operation           TEXT    NOT NULL,
    input_tokens        BIGINT  NOT NULL,
    cached_input_tokens BIGINT  NOT NULL,
    output_tokens       BIGINT  NOT NULL,
    reasoning_tokens    BIGINT  NOT NULL,
    duration_ms         BIGINT  NOT NULL,
    outcome             TEXT    NOT NULL,
    cost_usd            TEXT,
    energy_wh           DOUBLE PRECISION NOT NULL,
    co2e_g              DOUBLE PRECISION NOT NULL
);

-- llmUsage(job): WHERE job_id = ? ORDER BY attempt, seq
CREATE INDEX llm_usage_job ON llm_usage (job_id, attempt, seq) WHERE job_id IS NOT NULL;
-- usage over a range
CREATE INDEX llm_usage_at ON llm_usage (at);
