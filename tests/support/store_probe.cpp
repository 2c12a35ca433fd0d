#include "store_probe.h"

#include "metrics/latency_sketch.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace vigil::test {

namespace {

// The additive figures one rollup row holds, computed either way.
struct Figures
{
    std::int64_t byOutcome[6] = {};
    std::int64_t inputTokens = 0;
    std::int64_t outputTokens = 0;
    double cost = 0;
    double costComputed = 0;
    std::int64_t costUnknown = 0;
    std::int64_t retrievalRequests = 0;
    std::int64_t retrievalHits = 0;
    std::int64_t retrievalEmpty = 0;
    double latencySum = 0;
    double latencyMax = 0;
    std::int64_t sketchCount = -1; // rollup rows only
};

bool close(double a, double b)
{
    return std::fabs(a - b) <= 1e-9 * std::max({std::fabs(a), std::fabs(b), 1e-3});
}

std::string describe(const std::string &table, std::int64_t bucket, std::int64_t label,
                     const std::string &what)
{
    return table + " bucket " + std::to_string(bucket) + " label " + std::to_string(label) + ": " +
           what;
}

void compare(const std::string &table, std::int64_t bucket, std::int64_t label, const Figures &raw,
             const Figures &rollup, std::vector<std::string> &problems)
{
    auto check = [&](bool ok, const std::string &what, const std::string &rawValue,
                     const std::string &rollupValue) {
        if (!ok)
            problems.push_back(describe(table, bucket, label,
                                        what + " is " + rollupValue + ", the rows say " + rawValue));
    };
    std::int64_t rawCount = 0;
    for (int i = 0; i < 6; ++i) {
        rawCount += raw.byOutcome[i];
        check(raw.byOutcome[i] == rollup.byOutcome[i], "outcome " + std::to_string(i) + " count",
              std::to_string(raw.byOutcome[i]), std::to_string(rollup.byOutcome[i]));
    }
    check(raw.inputTokens == rollup.inputTokens, "input_tokens", std::to_string(raw.inputTokens),
          std::to_string(rollup.inputTokens));
    check(raw.outputTokens == rollup.outputTokens, "output_tokens", std::to_string(raw.outputTokens),
          std::to_string(rollup.outputTokens));
    check(close(raw.cost, rollup.cost), "cost_usd", std::to_string(raw.cost), std::to_string(rollup.cost));
    check(close(raw.costComputed, rollup.costComputed), "cost_computed_usd",
          std::to_string(raw.costComputed), std::to_string(rollup.costComputed));
    check(raw.costUnknown == rollup.costUnknown, "cost_unknown", std::to_string(raw.costUnknown),
          std::to_string(rollup.costUnknown));
    check(raw.retrievalRequests == rollup.retrievalRequests, "retrieval_requests",
          std::to_string(raw.retrievalRequests), std::to_string(rollup.retrievalRequests));
    check(raw.retrievalHits == rollup.retrievalHits, "retrieval_hits",
          std::to_string(raw.retrievalHits), std::to_string(rollup.retrievalHits));
    check(raw.retrievalEmpty == rollup.retrievalEmpty, "retrieval_empty",
          std::to_string(raw.retrievalEmpty), std::to_string(rollup.retrievalEmpty));
    check(close(raw.latencySum, rollup.latencySum), "latency_sum", std::to_string(raw.latencySum),
          std::to_string(rollup.latencySum));
    check(raw.latencyMax == rollup.latencyMax, "latency_max", std::to_string(raw.latencyMax),
          std::to_string(rollup.latencyMax));
    check(rollup.sketchCount == rawCount, "the sketch's count", std::to_string(rawCount),
          std::to_string(rollup.sketchCount));
}

void compareRollupTable(sql::Database &db, const std::string &table, std::int64_t unit,
                        std::vector<std::string> &problems)
{
    using Key = std::pair<std::int64_t, std::int64_t>;
    std::map<Key, Figures> raw, rollup;
    const std::string u = std::to_string(unit);
    sql::Statement rows(db, "SELECT ts - ((ts % " + u + ") + " + u + ") % " + u +
                                ", label_id, outcome, input_tokens, output_tokens, cost_usd, "
                                "cost_source, retrieval_hits, latency_ms FROM requests");
    while (rows.step()) {
        Figures &f = raw[{rows.columnInt(0), rows.columnInt(1)}];
        const auto outcome = rows.columnInt(2);
        if (outcome < 0 || outcome >= 6) {
            problems.push_back("requests row with outcome " + std::to_string(outcome));
            continue;
        }
        ++f.byOutcome[outcome];
        f.inputTokens += rows.columnOptionalInt(3).value_or(0);
        f.outputTokens += rows.columnOptionalInt(4).value_or(0);
        if (const auto cost = rows.columnOptionalDouble(5)) {
            f.cost += *cost;
            if (rows.columnInt(6) == 2)
                f.costComputed += *cost;
        } else {
            ++f.costUnknown;
        }
        if (const auto hits = rows.columnOptionalInt(7)) {
            ++f.retrievalRequests;
            f.retrievalHits += *hits;
            f.retrievalEmpty += *hits == 0;
        }
        const double latency = rows.columnDouble(8);
        f.latencySum += latency;
        f.latencyMax = std::max(f.latencyMax, latency);
    }
    sql::Statement sums(db, "SELECT bucket, label_id, n_ok, n_error, n_timeout, n_fallback, "
                            "n_refused, n_blocked, input_tokens, output_tokens, cost_usd, "
                            "cost_computed_usd, cost_unknown, retrieval_requests, retrieval_hits, "
                            "retrieval_empty, latency_sum, latency_max, sketch FROM " + table);
    while (sums.step()) {
        Figures &f = rollup[{sums.columnInt(0), sums.columnInt(1)}];
        for (int i = 0; i < 6; ++i)
            f.byOutcome[i] = sums.columnInt(2 + i);
        f.inputTokens = sums.columnInt(8);
        f.outputTokens = sums.columnInt(9);
        f.cost = sums.columnDouble(10);
        f.costComputed = sums.columnDouble(11);
        f.costUnknown = sums.columnInt(12);
        f.retrievalRequests = sums.columnInt(13);
        f.retrievalHits = sums.columnInt(14);
        f.retrievalEmpty = sums.columnInt(15);
        f.latencySum = sums.columnDouble(16);
        f.latencyMax = sums.columnDouble(17);
        const auto sketch = LatencySketch::decode(sums.columnBlob(18));
        f.sketchCount = sketch ? static_cast<std::int64_t>(sketch->count()) : -2;
        if (!sketch)
            problems.push_back(describe(table, sums.columnInt(0), sums.columnInt(1), "damaged sketch"));
    }
    for (const auto &[key, figures] : raw) {
        const auto it = rollup.find(key);
        if (it == rollup.end()) {
            problems.push_back(describe(table, key.first, key.second, "no rollup row for stored requests"));
            continue;
        }
        compare(table, key.first, key.second, figures, it->second, problems);
    }
    for (const auto &[key, figures] : rollup) {
        if (!raw.contains(key))
            problems.push_back(describe(table, key.first, key.second, "rollup row without requests"));
    }
}

void compareErrorTable(sql::Database &db, const std::string &table, std::int64_t unit,
                       std::vector<std::string> &problems)
{
    using Key = std::tuple<std::int64_t, std::int64_t, std::string>;
    std::map<Key, std::int64_t> raw, rollup;
    const std::string u = std::to_string(unit);
    sql::Statement rows(db, "SELECT ts - ((ts % " + u + ") + " + u + ") % " + u +
                                ", label_id, error_type, count(*) FROM requests "
                                "WHERE error_type IS NOT NULL AND error_type <> '' GROUP BY 1, 2, 3");
    while (rows.step())
        raw[{rows.columnInt(0), rows.columnInt(1), std::string(rows.columnText(2))}] = rows.columnInt(3);
    sql::Statement sums(db, "SELECT bucket, label_id, error_type, count FROM " + table);
    while (sums.step())
        rollup[{sums.columnInt(0), sums.columnInt(1), std::string(sums.columnText(2))}] = sums.columnInt(3);
    if (raw != rollup) {
        for (const auto &[key, count] : raw) {
            const auto it = rollup.find(key);
            const std::int64_t got = it == rollup.end() ? 0 : it->second;
            if (got != count)
                problems.push_back(describe(table, std::get<0>(key), std::get<1>(key),
                                            std::get<2>(key) + " count is " + std::to_string(got) +
                                                ", the rows say " + std::to_string(count)));
        }
        for (const auto &[key, count] : rollup) {
            if (!raw.contains(key))
                problems.push_back(describe(table, std::get<0>(key), std::get<1>(key),
                                            std::get<2>(key) + " counted " + std::to_string(count) +
                                                " without such rows"));
        }
    }
}

} // namespace

