#include "audit_test_support.h"

#include "gui_test_support.h"
#include "test_support.h"

#include "audit/audit_table_model.h"

#include "audit/redaction.h"
#include "ingest/file_ingester.h"
#include "record/price_table.h"
#include "record/timestamp.h"
#include "store/write_queue.h"

#include <gtest/gtest.h>

#include <QFile>

#include <algorithm>
#include <map>
#include <random>

namespace vigil::test {

namespace {

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}

// One call as NDJSON; `i` decides everything, so the store is the same every run.
std::string callLine(int i, std::mt19937 &rng)
{
    static const char *tenants[] = {"acme", "globex", "initech"};
    static const char *models[] = {"gpt-4o-mini", "claude-3-5-sonnet", "llama-3-70b"};
    static const char *providers[] = {"openai", "anthropic", "vllm"};
    static const char *prompts[] = {"summarize", "support-bot", ""};
    static const char *versions[] = {"3f9c2ab", "b7e1d40", "v2-label"};
    static const char *outcomes[] = {"ok", "ok", "ok", "ok", "error", "timeout", "fallback", "refused", "blocked", "ok"};
    static const char *errors[] = {"rate_limit", "http_5xx", "content_filter"};
    const int m = i % 3;
    // Groups of three calls share a timestamp: the keyset must break ties.
    const std::int64_t ts = kNowMs - kAuditSpanMs + static_cast<std::int64_t>(i / 3) * 7000 + 11;
    const std::string outcome = outcomes[rng() % 10];
    std::string line = "{\"ts\":" + std::to_string(ts) + ",\"request_id\":\"call-" + std::to_string(i) + "\"";
    line += ",\"tenant\":" + quoted(tenants[(i / 7) % 3]) + ",\"model\":" + quoted(models[m]) +
            ",\"provider\":" + quoted(providers[m]);
    if (*prompts[i % 3 == 2 ? 2 : (i / 5) % 2])
        line += ",\"prompt_name\":" + quoted(prompts[(i / 5) % 2]) + ",\"prompt_version\":" + quoted(versions[(i / 11) % 3]);
    // Latency in 50 ms steps: many ties.
    line += ",\"latency_ms\":" + std::to_string(50 * (1 + static_cast<int>(rng() % 60)));
    line += ",\"outcome\":" + quoted(outcome);
    if (outcome == "error" || outcome == "timeout")
        line += ",\"error_type\":" + quoted(outcome == "timeout" ? "timeout" : errors[rng() % 3]);
    line += ",\"input_tokens\":" + std::to_string(100 + rng() % 2000) + ",\"output_tokens\":" + std::to_string(rng() % 500);
    if (i % 4 == 1) // reported; the others are computed from the price table or unknown (llama)
        line += ",\"cost_usd\":" + std::to_string(static_cast<double>(rng() % 100) / 10000.0);
    line += ",\"user\":\"u" + std::to_string(i % 10) + "\"";
    line += ",\"trace_id\":\"trace-" + std::to_string(i / 4) + "\",\"session_id\":\"session-" + std::to_string(i % 50) + "\"";
    const std::string email = i % 211 == 0 ? " Reply to jane.doe@example.com please." : "";
    if (i % 5 == 0) {
        line += ",\"input\":[{\"role\":\"system\",\"content\":\"You are the support assistant of " + std::string(tenants[(i / 7) % 3]) +
                ".\"},{\"role\":\"user\",\"content\":\"Where is my order " + std::to_string(i) + "?" + email +
                "\"},{\"role\":\"assistant\",\"content\":\"Let me look it up.\",\"tool_calls\":[{\"id\":\"tc1\",\"type\":\"function\","
                "\"function\":{\"name\":\"lookup_order\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"tc1\","
                "\"content\":\"{\\\"status\\\":\\\"shipped\\\"}\"}]";
    } else {
        line += ",\"input\":\"Summarize ticket " + std::to_string(i) + " for the weekly report." + email + "\"";
    }
    if (outcome == "ok" || outcome == "fallback")
        line += ",\"output\":\"Ticket " + std::to_string(i) + " is resolved." +
                (i % 97 == 0 ? std::string(" The zebrafish team confirmed it.") : std::string()) + "\"";
    if (i % 3 == 0 || i % 89 == 0)
        line += ",\"retrieval_hits\":2,\"retrieval_context\":[\"Refund policy: thirty days" +
                (i % 89 == 0 ? std::string(" at the Blue Harbor store") : std::string()) +
                ".\",{\"id\":\"kb-" + std::to_string(i % 40) + "\",\"title\":\"Shipping\",\"text\":\"Orders ship in two days.\"}]";
    if (i % 4 == 0)
        line += i % 8 == 0 ? ",\"action\":{\"type\":\"ticket_updated\",\"ticket\":" + std::to_string(i) + "}"
                           : std::string(",\"action\":\"email_sent\"");
    line += ",\"region\":\"eu-west-1\"}";
    return line;
}

AuditStore build()
{
    static TempDir *dir = new TempDir; // lives as long as the test binary
    AuditStore s;
    s.storePath = dir->path("audit.db");
    const std::string logPath = dir->path("audit.ndjson");
    std::mt19937 rng(20261126);
    std::string log;
    for (int i = 0; i < kAuditCalls; ++i)
        log += callLine(i, rng) + "\n";
    writeFile(logPath, log);
    {
        WriteQueue queue(s.storePath);
        queue.setRedactor(std::make_shared<const Redactor>(RedactionRules{}));
        FileIngestOptions options;
        options.prices = &PriceTable::builtin();
        options.batchRecords = 500; // several batches: several links in the chain
        FileIngester ingester(queue, options);
        std::atomic<bool> cancel{false};
        const IngestSummary summary = ingester.run(logPath, cancel);
        EXPECT_FALSE(summary.storeError.has_value());
        EXPECT_EQ(summary.records, kAuditCalls);
    }
    AuditReader reader(s.storePath);
    AuditFilter all;
    all.window = {0, std::numeric_limits<std::int64_t>::max()};
    reader.forEach(all, AuditSort::TimeAsc, [&s](const AuditRow &row) {
        s.rows.push_back(row);
        const Record &r = row.record;
        if (r.output && r.output->find("zebrafish") != std::string::npos)
            s.zebrafishIds.push_back(r.requestId);
        if (r.retrievalContextJson.find("Blue Harbor") != std::string::npos)
            s.blueHarborIds.push_back(r.requestId);
        if (r.redacted)
            s.redactedIds.push_back(r.requestId);
        return true;
    });
    return s;
}

double costKey(const Record &r)
{
    return r.costUsd.value_or(-1.0);
}

} // namespace

