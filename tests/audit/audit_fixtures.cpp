#include "audit_fixtures.h"

#include "audit/redaction.h"
#include "record/price_table.h"
#include "record/record_parser.h"
#include "record/timestamp.h"
#include "store/write_queue.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

namespace vigil::test {

namespace {
const std::vector<std::string> kDefaultWords = {
    "invoice", "refund", "shipment", "delayed", "password", "reset", "billing", "upgrade", "ticket",
    "urgent", "policy", "clause", "contract", "renewal", "payment", "failed", "network", "latency",
    "answer", "question", "context", "release", "version", "manager", "weekly", "dashboard"};

const std::vector<std::string> kModels = {"gpt-4o-mini", "gpt-4o-2024-08-06", "claude-3-5-haiku-20241022",
                                          "in-house-model-7b"};
const std::vector<std::string> kProviders = {"openai", "anthropic", "vllm"};
const std::vector<std::string> kErrorTypes = {"rate_limit", "timeout", "http_5xx", "content_filter"};
const char *const kOutcomes[] = {"ok", "error", "timeout", "fallback", "refused", "blocked"};
} // namespace

int uniformInt(Rng &rng, int lo, int hi)
{
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string toLine(const QJsonObject &record)
{
    return QJsonDocument(record).toJson(QJsonDocument::Compact).toStdString();
}

WriteBatch batchFromLines(const std::vector<std::string> &lines, const std::string &source)
{
    RecordParser parser(&PriceTable::builtin());
    WriteBatch batch;
    batch.source = source;
    std::int64_t lineNo = 0;
    for (const std::string &line : lines) {
        ++lineNo;
        Record record;
        ParseError error;
        if (parser.parseText(line, record, error)) {
            batch.records.push_back(std::move(record));
        } else {
            QuarantineEntry q;
            q.source = source;
            q.line = lineNo;
            q.error = error;
            q.rawPrefix = line.substr(0, QuarantineEntry::kRawPrefixLimit);
            q.rawSize = static_cast<std::int64_t>(line.size());
            batch.quarantined.push_back(std::move(q));
        }
    }
    return batch;
}

std::vector<BatchResult> commitBatches(const std::string &storePath,
                                       const std::vector<std::vector<std::string>> &batches,
                                       std::shared_ptr<const Redactor> redactor)
{
    std::vector<BatchResult> results;
    WriteQueue queue(storePath);
    queue.setRedactor(std::move(redactor));
    for (const auto &lines : batches) {
        const BatchOutcome outcome = commitNow(queue, batchFromLines(lines));
        if (!outcome.ok()) {
            ADD_FAILURE() << "commit failed: " << outcome.error->what();
            break;
        }
        results.push_back(*outcome.result);
    }
    return results;
}

sql::Database openRaw(const std::string &storePath)
{
    sql::Database db(storePath, SQLITE_OPEN_READWRITE);
    sqlite3_busy_timeout(db.handle(), 30000);
    return db;
}

std::string randomText(Rng &rng, const RecordShape &shape)
{
    const auto &words = shape.words.empty() ? kDefaultWords : shape.words;
    const int n = uniformInt(rng, shape.minWords, shape.maxWords);
    std::string out;
    for (int i = 0; i < n; ++i) {
        if (i)
            out += ' ';
        out += words[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(words.size()) - 1))];
    }
    return out;
}