StoreProbe::StoreProbe(const std::string &path)
    : m_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX)
{
    sqlite3_busy_timeout(m_db.handle(), 30000);
}

std::int64_t StoreProbe::requestCount()
{
    return m_db.queryInt("SELECT count(*) FROM requests");
}

std::vector<std::string> StoreProbe::requestIds()
{
    std::vector<std::string> ids;
    sql::Statement s(m_db, "SELECT request_id FROM requests ORDER BY id");
    while (s.step())
        ids.emplace_back(s.columnText(0));
    return ids;
}

std::vector<ProbedQuarantine> StoreProbe::quarantine()
{
    std::vector<ProbedQuarantine> out;
    sql::Statement s(m_db, "SELECT source, line, byte_offset, reason, detail, raw, raw_size "
                           "FROM quarantine ORDER BY id");
    while (s.step()) {
        ProbedQuarantine q;
        q.source = std::string(s.columnText(0));
        q.line = s.columnOptionalInt(1);
        q.byteOffset = s.columnOptionalInt(2);
        q.reason = std::string(s.columnText(3));
        q.detail = std::string(s.columnText(4));
        q.raw = std::string(s.columnBlob(5));
        q.rawSize = s.columnInt(6);
        out.push_back(std::move(q));
    }
    return out;
}

