// The audit trail's speed on a big store (issue 6): the first page of the
// audit table, pages deep into it, two-word full-text searches, a whole-chain
// verify, and ingest latency while the retention purge runs.
//
//   vigil_audit_bench --db STORE [--runs 7] [--skip-purge]
//
// STORE is an existing store (e.g. 1M records: `vigilctl generate --records
// 1000000 --output big.ndjson && vigilctl ingest --db big.db big.ndjson`; the
// ingest's follow-up pass fills the search index). The store is only read,
// except by the purge phase, which works on a copy next to it (deleted after).
//
// Baselines in the same run, so the machine's noise hits both alike: the
// first page is compared with `SELECT count(*)` over the same rows (what a
// view that counts before it shows would pay), the FTS search with a LIKE scan
// of one payload column, ingest during the purge with ingest alone.
//
// Not a CTest test; the figures go to docs/PERFORMANCE.md with the command.
#include "audit/search_query.h"
#include "demo/log_generator.h"
#include "metrics/time_window.h"
#include "record/record_parser.h"
#include "store/audit_reader.h"
#include "store/chain_verifier.h"
#include "store/fts_indexer.h"
#include "store/retention.h"
#include "store/write_queue.h"

#include "audit/actor.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace vigil;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

AuditFilter everything()
{
    AuditFilter f;
    f.window = TimeWindow{0, std::int64_t{1} << 62};
    return f;
}

// Runs `query` once on a fresh connection (first) and `runs` more times (warm).
template <typename F>
std::pair<double, double> firstAndWarm(int runs, F &&query)
{
    auto start = Clock::now();
    query(true);
    const double first = msSince(start);
    std::vector<double> warm;
    for (int i = 0; i < runs; ++i) {
        start = Clock::now();
        query(false);
        warm.push_back(msSince(start));
    }
    return {first, median(warm)};
}

