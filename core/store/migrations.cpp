#include "store/migrations.h"

#include "store/sqlite_handle.h"

#include <string>

namespace vigil {

namespace {

// v1: the core store (issue 2). Requests keep their labels in a small
// dimension table so rows and rollups stay narrow. The payload (input,
// output, retrieval context, action, attributes) sits at the end of the row:
// one B-tree insert per record, and metric scans read the covering index, not
// the rows.
constexpr std::string_view kV1 = R"SQL(
CREATE TABLE meta(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE labels(
    id             INTEGER PRIMARY KEY,
    tenant         TEXT NOT NULL,
    model          TEXT NOT NULL,
    provider       TEXT NOT NULL,
    prompt_name    TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    UNIQUE(tenant, model, provider, prompt_name, prompt_version)
);

CREATE TABLE batches(
    id           INTEGER PRIMARY KEY,
    committed_at INTEGER NOT NULL,
    source       TEXT NOT NULL,
    records      INTEGER NOT NULL DEFAULT 0,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    quarantined  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE requests(
    id            INTEGER PRIMARY KEY,
    request_id    TEXT NOT NULL UNIQUE,
    ts            INTEGER NOT NULL,
    label_id      INTEGER NOT NULL,
    latency_ms    REAL NOT NULL,
    outcome       INTEGER NOT NULL,
    input_tokens  INTEGER,
    output_tokens INTEGER,
    cost_usd      REAL,
    cost_source   INTEGER NOT NULL,
    retrieval_hits INTEGER,
    error_type    TEXT,
    user          TEXT,
    trace_id      TEXT,
    session_id    TEXT,
    batch_id      INTEGER NOT NULL,
    input             TEXT,
    output            TEXT,
    retrieval_context TEXT,
    action            TEXT,
    attributes        TEXT
);
CREATE INDEX requests_by_ts ON requests(ts, label_id, latency_ms, outcome);

CREATE TABLE rollup_minute(
    bucket             INTEGER NOT NULL,
    label_id           INTEGER NOT NULL,
    n_ok               INTEGER NOT NULL,
    n_error            INTEGER NOT NULL,
    n_timeout          INTEGER NOT NULL,
    n_fallback         INTEGER NOT NULL,
    n_refused          INTEGER NOT NULL,
    n_blocked          INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cost_usd           REAL NOT NULL,
    cost_computed_usd  REAL NOT NULL,
    cost_unknown       INTEGER NOT NULL,
    retrieval_requests INTEGER NOT NULL,
    retrieval_hits     INTEGER NOT NULL,
    retrieval_empty    INTEGER NOT NULL,
    latency_sum        REAL NOT NULL,
    latency_max        REAL NOT NULL,
    sketch             BLOB NOT NULL,
    PRIMARY KEY(bucket, label_id)
) WITHOUT ROWID;
CREATE TABLE rollup_hour(
    bucket             INTEGER NOT NULL,
    label_id           INTEGER NOT NULL,
    n_ok               INTEGER NOT NULL,
    n_error            INTEGER NOT NULL,
    n_timeout          INTEGER NOT NULL,
    n_fallback         INTEGER NOT NULL,
    n_refused          INTEGER NOT NULL,
    n_blocked          INTEGER NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cost_usd           REAL NOT NULL,
    cost_computed_usd  REAL NOT NULL,
    cost_unknown       INTEGER NOT NULL,
    retrieval_requests INTEGER NOT NULL,
    retrieval_hits     INTEGER NOT NULL,
    retrieval_empty    INTEGER NOT NULL,
    latency_sum        REAL NOT NULL,
    latency_max        REAL NOT NULL,
    sketch             BLOB NOT NULL,
    PRIMARY KEY(bucket, label_id)
) WITHOUT ROWID;

CREATE TABLE rollup_error_minute(
    bucket     INTEGER NOT NULL,
    label_id   INTEGER NOT NULL,
    error_type TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY(bucket, label_id, error_type)
) WITHOUT ROWID;
CREATE TABLE rollup_error_hour(
    bucket     INTEGER NOT NULL,
    label_id   INTEGER NOT NULL,
    error_type TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY(bucket, label_id, error_type)
) WITHOUT ROWID;

CREATE TABLE quarantine(
    id          INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    source      TEXT NOT NULL,
    line        INTEGER,
    byte_offset INTEGER,
    reason      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    raw         BLOB NOT NULL,
    raw_size    INTEGER NOT NULL
);
CREATE INDEX quarantine_by_time ON quarantine(received_at);

CREATE TABLE sources(
    id         INTEGER PRIMARY KEY,
    path       TEXT NOT NULL,
    device     INTEGER NOT NULL,
    inode      INTEGER NOT NULL,
    head_len   INTEGER NOT NULL,
    head_hash  BLOB NOT NULL,
    offset     INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE(device, inode)
);
)SQL";

// v2: the audit trail (issue 6). Every stored record carries the SHA-256 of
// its canonical form; every committed batch and every operator-log entry is a
// link of a hash chain; purged records leave their hash behind so their batch
// still verifies, and a purged prefix of the chain is replaced by a
// checkpoint. Full-text search is a contentless FTS5 index over the text of
// input, output and retrieval context, filled by a follow-up pass.
constexpr std::string_view kV2 = R"SQL(
ALTER TABLE requests ADD COLUMN row_hash BLOB;
ALTER TABLE requests ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;

CREATE TABLE operator_log(
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    host       TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    from_value TEXT,
    to_value   TEXT,
    reason     TEXT,
    details    TEXT
);
CREATE INDEX operator_log_by_time ON operator_log(at);

CREATE TABLE chain_links(
    seq     INTEGER PRIMARY KEY,
    kind    INTEGER NOT NULL,
    ref     INTEGER NOT NULL,
    items   INTEGER NOT NULL,
    content BLOB NOT NULL,
    hash    BLOB NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX chain_links_by_ref ON chain_links(kind, ref);

CREATE TABLE chain_checkpoints(
    seq    INTEGER PRIMARY KEY,
    hash   BLOB NOT NULL,
    at     INTEGER NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE purged_rows(
    batch_id INTEGER NOT NULL,
    row_id   INTEGER NOT NULL,
    row_hash BLOB NOT NULL,
    PRIMARY KEY(batch_id, row_id)
) WITHOUT ROWID;

CREATE TABLE retention_holds(
    tenant TEXT PRIMARY KEY,
    since  INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    reason TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE requests_fts USING fts5(
    input, output, retrieval_context,
    content = '', tokenize = 'unicode61 remove_diacritics 2'
);
)SQL";

// v3: prompt versions (issue 7). The history of activations per prompt; each
// row is written with its operator-log entry in one transaction.
constexpr std::string_view kV3 = R"SQL(
CREATE TABLE prompt_activations(
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    sha             TEXT NOT NULL,
    previous_sha    TEXT,
    kind            TEXT NOT NULL CHECK (kind IN ('activate', 'rollback')),
    activated_at    INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    host            TEXT NOT NULL,
    reason          TEXT,
    operator_log_id INTEGER NOT NULL REFERENCES operator_log(id)
);
CREATE INDEX prompt_activations_by_name ON prompt_activations(name, id);
)SQL";

// v4: alerts and cost caps (issue 5). The state of every alert (a rule, or
// one group of it) under its dedup key, with its history; silences; the
// outbox of notifications waiting for delivery and how each destination is
// doing; cap changes made through Vigil; and the lease that lets exactly one
// process evaluate and page. A state change, its history and its
// notifications are written in one transaction.
constexpr std::string_view kV4 = R"SQL(
CREATE TABLE alert_state(
    dedup_key        TEXT PRIMARY KEY,
    rule             TEXT NOT NULL,
    type             TEXT NOT NULL,
    group_key        TEXT NOT NULL,
    phase            TEXT NOT NULL CHECK (phase IN ('inactive', 'pending', 'firing')),
    episode          INTEGER NOT NULL,
    severity         TEXT NOT NULL,
    pending_since    INTEGER NOT NULL,
    firing_since     INTEGER NOT NULL,
    last_true_at     INTEGER NOT NULL,
    resolved_at      INTEGER NOT NULL,
    last_notified_at INTEGER NOT NULL,
    trigger_queued   INTEGER NOT NULL,
    value            REAL NOT NULL,
    threshold        REAL NOT NULL,
    summary          TEXT NOT NULL,
    details          TEXT NOT NULL,
    ack_by           TEXT,
    ack_at           INTEGER,
    ack_reason       TEXT,
    updated_at       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE alert_history(
    id        INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    dedup_key TEXT NOT NULL,
    rule      TEXT NOT NULL,
    type      TEXT NOT NULL,
    group_key TEXT NOT NULL,
    episode   INTEGER NOT NULL,
    event     TEXT NOT NULL,
    severity  TEXT NOT NULL,
    value     REAL NOT NULL,
    threshold REAL NOT NULL,
    summary   TEXT NOT NULL,
    actor     TEXT,
    reason    TEXT
);
CREATE INDEX alert_history_by_time ON alert_history(at);
CREATE INDEX alert_history_by_key ON alert_history(dedup_key, id);

CREATE TABLE alert_silences(
    id              INTEGER PRIMARY KEY,
    target          TEXT NOT NULL,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT NOT NULL,
    cancelled_at    INTEGER,
    operator_log_id INTEGER NOT NULL REFERENCES operator_log(id)
);
CREATE INDEX alert_silences_by_end ON alert_silences(ends_at);

CREATE TABLE alert_outbox(
    id              INTEGER PRIMARY KEY,
    destination     TEXT NOT NULL,
    dedup_key       TEXT NOT NULL,
    episode         INTEGER NOT NULL,
    event           TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'rejected', 'abandoned')),
    last_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    last_response   TEXT,
    delivered_at    INTEGER,
    UNIQUE(destination, message_id)
);
CREATE INDEX alert_outbox_pending ON alert_outbox(status, next_attempt_at);

CREATE TABLE alert_destinations(
    name            TEXT PRIMARY KEY,
    last_success_at INTEGER,
    failing_since   INTEGER,
    last_failure_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    rejected_at     INTEGER
) WITHOUT ROWID;

CREATE TABLE alert_lease(
    name              TEXT PRIMARY KEY,
    holder            TEXT NOT NULL,
    host              TEXT NOT NULL,
    pid               INTEGER NOT NULL,
    acquired_at       INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    last_evaluated_at INTEGER
) WITHOUT ROWID;

CREATE TABLE cost_caps(
    scope           TEXT NOT NULL CHECK (scope IN ('daily', 'tenant_default', 'tenant')),
    tenant          TEXT NOT NULL,
    cap_usd         REAL NOT NULL CHECK (cap_usd > 0),
    reviewed_on     TEXT NOT NULL,
    set_at          INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT,
    operator_log_id INTEGER NOT NULL REFERENCES operator_log(id),
    PRIMARY KEY(scope, tenant)
) WITHOUT ROWID;
)SQL";

// The audit table sorts a window by latency or cost: with the cost in the ts
// index too, the page's ids are found in the index alone, without reading a
// row per call (the index was already covering for latency). Rebuilding it
// takes seconds per million calls, once.
constexpr std::string_view kV5 = R"SQL(
DROP INDEX requests_by_ts;
CREATE INDEX requests_by_ts ON requests(ts, label_id, latency_ms, outcome, cost_usd);
)SQL";

} // namespace