std::vector<ProbedSource> StoreProbe::sources()
{
    std::vector<ProbedSource> out;
    sql::Statement s(m_db, "SELECT path, offset, line FROM sources ORDER BY id");
    while (s.step())
        out.push_back({std::string(s.columnText(0)), s.columnInt(1), s.columnInt(2)});
    return out;
}

std::int64_t StoreProbe::userVersion()
{
    return m_db.queryInt("PRAGMA user_version");
}

std::int64_t StoreProbe::applicationId()
{
    return m_db.queryInt("PRAGMA application_id");
}

std::string StoreProbe::integrityCheck()
{
    sql::Statement s(m_db, "PRAGMA integrity_check");
    std::string result;
    while (s.step()) {
        if (!result.empty())
            result += "; ";
        result += s.columnText(0);
    }
    return result;
}

std::vector<std::string> StoreProbe::schema()
{
    std::vector<std::string> out;
    sql::Statement s(m_db, "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
                           "ORDER BY type, name");
    while (s.step())
        out.emplace_back(s.columnText(0));
    return out;
}

std::vector<std::string> StoreProbe::rollupMismatches()
{
    std::vector<std::string> problems;
    compareRollupTable(m_db, "rollup_minute", 60'000, problems);
    compareRollupTable(m_db, "rollup_hour", 3'600'000, problems);
    compareErrorTable(m_db, "rollup_error_minute", 60'000, problems);
    compareErrorTable(m_db, "rollup_error_hour", 3'600'000, problems);
    return problems;
}

std::string describeProblems(const std::vector<std::string> &problems, std::size_t shown)
{
    std::string text = std::to_string(problems.size()) + " problem(s)";
    for (std::size_t i = 0; i < problems.size() && i < shown; ++i)
        text += "\n  " + problems[i];
    return text;
}

} // namespace vigil::test