const AuditStore &auditStore()
{
    static const AuditStore store = build();
    return store;
}

void copyAuditStore(const std::string &to)
{
    const std::string from = auditStore().storePath;
    ASSERT_TRUE(QFile::copy(QString::fromStdString(from), QString::fromStdString(to)));
    // Every commit was checkpointed when the writer closed; copy a WAL if one is left.
    if (QFile::exists(QString::fromStdString(from + "-wal"))) {
        ASSERT_TRUE(QFile::copy(QString::fromStdString(from + "-wal"), QString::fromStdString(to + "-wal")));
    }
}

std::vector<std::string> bruteForceIds(const AuditStore &store, const AuditFilter &f, AuditSort sort)
{
    std::vector<const AuditRow *> rows;
    for (const AuditRow &row : store.rows) {
        const Record &r = row.record;
        if (r.tsMs < f.window.fromMs || r.tsMs >= f.window.toMs)
            continue;
        if (!f.labels.matches(Labels{r.tenant, r.model, r.provider, r.promptName, r.promptVersion}))
            continue;
        if ((f.user && r.user != *f.user) || (f.errorType && r.errorType != *f.errorType) ||
            (f.traceId && r.traceId != *f.traceId) || (f.sessionId && r.sessionId != *f.sessionId))
            continue;
        if (!f.outcomes.empty() && !f.outcomes.count(r.outcome))
            continue;
        if (f.latencyAboveMs && !(r.latencyMs > *f.latencyAboveMs))
            continue;
        if (f.costAboveUsd && !(r.costUsd && *r.costUsd > *f.costAboveUsd))
            continue;
        rows.push_back(&row);
    }
    const auto key = [sort](const AuditRow *row) {
        const Record &r = row->record;
        switch (sort) {
        case AuditSort::TimeDesc:
        case AuditSort::TimeAsc: return static_cast<double>(r.tsMs);
        case AuditSort::LatencyDesc:
        case AuditSort::LatencyAsc: return r.latencyMs;
        case AuditSort::CostDesc:
        case AuditSort::CostAsc: return costKey(r);
        }
        return 0.0;
    };
    const bool descending = sort == AuditSort::TimeDesc || sort == AuditSort::LatencyDesc || sort == AuditSort::CostDesc;
    std::sort(rows.begin(), rows.end(), [&](const AuditRow *a, const AuditRow *b) {
        const double ka = key(a), kb = key(b);
        if (ka != kb)
            return descending ? ka > kb : ka < kb;
        return descending ? a->rowId > b->rowId : a->rowId < b->rowId;
    });
    std::vector<std::string> ids;
    for (const AuditRow *row : rows)
        ids.push_back(row->record.requestId);
    return ids;
}

std::vector<std::string> loadedIds(const ui::AuditTableModel &model)
{
    std::vector<std::string> ids;
    for (int i = 0; i < model.rowCount(); ++i)
        ids.push_back(model.rowAt(i)->record.requestId);
    return ids;
}

std::vector<std::string> fetchAllIds(ui::AuditTableModel &model, int timeoutMs)
{
    const bool done = waitFor(
        [&] {
            if (model.isFetching())
                return false;
            if (!model.canFetchMore({}))
                return true;
            model.fetchMore({});
            return false;
        },
        timeoutMs);
    EXPECT_TRUE(done) << "the model did not reach the end";
    EXPECT_TRUE(model.lastError().isEmpty()) << model.lastError().toStdString();
    return loadedIds(model);
}

const AuditRow *storedCall(const AuditStore &store, const std::string &requestId)
{
    for (const AuditRow &row : store.rows) {
        if (row.record.requestId == requestId)
            return &row;
    }
    return nullptr;
}

} // namespace vigil::test