long long sqliteCount(const std::string &db, const char *sql)
{
    sqlite3 *handle = nullptr;
    long long n = -1;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(handle, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
            n = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return n;
}

void row(const char *what, double first, double warm, const std::string &note)
{
    std::printf("| %s | %.1f | %.1f | %s |\n", what, first, warm, note.c_str());
}

// Ingest latency (submit to committed callback) of `batches` batches of 100
// records, optionally while `during` runs on another thread.
std::vector<double> ingestLatencies(const std::string &db, int batches, std::uint64_t seed)
{
    GeneratorOptions g;
    g.endMs = currentTimeMs();
    g.startMs = g.endMs - 3'600'000;
    g.records = static_cast<std::uint64_t>(batches) * 100;
    g.seed = seed;
    g.minPayloadBytes = 500;
    g.maxPayloadBytes = 1500;
    LogGenerator gen(g);
    RecordParser parser;
    WriteQueue queue(db);
    std::vector<double> latencies;
    std::string line;
    for (int b = 0; b < batches; ++b) {
        WriteBatch batch;
        batch.source = "bench";
        while (batch.records.size() < 100 && gen.next(line)) {
            Record r;
            ParseError e;
            if (parser.parseText(line, r, e))
                batch.records.push_back(std::move(r));
        }
        const auto start = Clock::now();
        const BatchOutcome outcome = commitNow(queue, std::move(batch));
        latencies.push_back(msSince(start));
        if (!outcome.ok())
            std::fprintf(stderr, "ingest failed: %s\n", outcome.error->what());
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a steady trickle, like a server
    }
    return latencies;
}

} // namespace

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each table row as it is measured, also into a file
    std::string db;
    int runs = 7;
    bool purge = true;
    bool onlyPurge = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--db") && i + 1 < argc)
            db = argv[++i];
        else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--skip-purge"))
            purge = false;
        else if (!std::strcmp(argv[i], "--only-purge"))
            onlyPurge = true;
        else {
            std::fprintf(stderr, "usage: vigil_audit_bench --db STORE [--runs N] [--skip-purge | --only-purge]\n");
            return 2;
        }
    }
    if (db.empty() || !std::filesystem::exists(db)) {
        std::fprintf(stderr, "vigil_audit_bench: --db must name an existing store\n");
        return 2;
    }
    try {
        {
            const auto start = Clock::now();
            const std::int64_t indexed = FtsIndexer(db).catchUp();
            if (indexed > 0)
                std::printf("search index caught up: %lld records in %.1f s\n", static_cast<long long>(indexed),
                            msSince(start) / 1000);
        }
        const long long total = sqliteCount(db, "SELECT count(*) FROM requests");
        std::printf("store: %s, %lld records, %.2f GB\n\n", db.c_str(), total,
                    static_cast<double>(std::filesystem::file_size(db)) / 1e9);
        if (!onlyPurge) {
        std::printf("| step | first ms | warm ms (median of %d) | note |\n| --- | ---: | ---: | --- |\n", runs);

        std::unique_ptr<AuditReader> reader;
        auto fresh = [&](bool first) {
            if (first || !reader)
                reader = std::make_unique<AuditReader>(db);
        };
        // The first page of the table, newest first, as the Audit page asks for it.
        auto [f1, w1] = firstAndWarm(runs, [&](bool first) {
            fresh(first);
            (void)reader->pageAfter(everything(), AuditSort::TimeDesc, std::nullopt, 256);
        });
        row("first page (256 rows, newest first)", f1, w1, "");
        auto [cf, cw] = firstAndWarm(runs, [&](bool) { (void)sqliteCount(db, "SELECT count(*) FROM requests"); });
        row("baseline: SELECT count(*) over the same rows", cf, cw, "what counting before showing would cost");

        auto [fs, ws] = firstAndWarm(runs, [&](bool first) {
            fresh(first);
            (void)reader->pageAfter(everything(), AuditSort::LatencyDesc, std::nullopt, 256);
        });
        row("first page sorted by latency", fs, ws, "ids from the ts index, then 256 rows");
        auto [fc, wc] = firstAndWarm(runs, [&](bool first) {
            fresh(first);
            (void)reader->pageAfter(everything(), AuditSort::CostDesc, std::nullopt, 256);
        });
        row("first page sorted by cost", fc, wc, "the same, cost in the index since schema 5");
        // The plan before schema 5: whole rows sorted, a table read per call.
        for (const char *key : {"r.latency_ms", "coalesce(r.cost_usd, -1)"}) {
            const std::string sql = std::string("SELECT count(*) FROM (SELECT r.id, r.request_id, r.ts, l.tenant, l.model, "
                                                "r.latency_ms, r.outcome, r.input_tokens, r.output_tokens, r.cost_usd, "
                                                "r.user, r.trace_id, r.error_type, r.row_hash FROM requests r JOIN labels l "
                                                "ON l.id = r.label_id WHERE r.ts >= 0 ORDER BY ") +
                                    key + " DESC, r.id DESC LIMIT 256)";
            auto [fb, wb] = firstAndWarm(runs, [&](bool) { (void)sqliteCount(db, sql.c_str()); });
            row((std::string("baseline: whole rows sorted by ") + key).c_str(), fb, wb, "the page's plan before schema 5");
        }

        AuditFilter failed = everything();
        failed.outcomes = {Outcome::Error, Outcome::Timeout};
        auto [ff, wf] = firstAndWarm(runs, [&](bool first) {
            fresh(first);
            (void)reader->pageAfter(failed, AuditSort::TimeDesc, std::nullopt, 256);
        });
        row("first page, outcome error or timeout", ff, wf, "");

        // Scrolling: 200 pages of 256 (51,200 rows) by keyset; the slowest page counts.
        {
            AuditReader deep(db);
            std::optional<AuditCursor> cursor;
            std::vector<double> pages;
            for (int p = 0; p < 200; ++p) {
                const auto start = Clock::now();
                const auto rows = deep.pageAfter(everything(), AuditSort::TimeDesc, cursor, 256);
                pages.push_back(msSince(start));
                if (rows.empty())
                    break;
                cursor = AuditCursor::after(rows.back());
            }
            std::printf("| scrolling: %zu pages of 256 by keyset | %.1f (max) | %.1f (median) | p99 %.1f |\n",
                        pages.size(), *std::max_element(pages.begin(), pages.end()), median(pages),
                        percentile(pages, 0.99));
        }

        // Two-word searches: the count and the first page, as the page shows them.
        for (const char *text : {"refund invoice", "escalate manager", "\"payment failed\"", "retriev* AND urgent"}) {
            SearchQueryError error;
            const auto query = parseSearchQuery(text, error);
            if (!query) {
                std::fprintf(stderr, "bad query %s: %s\n", text, error.message.c_str());
                return 1;
            }
            AuditFilter f = everything();
            f.search = *query;
            long long hits = 0;
            auto [fq, wq] = firstAndWarm(runs, [&](bool first) {
                fresh(first);
                (void)reader->pageAfter(f, AuditSort::TimeDesc, std::nullopt, 50);
            });
            const auto countStart = Clock::now();
            hits = reader->count(f);
            const double countMs = msSince(countStart);
            row((std::string("search ") + text + ": first 50").c_str(), fq, wq,
                std::to_string(hits) + " matches, counted in " + std::to_string(static_cast<int>(countMs)) + " ms");
        }
        {
            const auto start = Clock::now();
            const long long n = sqliteCount(db, "SELECT count(*) FROM requests WHERE input LIKE '%refund%' AND "
                                                "input LIKE '%invoice%'");
            row("baseline: LIKE scan of input for the same two words", msSince(start), msSince(start),
                std::to_string(n) + " matches (one column only)");
        }

        {
            const auto start = Clock::now();
            const VerifyReport report = ChainVerifier(db).verify();
            const double ms = msSince(start);
            std::printf("| verify the whole chain | %.0f | - | %s, %lld records, %.0f records/s |\n", ms,
                        report.ok ? "ok" : "BROKEN", static_cast<long long>(report.records),
                        static_cast<double>(report.records) / (ms / 1000));
        }

        } // !onlyPurge
        if (purge) {
            // On a copy: ingest alone, then ingest while everything older
            // than a day is purged.
            const std::string copy = db + ".purge-bench";
            std::filesystem::remove(copy);
            std::filesystem::remove(copy + "-wal");
            std::filesystem::remove(copy + "-shm");
            {
                sqlite3 *src = nullptr;
                sqlite3 *dst = nullptr;
                sqlite3_open_v2(db.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
                sqlite3_open(copy.c_str(), &dst);
                sqlite3_backup *backup = sqlite3_backup_init(dst, "main", src, "main");
                if (backup) {
                    sqlite3_backup_step(backup, -1);
                    sqlite3_backup_finish(backup);
                }
                sqlite3_close(dst);
                sqlite3_close(src);
            }
            const long long minTs = sqliteCount(copy, "SELECT min(ts) FROM requests");
            const long long maxTs = sqliteCount(copy, "SELECT max(ts) FROM requests");
            const std::vector<double> alone = ingestLatencies(copy, 100, 7);
            // The oldest quarter of the stored calls goes: "now" is put where
            // a one-day retention cuts a quarter of the way into the data.
            const std::int64_t purgeNow = minTs + 86'400'000LL + (maxTs - minTs) / 4;
            RetentionPolicy policy;
            policy.payloadDays = 1;
            policy.rollupDays = 400;
            auto purging = std::async(std::launch::async, [&] {
                const auto start = Clock::now();
                PurgeSummary s = Retention(copy).purge(policy, purgeNow, Actor{"bench", "bench"});
                return std::make_pair(s, msSince(start));
            });
            std::vector<double> during;
            while (purging.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) {
                const auto some = ingestLatencies(copy, 20, 1000 + during.size());
                during.insert(during.end(), some.begin(), some.end());
            }
            const auto [summary, purgeMs] = purging.get();
            std::printf("\npurge of %lld records in %.1f s: %lld transactions, the longest %.1f ms, %lld pages "
                        "reclaimed\n",
                        static_cast<long long>(summary.records), purgeMs / 1000,
                        static_cast<long long>(summary.transactions), summary.longestTransactionMs,
                        static_cast<long long>(summary.pagesReclaimed));
            std::printf("| ingest batch of 100, submit to commit | p50 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: |\n");
            std::printf("| alone (%zu batches) | %.1f | %.1f | %.1f |\n", alone.size(), median(alone),
                        percentile(alone, 0.99), *std::max_element(alone.begin(), alone.end()));
            if (!during.empty())
                std::printf("| during the purge (%zu batches) | %.1f | %.1f | %.1f |\n", during.size(), median(during),
                            percentile(during, 0.99), *std::max_element(during.begin(), during.end()));
            std::filesystem::remove(copy);
            std::filesystem::remove(copy + "-wal");
            std::filesystem::remove(copy + "-shm");
        }
    } catch (const StoreError &e) {
        std::fprintf(stderr, "vigil_audit_bench: %s\n", e.what());
        return 3;
    }
    return 0;
}
