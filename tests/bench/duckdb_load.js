// Second ingest baseline for tests/bench/run.sh: DuckDB's read_json loading an
// NDJSON request log into a persisted table equivalent to Vigil's requests
// table (same record fields, UNIQUE request_id, an index on ts), then a
// CHECKPOINT so that everything is in the database file.
//
// Usage: node duckdb_load.js LOG DBFILE
// Needs the npm package @duckdb/node-api (run.sh installs it under build/).
// Prints one JSON object: {"seconds":..,"records":..,"duckdb":"v1.x"}.
//
// Differences from Vigil's ingest, to read the ratio right: DuckDB parses with
// all cores, skips malformed lines instead of quarantining them, does not keep
// unknown fields (Vigil keeps them in `attributes`), keeps no rollups, and
// commits the whole file as one transaction.
'use strict';

const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
    const [log, dbFile] = process.argv.slice(2);
    if (!log || !dbFile) {
        console.error('usage: node duckdb_load.js LOG DBFILE');
        process.exit(2);
    }
    const started = process.hrtime.bigint();
    const instance = await DuckDBInstance.create(dbFile);
    const db = await instance.connect();
    await db.run(`CREATE TABLE requests(
        request_id VARCHAR NOT NULL UNIQUE,
        ts BIGINT NOT NULL,
        tenant VARCHAR NOT NULL, model VARCHAR NOT NULL, provider VARCHAR,
        prompt_name VARCHAR, prompt_version VARCHAR,
        latency_ms DOUBLE NOT NULL, outcome VARCHAR NOT NULL,
        input_tokens BIGINT, output_tokens BIGINT, cost_usd DOUBLE, retrieval_hits BIGINT,
        error_type VARCHAR, "user" VARCHAR, trace_id VARCHAR, session_id VARCHAR,
        input JSON, output VARCHAR, retrieval_context JSON, action JSON)`);
    await db.run('CREATE INDEX requests_by_ts ON requests(ts)');
    const escaped = log.replace(/'/g, "''");
    await db.run(`INSERT INTO requests
        SELECT request_id,
               coalesce(try_cast(ts AS BIGINT), epoch_ms(try_cast(ts AS TIMESTAMPTZ))) AS ts,
               tenant, model, provider, prompt_name, prompt_version, latency_ms, outcome,
               input_tokens, output_tokens, cost_usd, retrieval_hits, error_type, "user",
               trace_id, session_id, input, output, retrieval_context, action
        FROM read_json('${escaped}', format = 'newline_delimited', ignore_errors = true,
            columns = {ts: 'VARCHAR', request_id: 'VARCHAR', tenant: 'VARCHAR', model: 'VARCHAR',
                       provider: 'VARCHAR', prompt_name: 'VARCHAR', prompt_version: 'VARCHAR',
                       latency_ms: 'DOUBLE', outcome: 'VARCHAR', input_tokens: 'BIGINT',
                       output_tokens: 'BIGINT', cost_usd: 'DOUBLE', retrieval_hits: 'BIGINT',
                       error_type: 'VARCHAR', "user": 'VARCHAR', trace_id: 'VARCHAR',
                       session_id: 'VARCHAR', input: 'JSON', output: 'VARCHAR',
                       retrieval_context: 'JSON', action: 'JSON'})
        WHERE request_id IS NOT NULL AND tenant IS NOT NULL AND model IS NOT NULL
          AND latency_ms IS NOT NULL AND outcome IS NOT NULL AND ts IS NOT NULL
        ON CONFLICT DO NOTHING`);
    await db.run('CHECKPOINT');
    const count = await db.runAndReadAll('SELECT count(*) AS n FROM requests');
    const version = await db.runAndReadAll('SELECT version() AS v');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(JSON.stringify({
        seconds,
        records: Number(count.getRows()[0][0]),
        duckdb: version.getRows()[0][0],
    }));
    db.closeSync();
    instance.closeSync();
}

main().catch((e) => {
    console.error(`duckdb_load.js: ${e.message}`);
    process.exit(3);
});
