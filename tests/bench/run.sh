#!/usr/bin/env bash
# tests/bench/run.sh - the ingest and query benchmark of issue 2.
#
# Usage:   tests/bench/run.sh [--rounds N] [--skip-10m] [--keep] [--work DIR] [--quick]
#          (--quick: 20k and 200k records instead of 1M and 10M, to check the script)
# Needs:   the release build (cmake --preset release && cmake --build build/release -j2),
#          sqlite3, /usr/bin/time, node + npm (DuckDB baseline; installed on first use
#          into build/bench-node, never committed). About 20 GB free in the work folder.
#
# What it does, all on this machine, in one run:
#   1. generates the deterministic realistic log with `vigilctl generate`: 1M records of
#      ~1.5 KB (--payload 500-1500, 0.1% malformed lines, skewed tenants, lognormal
#      latencies; the generator's built-ins), 24 hours ending at $NOW;
#   2. parse-only rates: vigil_parse_bench (simdjson RecordParser vs QJsonDocument);
#   3. ingest into a fresh store, N rounds interleaved with the baselines so that the
#      machine's noise hits all of them alike:
#        - `vigilctl ingest` (WAL, synchronous=FULL, one transaction per batch),
#        - the sqlite3 shell loading the same file with ->> / json_extract into an
#          equivalent table (UNIQUE request_id, an index on ts, WAL, synchronous=FULL,
#          page_size 16384),
#        - DuckDB's read_json into a persisted table (npm @duckdb/node-api);
#      reporting medians of records/s, MB/s, peak RSS, CPU seconds, durable commits;
#   4. query milliseconds through vigil_query_bench (MetricsReader::query in process,
#      first run on a fresh reader and the median of warm runs) over the 1M store and a
#      10M store (10M records over 7 days with --payload 100-200 to keep it ~6 GB);
#   5. prints markdown tables (and leaves them in $WORK/results.md).
#
# Environment: VIGIL_BENCH_DIR (work folder, default /tmp/vigil-bench), BUILD (default
# build/release). Big files are deleted at the end unless --keep is given.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build/release}
VIGILCTL=$BUILD/app/vigilctl/vigilctl
PARSE_BENCH=$BUILD/tests/bench/vigil_parse_bench
QUERY_BENCH=$BUILD/tests/bench/vigil_query_bench
NODE_DIR=$ROOT/build/bench-node
DUCKDB_VERSION=1.5.6-r.1
WORK=${VIGIL_BENCH_DIR:-/tmp/vigil-bench}
NOW=2025-01-01T00:00:00Z
ROUNDS=3
RECORDS_1M=1000000
RECORDS_10M=10000000
SKIP_10M=0
KEEP=0

while [ $# -gt 0 ]; do
    case $1 in
        --rounds) ROUNDS=$2; shift 2 ;;
        --skip-10m) SKIP_10M=1; shift ;;
        --keep) KEEP=1; shift ;;
        --quick) RECORDS_1M=20000; RECORDS_10M=200000; shift ;;
        --work) WORK=$2; shift 2 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

for bin in "$VIGILCTL" "$PARSE_BENCH" "$QUERY_BENCH"; do
    [ -x "$bin" ] || { echo "run.sh: $bin is missing; build first: cmake --preset release && cmake --build build/release -j2" >&2; exit 2; }
done
for tool in sqlite3 node npm /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done

mkdir -p "$WORK"
LOG1M=$WORK/requests-1m.ndjson
LOG10M=$WORK/requests-10m.ndjson
STORE1M=$WORK/store-1m.db
STORE10M=$WORK/store-10m.db
RESULTS=$WORK/results.md
TIMES=$WORK/times

say() { printf '%s\n' "$*" >&2; }
rm_store() { rm -f "$1" "$1-wal" "$1-shm" "$1.wal"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
# Runs a command under /usr/bin/time -v; leaves wall seconds, peak RSS (KB) and CPU seconds in $TIMES.
timed() {
    /usr/bin/time -v -o "$TIMES" "$@"
}
time_field() { # wall | rss | cpu
    case $1 in
        wall) awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$TIMES" ;;
        rss) awk -F': ' '/Maximum resident set size/ { print $2 }' "$TIMES" ;;
        cpu) awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$TIMES" ;;
    esac
}

say "== disk space before ($(date -u +%FT%TZ))"
df -h "$WORK" >&2