const std::vector<Migration> &schemaMigrations()
{
    static const std::vector<Migration> migrations = {
        {1, "core store: requests with payloads, labels, rollups, quarantine, sources", kV1},
        {2, "audit trail: row hashes, hash chain, operator log, holds, full-text index", kV2},
        {3, "prompt versions: activation history", kV3},
        {4, "alerts: state, history, silences, outbox, destinations, lease; cost caps", kV4},
        {5, "audit sorts: the ts index covers cost", kV5},
    };
    return migrations;
}

int latestSchemaVersion()
{
    return schemaMigrations().back().version;
}

void migrateSchema(sql::Database &db, int targetVersion)
{
    if (targetVersion < 0)
        targetVersion = latestSchemaVersion();
    for (const Migration &migration : schemaMigrations()) {
        if (migration.version > targetVersion)
            break;
        sql::Transaction txn(db);
        // Re-read inside the write lock: another process may have migrated meanwhile.
        const auto current = db.queryInt("PRAGMA user_version");
        if (current >= migration.version)
            continue;
        if (current != migration.version - 1)
            throw sql::Error(SQLITE_ERROR, "schema version " + std::to_string(current) +
                                               " cannot be migrated to " +
                                               std::to_string(migration.version));
        db.exec(migration.sql);
        db.exec("PRAGMA user_version = " + std::to_string(migration.version));
        txn.commit();
    }
}

} // namespace vigil
