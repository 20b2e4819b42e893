-- Vigil on PostgreSQL, schema version 11: LLM price rows put through the API.
--
-- One row per provider (lower-cased in provider_key; provider keeps the name as given), model
-- pattern and valid_from date; a PUT of the same key replaces the row. Prices are exact decimals
-- kept as text (US dollars per million tokens), so no rounding creeps in; valid_from is
-- yyyy-mm-dd. seq orders the rows as they were last stored, which decides between two rows that
-- tie on everything else. The statements are the same as SQLite's.
CREATE TABLE llm_prices (
  provider_key TEXT NOT NULL,
  model_pattern TEXT NOT NULL,
  valid_from TEXT NOT NULL,
  provider TEXT NOT NULL,
  usd_input TEXT NOT NULL,
  usd_cached_input TEXT NOT NULL,
  usd_output TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (provider_key, model_pattern, valid_from)
);