# --- the machine -----------------------------------------------------------
{
    echo "## Machine"
    echo
    echo '```'
    lscpu | grep -E '^(Architecture|CPU\(s\)|Model name|Thread\(s\) per core|Core\(s\) per socket|Socket\(s\)|Hypervisor vendor|L2 cache|L3 cache)' || true
    free -h | sed -n '1,2p'
    echo "disk: $(df -h "$WORK" | awk 'NR == 2 { print $1 " " $2 " total, " $4 " free" }'), rotational=$(cat /sys/block/"$(lsblk -no pkname "$(df --output=source "$WORK" | tail -1)" 2>/dev/null || echo vda)"/queue/rotational 2>/dev/null || echo '?')"
    echo "kernel: $(uname -sr)"
    echo "SQLite (linked): $(sqlite3 --version | cut -d' ' -f1), Qt: $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo '?'), simdjson: $(dpkg-query -W -f='${Version}' libsimdjson14 2>/dev/null || echo '?'), node: $(node --version)"
    echo "load average at start: $(cat /proc/loadavg)"
    echo '```'
    echo
} > "$RESULTS"

# --- 1. the log ----------------------------------------------------------------
say "== generating 1M records (payload 500-1500 bytes, 0.1% malformed) into $LOG1M"
"$VIGILCTL" generate --out "$LOG1M" --records "$RECORDS_1M" --payload 500-1500 --malformed 0.001 \
    --since 24h --now "$NOW" --seed 42
LOG_BYTES=$(stat -c %s "$LOG1M")
cat "$LOG1M" > /dev/null # every loader reads it from the page cache

# --- 2. parsing alone ------------------------------------------------------------
say "== parse-only: simdjson RecordParser vs QJsonDocument (200k lines)"
PARSE_JSON=$("$PARSE_BENCH" "$LOG1M" 200000)
pj() { printf '%s' "$PARSE_JSON" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

# --- 3. ingest and baselines ---------------------------------------------------------
if [ ! -d "$NODE_DIR/node_modules/@duckdb/node-api" ]; then
    say "== installing @duckdb/node-api@$DUCKDB_VERSION into $NODE_DIR"
    mkdir -p "$NODE_DIR"
    [ -f "$NODE_DIR/package.json" ] || echo '{"name":"vigil-bench-node","private":true}' > "$NODE_DIR/package.json"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund "@duckdb/node-api@$DUCKDB_VERSION" >&2)
fi

SQLITE_DB=$WORK/baseline-sqlite.db
DUCK_DB=$WORK/baseline.duckdb
SQL=$WORK/baseline-load.sql
sed "s|@LOG@|$LOG1M|" "$ROOT/tests/bench/sqlite_baseline.sql" > "$SQL"

: > "$WORK/vigil.tsv"; : > "$WORK/sqlite.tsv"; : > "$WORK/duckdb.tsv"
for round in $(seq 1 "$ROUNDS"); do
    say "== round $round/$ROUNDS: vigilctl ingest (load $(load))"
    rm_store "$STORE1M"
    timed "$VIGILCTL" ingest --db "$STORE1M" --json --no-index "$LOG1M" > "$WORK/ingest.json"
    records=$(sed -n 's/^ *"records": \([0-9]*\).*/\1/p' "$WORK/ingest.json")
    commits=$(sqlite3 "$STORE1M" "SELECT count(*) FROM batches")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(time_field wall)" "$(time_field rss)" "$(time_field cpu)" "$records" "$commits" "$(load)" >> "$WORK/vigil.tsv"

    say "== round $round/$ROUNDS: sqlite3 shell baseline (load $(load))"
    rm_store "$SQLITE_DB"
    timed sqlite3 "$SQLITE_DB" < "$SQL" > /dev/null 2> "$WORK/sqlite-errors.txt"
    records=$(sqlite3 "$SQLITE_DB" "SELECT count(*) FROM requests")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(time_field wall)" "$(time_field rss)" "$(time_field cpu)" "$records" 1 "$(load)" >> "$WORK/sqlite.tsv"
    rm_store "$SQLITE_DB"

    say "== round $round/$ROUNDS: DuckDB read_json baseline (load $(load))"
    rm_store "$DUCK_DB"
    if timed env NODE_PATH="$NODE_DIR/node_modules" node "$ROOT/tests/bench/duckdb_load.js" "$LOG1M" "$DUCK_DB" > "$WORK/duckdb.json"; then
        records=$(sed -n 's/.*"records":\([0-9]*\).*/\1/p' "$WORK/duckdb.json")
        DUCK_VERSION=$(sed -n 's/.*"duckdb":"\([^"]*\)".*/\1/p' "$WORK/duckdb.json")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(time_field wall)" "$(time_field rss)" "$(time_field cpu)" "$records" 1 "$(load)" >> "$WORK/duckdb.tsv"
    else
        say "DuckDB baseline failed (see above)"
    fi
    rm_store "$DUCK_DB"
done