QJsonObject randomRecord(Rng &rng, const std::string &requestId, const RecordShape &shape)
{
    auto pick = [&rng](const auto &list) {
        return list[static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(std::size(list)) - 1))];
    };
    auto q = [](const std::string &s) { return QString::fromStdString(s); };
    auto chance = [&rng](int percent) { return uniformInt(rng, 0, 99) < percent; };

    QJsonObject o;
    const std::int64_t ts = std::uniform_int_distribution<std::int64_t>(shape.fromMs, shape.toMs - 1)(rng);
    // Both timestamp forms of the spec.
    if (chance(50))
        o.insert(QStringLiteral("ts"), static_cast<qint64>(ts));
    else
        o.insert(QStringLiteral("ts"), q(formatRfc3339Ms(ts)));
    o.insert(QStringLiteral("request_id"), q(requestId));
    o.insert(QStringLiteral("tenant"), q(pick(shape.tenants)));
    o.insert(QStringLiteral("model"), q(pick(kModels)));
    if (chance(80))
        o.insert(QStringLiteral("provider"), q(pick(kProviders)));
    if (chance(70)) {
        o.insert(QStringLiteral("prompt_name"), chance(50) ? QStringLiteral("summarize") : QStringLiteral("answer"));
        o.insert(QStringLiteral("prompt_version"), chance(50) ? QStringLiteral("3f9c2ab") : QStringLiteral("v2"));
    }
    o.insert(QStringLiteral("latency_ms"), std::uniform_int_distribution<int>(1, 400000)(rng) / 10.0);
    const std::string outcome = chance(70) ? "ok" : pick(kOutcomes);
    o.insert(QStringLiteral("outcome"), q(outcome));
    if (outcome != "ok" || chance(3))
        o.insert(QStringLiteral("error_type"), q(pick(kErrorTypes)));
    if (chance(85)) {
        o.insert(QStringLiteral("input_tokens"), uniformInt(rng, 0, 5000));
        o.insert(QStringLiteral("output_tokens"), uniformInt(rng, 0, 2000));
    }
    if (chance(50))
        o.insert(QStringLiteral("cost_usd"), uniformInt(rng, 0, 200000) / 1e6);
    if (chance(40))
        o.insert(QStringLiteral("retrieval_hits"), uniformInt(rng, 0, 8));
    if (chance(80))
        o.insert(QStringLiteral("user"), QStringLiteral("u%1").arg(uniformInt(rng, 1, 30)));
    if (chance(70))
        o.insert(QStringLiteral("trace_id"), QStringLiteral("tr%1").arg(uniformInt(rng, 1, 40)));
    if (chance(70))
        o.insert(QStringLiteral("session_id"), QStringLiteral("s%1").arg(uniformInt(rng, 1, 25)));
    if (chance(90)) {
        if (chance(50)) {
            o.insert(QStringLiteral("input"), q(randomText(rng, shape)));
        } else {
            QJsonArray messages;
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                        {QStringLiteral("content"), q(randomText(rng, shape))}});
            messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), q(randomText(rng, shape))}});
            o.insert(QStringLiteral("input"), messages);
        }
    }
    if (chance(85))
        o.insert(QStringLiteral("output"), chance(5) ? QString() : q(randomText(rng, shape)));
    if (chance(40)) {
        QJsonArray docs;
        docs.append(q(randomText(rng, shape)));
        docs.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("kb-%1").arg(uniformInt(rng, 1, 99))},
                                {QStringLiteral("text"), q(randomText(rng, shape))}});
        o.insert(QStringLiteral("retrieval_context"), docs);
    }
    if (chance(30)) {
        if (chance(50))
            o.insert(QStringLiteral("action"), QStringLiteral("email_sent"));
        else
            o.insert(QStringLiteral("action"), QJsonObject{{QStringLiteral("type"), QStringLiteral("ticket_updated")},
                                                           {QStringLiteral("ticket"), uniformInt(rng, 1, 99999)}});
    }
    if (chance(40))
        o.insert(QStringLiteral("region"), chance(50) ? QStringLiteral("eu-west-1") : QStringLiteral("us-east-1"));
    return o;
}

QStringList wideWindow()
{
    return {QStringLiteral("--from"), QStringLiteral("2000-01-01T00:00:00Z"), QStringLiteral("--to"),
            QStringLiteral("2100-01-01T00:00:00Z")};
}

} // namespace vigil::test
