-- The sqlite3-shell baseline of tests/bench/run.sh: load an NDJSON request log
-- with ->> / json_extract into a table equivalent to Vigil's requests table
-- (the same record fields, UNIQUE request_id, an index on ts, WAL,
-- synchronous=FULL, page_size 16384). run.sh replaces @LOG@ with the file.
--
-- The shell's .import reads the file line by line into a view whose INSTEAD OF
-- trigger turns each line into a row, all in one transaction (that is how
-- .import works). Lines that are not JSON objects are skipped; lines missing a
-- required field fail their INSERT and the shell reports them on stderr.
-- Labels are stored as text in the row (Vigil keeps them in a labels table),
-- and no rollups are kept: less work than Vigil does.
PRAGMA page_size = 16384;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
CREATE TABLE requests(
    id                INTEGER PRIMARY KEY,
    request_id        TEXT NOT NULL UNIQUE,
    ts                INTEGER NOT NULL,
    tenant            TEXT NOT NULL,
    model             TEXT NOT NULL,
    provider          TEXT,
    prompt_name       TEXT,
    prompt_version    TEXT,
    latency_ms        REAL NOT NULL,
    outcome           TEXT NOT NULL,
    input_tokens      INTEGER,
    output_tokens     INTEGER,
    cost_usd          REAL,
    retrieval_hits    INTEGER,
    error_type        TEXT,
    user              TEXT,
    trace_id          TEXT,
    session_id        TEXT,
    input             TEXT,
    output            TEXT,
    retrieval_context TEXT,
    action            TEXT,
    attributes        TEXT
);
CREATE INDEX requests_by_ts ON requests(ts, tenant, model, latency_ms, outcome);

CREATE VIEW lines(line) AS SELECT NULL;
CREATE TRIGGER load_line INSTEAD OF INSERT ON lines
WHEN json_valid(NEW.line) AND json_type(NEW.line) = 'object'
BEGIN
    INSERT INTO requests(request_id, ts, tenant, model, provider, prompt_name, prompt_version,
        latency_ms, outcome, input_tokens, output_tokens, cost_usd, retrieval_hits, error_type,
        user, trace_id, session_id, input, output, retrieval_context, action, attributes)
    SELECT NEW.line ->> '$.request_id',
           CASE WHEN json_type(NEW.line, '$.ts') = 'text'
                THEN CAST(round((julianday(NEW.line ->> '$.ts') - 2440587.5) * 86400000) AS INTEGER)
                ELSE NEW.line ->> '$.ts' END,
           NEW.line ->> '$.tenant', NEW.line ->> '$.model', NEW.line ->> '$.provider',
           NEW.line ->> '$.prompt_name', NEW.line ->> '$.prompt_version',
           NEW.line ->> '$.latency_ms', NEW.line ->> '$.outcome',
           NEW.line ->> '$.input_tokens', NEW.line ->> '$.output_tokens',
           NEW.line ->> '$.cost_usd', NEW.line ->> '$.retrieval_hits',
           NEW.line ->> '$.error_type', NEW.line ->> '$.user', NEW.line ->> '$.trace_id',
           NEW.line ->> '$.session_id',
           NEW.line -> '$.input', NEW.line ->> '$.output', NEW.line -> '$.retrieval_context',
           NEW.line -> '$.action',
           -- unknown fields, as Vigil keeps them in `attributes`
           json_remove(NEW.line, '$.ts', '$.request_id', '$.tenant', '$.model', '$.provider',
               '$.prompt_name', '$.prompt_version', '$.latency_ms', '$.outcome',
               '$.input_tokens', '$.output_tokens', '$.cost_usd', '$.retrieval_hits',
               '$.error_type', '$.user', '$.trace_id', '$.session_id', '$.input', '$.output',
               '$.retrieval_context', '$.action')
    WHERE NEW.line ->> '$.request_id' IS NOT NULL
    ON CONFLICT(request_id) DO NOTHING;
END;

.mode ascii
.separator "\037" "\n"
.import @LOG@ lines