col() { cut -f"$2" "$1" | median; }
row() { # name tsv
    local wall rss cpu records commits loadavg
    wall=$(col "$2" 1); rss=$(col "$2" 2); cpu=$(col "$2" 3); records=$(col "$2" 4); commits=$(col "$2" 5)
    loadavg=$(cut -f6 "$2" | tr '\n' ' ' | sed 's/ $//')
    [ -s "$2" ] || { echo "| $1 | failed | | | | | | |"; return; }
    awk -v n="$1" -v w="$wall" -v r="$rss" -v c="$cpu" -v rec="$records" -v com="$commits" -v b="$LOG_BYTES" -v l="$loadavg" -v runs="$(wc -l < "$2")" \
        'BEGIN { printf "| %s | %d | %.2f | %.0f | %.1f | %.0f | %.1f | %d | %s |\n", n, rec, w, rec / w, b / w / 1e6, r / 1024, c, com, l }'
}
VIGIL_WALL=$(col "$WORK/vigil.tsv" 1)
VIGIL_RATE=$(awk -v r="$(col "$WORK/vigil.tsv" 4)" -v w="$VIGIL_WALL" 'BEGIN { printf "%.0f", r / w }')
VIGIL_RSS_MB=$(awk -v r="$(col "$WORK/vigil.tsv" 2)" 'BEGIN { printf "%.0f", r / 1024 }')
ratio() { [ -s "$1" ] && awk -v a="$(col "$1" 1)" -v b="$VIGIL_WALL" -v ra="$(col "$1" 4)" -v rb="$(col "$WORK/vigil.tsv" 4)" 'BEGIN { printf "%.2f", (rb / b) / (ra / a) }' || echo "n/a"; }
SQLITE_RATIO=$(ratio "$WORK/sqlite.tsv")
DUCK_RATIO=$(ratio "$WORK/duckdb.tsv")

{
    echo "## Ingest: $RECORDS_1M lines, $(awk -v b="$LOG_BYTES" -v n="$RECORDS_1M" 'BEGIN { printf "%.0f MB (%.2f KB per line)", b / 1e6, b / 1e3 / n }'), into a fresh store"
    echo
    echo "Medians of $ROUNDS interleaved rounds; wall time of the whole process (open, ingest, final checkpoint, close)."
    echo
    echo "| loader | records stored | seconds | records/s | MB/s | peak RSS MB | CPU s (user+sys) | durable commits | load avg per round |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    row "vigilctl ingest (WAL, synchronous=FULL)" "$WORK/vigil.tsv"
    row "sqlite3 shell, ->> into an equivalent table (one transaction)" "$WORK/sqlite.tsv"
    row "DuckDB ${DUCK_VERSION:-} read_json, persisted (one transaction)" "$WORK/duckdb.tsv"
    echo
    echo "vigilctl ingest vs the sqlite3 shell: **${SQLITE_RATIO}x** records/s; vs DuckDB: **${DUCK_RATIO}x**."
    echo
    echo "## Parsing alone (200k lines in memory, one core)"
    echo
    echo "| parser | records/s | MB/s |"
    echo "| --- | ---: | ---: |"
    echo "| simdjson RecordParser (production) | $(pj simdjson_records_per_s) | $(pj simdjson_mb_per_s) |"
    echo "| QJsonDocument | $(pj qjson_records_per_s) | $(pj qjson_mb_per_s) |"
    echo
    echo "simdjson is $(pj ratio)x faster."
    echo
} >> "$RESULTS"

# --- 4. queries -------------------------------------------------------------------
say "== queries over the 1M store (load $(load))"
"$QUERY_BENCH" "$STORE1M" "$NOW" 7 > "$WORK/queries-1m.tsv"

if [ "$SKIP_10M" -eq 0 ]; then
    say "== disk space before the 10M store"
    df -h "$WORK" >&2
    say "== generating 10M records over 7 days (payload 100-200 bytes) into $LOG10M"
    "$VIGILCTL" generate --out "$LOG10M" --records "$RECORDS_10M" --payload 100-200 --malformed 0.001 \
        --since 7d --now "$NOW" --seed 7
    LOG10M_BYTES=$(stat -c %s "$LOG10M")
    say "== ingesting the 10M log (load $(load))"
    rm_store "$STORE10M"
    timed "$VIGILCTL" ingest --db "$STORE10M" --json --no-index "$LOG10M" > "$WORK/ingest-10m.json"
    R10=$(sed -n 's/^ *"records": \([0-9]*\).*/\1/p' "$WORK/ingest-10m.json")
    W10=$(time_field wall); RSS10=$(time_field rss)
    rm -f "$LOG10M"
    say "== queries over the 10M store (load $(load))"
    "$QUERY_BENCH" "$STORE10M" "$NOW" 7 > "$WORK/queries-10m.tsv"
    STORE10M_BYTES=$(stat -c %s "$STORE10M")
    {
        echo "## The 10M-record store"
        echo
        echo "$RECORDS_10M records over 7 days with --payload 100-200 (lines of $(awk -v b="$LOG10M_BYTES" -v n="$RECORDS_10M" 'BEGIN { printf "%.0f bytes on average", b / n }'); smaller payloads keep the store at $(awk -v b="$STORE10M_BYTES" 'BEGIN { printf "%.1f GB", b / 1e9 }'); the queries read rollups and the ts index, not payloads)."
        awk -v r="$R10" -v w="$W10" -v m="$RSS10" -v b="$LOG10M_BYTES" 'BEGIN { printf "Ingested in %.1f s: %.0f records/s, %.1f MB/s, peak RSS %.0f MB (one run).\n", w, r / w, b / w / 1e6, m / 1024 }'
        echo
    } >> "$RESULTS"
fi

{
    echo "## Queries (milliseconds, MetricsReader::query in process, \`--now $NOW\`)"
    echo
    echo "first = first run on a freshly opened reader; warm = median of 7 further runs."
    echo "Paths: auto = what vigilctl does (exact nearest-rank up to 100,000 requests, else the"
    echo "rollup sketch); exact/sketch = forced (--exact / the sketch); rollups = spend and errors."
    echo
    if [ "$SKIP_10M" -eq 0 ]; then
        echo "| query | path | 1M: requests | 1M first | 1M warm | 10M: requests | 10M first | 10M warm |"
        echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        paste "$WORK/queries-1m.tsv" "$WORK/queries-10m.tsv" | tail -n +2 |
            awk -F'\t' '{ printf "| %s %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $7, $4, $5, $16, $13, $14 }'
    else
        echo "| query | path | 1M: requests | 1M first | 1M warm |"
        echo "| --- | --- | ---: | ---: | ---: |"
        tail -n +2 "$WORK/queries-1m.tsv" | awk -F'\t' '{ printf "| %s %s | %s | %s | %s | %s |\n", $1, $2, $3, $7, $4, $5 }'
    fi
    echo
} >> "$RESULTS"

# --- targets -------------------------------------------------------------------------
q() { # file kind query path column
    awk -F'\t' -v k="$2" -v q="$3" -v p="$4" -v c="$5" '$1 == k && $2 == q && $3 == p { print $c }' "$1"
}
verdict() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "") print "not measured"; else if ((dir == "min" && v + 0 >= t) || (dir == "max" && v + 0 <= t)) print "met"; else print "**missed**" }'; }
{
    echo "## Targets of issue 2"
    echo
    echo "| target | measured | verdict |"
    echo "| --- | ---: | --- |"
    echo "| ingest >= 150,000 records/s (~1.5 KB, durable commits) | $VIGIL_RATE | $(verdict "$VIGIL_RATE" 150000 min) |"
    echo "| >= 3x the sqlite3-shell baseline | ${SQLITE_RATIO}x | $(verdict "$SQLITE_RATIO" 3 min) |"
    echo "| peak RSS <= 256 MB | $VIGIL_RSS_MB MB (1M)$( [ "$SKIP_10M" -eq 0 ] && awk -v m="$RSS10" 'BEGIN { printf ", %.0f MB (10M)", m / 1024 }') | $(verdict "$VIGIL_RSS_MB" 256 max) |"
    if [ "$SKIP_10M" -eq 0 ]; then
        L1=$(q "$WORK/queries-10m.tsv" latency "--since 1h" auto 5)
        L7=$(q "$WORK/queries-10m.tsv" latency "--since 7d --by model" auto 5)
        echo "| \`query latency --since 1h\` <= 50 ms on 10M (warm) | $L1 ms (first run $(q "$WORK/queries-10m.tsv" latency "--since 1h" auto 4) ms) | $(verdict "$L1" 50 max) |"
        echo "| \`query latency --since 7d --by model\` <= 200 ms on 10M (warm) | $L7 ms (first run $(q "$WORK/queries-10m.tsv" latency "--since 7d --by model" auto 4) ms) | $(verdict "$L7" 200 max) |"
    fi
    echo
    echo "load average at the end: $(cat /proc/loadavg)"
} >> "$RESULTS"

if [ "$KEEP" -eq 0 ]; then
    rm -f "$LOG1M" "$LOG10M"
    rm_store "$STORE1M"; rm_store "$STORE10M"
fi
say "== disk space after"
df -h "$WORK" >&2
cat "$RESULTS"
