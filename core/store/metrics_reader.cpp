#include "store/metrics_reader.h"

#include "metrics/percentile.h"
#include "record/timestamp.h"
#include "store/connection.h"
#include "store/retention.h"
#include "store/sqlite_handle.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace vigil {

namespace {

constexpr std::array<std::pair<std::string_view, GroupBy>, 9> kGroupNames = {{
    {"none", GroupBy::None}, {"tenant", GroupBy::Tenant}, {"model", GroupBy::Model},
    {"provider", GroupBy::Provider}, {"prompt", GroupBy::Prompt},
    {"prompt_version", GroupBy::PromptVersion}, {"minute", GroupBy::Minute},
    {"hour", GroupBy::Hour}, {"day", GroupBy::Day},
}};

std::int64_t ceilTo(std::int64_t ms, std::int64_t unit)
{
    const std::int64_t f = floorTo(ms, unit);
    return f == ms ? ms : f + unit;
}

std::int64_t groupUnit(GroupBy g, std::int64_t bucketMs = 0)
{
    switch (g) {
    case GroupBy::Minute: return kMinuteMs;
    case GroupBy::Hour: return kHourMs;
    case GroupBy::Day: return kDayMs;
    case GroupBy::Bucket: return std::max(kMinuteMs, ceilTo(bucketMs, kMinuteMs));
    default: return 0;
    }
}

const char *const kRollupColumns =
    "bucket, label_id, n_ok, n_error, n_timeout, n_fallback, n_refused, n_blocked, input_tokens, "
    "output_tokens, cost_usd, cost_computed_usd, cost_unknown, retrieval_requests, retrieval_hits, "
    "retrieval_empty, latency_sum, latency_max, sketch";

} // namespace

std::optional<GroupBy> groupByFromName(std::string_view name)
{
    for (const auto &[n, g] : kGroupNames) {
        if (n == name)
            return g;
    }
    return std::nullopt;
}

std::string_view groupByName(GroupBy groupBy)
{
    for (const auto &[n, g] : kGroupNames) {
        if (g == groupBy)
            return n;
    }
    return "none";
}

bool isTimeGrouping(GroupBy groupBy)
{
    return groupUnit(groupBy, kMinuteMs) != 0;
}

std::uint64_t MetricsReader::exactLimit()
{
    return 100'000;
}

struct MetricsReader::Impl
{
    std::string path;
    sql::Database db;
    std::vector<std::optional<Labels>> labels; // by id
    std::int64_t labelsLoadedMax = 0;

    explicit Impl(const std::string &p) : path(p), db(openConnection(p, ConnectionRole::Reader)) {}

    void loadLabels()
    {
        sql::Statement s(db, "SELECT id, tenant, model, provider, prompt_name, prompt_version "
                             "FROM labels WHERE id > ?1 ORDER BY id");
        s.bind(1, labelsLoadedMax);
        while (s.step()) {
            const auto id = static_cast<std::size_t>(s.columnInt(0));
            if (labels.size() <= id)
                labels.resize(id + 1);
            labels[id] = Labels{std::string(s.columnText(1)), std::string(s.columnText(2)),
                                std::string(s.columnText(3)), std::string(s.columnText(4)),
                                std::string(s.columnText(5))};
            labelsLoadedMax = std::max<std::int64_t>(labelsLoadedMax, static_cast<std::int64_t>(id));
        }
    }

    const Labels *label(std::int64_t id)
    {
        if (id <= 0)
            return nullptr;
        if (static_cast<std::size_t>(id) >= labels.size() || !labels[static_cast<std::size_t>(id)])
            loadLabels();
        if (static_cast<std::size_t>(id) >= labels.size())
            return nullptr;
        const auto &l = labels[static_cast<std::size_t>(id)];
        return l ? &*l : nullptr;
    }

    // Collects groups for one query.
    struct Grouper
    {
        Impl &impl;
        const MetricsRequest &request;
        std::vector<MetricsGroup> groups;
        std::unordered_map<std::string, std::size_t> byLabelKey;
        std::unordered_map<std::int64_t, std::size_t> byBucket;
        std::unordered_map<std::int64_t, std::optional<std::size_t>> byLabelId; // cache

        // The group a row of `labelId` at `bucketMs` adds to, or null when filtered out.
        MetricsGroup *find(std::int64_t labelId, std::int64_t bucketMs)
        {
            std::optional<std::size_t> labelGroup;
            if (auto it = byLabelId.find(labelId); it != byLabelId.end()) {
                labelGroup = it->second;
            } else {
                const Labels *l = impl.label(labelId);
                if (l && request.filter.matches(*l))
                    labelGroup = groupForLabels(*l);
                byLabelId.emplace(labelId, labelGroup);
            }
            if (!labelGroup)
                return nullptr;
            if (!isTimeGrouping(request.groupBy))
                return &groups[*labelGroup];
            const std::int64_t bucket = floorTo(bucketMs, groupUnit(request.groupBy, request.bucketMs));
            auto [it, inserted] = byBucket.emplace(bucket, groups.size());
            if (inserted) {
                MetricsGroup g;
                g.bucketMs = bucket;
                g.key = formatRfc3339Ms(bucket);
                groups.push_back(std::move(g));
            }
            return &groups[it->second];
        }

        // For time groupings every matching label maps to index 0 (a marker).
        std::size_t groupForLabels(const Labels &l)
        {
            std::string key;
            bool missing = false;
            switch (request.groupBy) {
            case GroupBy::None: return 0; // the one group made up front
            case GroupBy::Tenant: key = l.tenant; break;
            case GroupBy::Model: key = l.model; break;
            case GroupBy::Provider: key = l.provider; missing = key.empty(); break;
            case GroupBy::Prompt: key = l.promptName; missing = key.empty(); break;
            case GroupBy::PromptVersion:
                missing = l.promptName.empty();
                key = missing ? "" : l.promptName + "@" + promptVersionKey(l.promptVersion);
                break;
            default: return 0;
            }
            auto [it, inserted] = byLabelKey.emplace(key, groups.size());
            if (inserted) {
                MetricsGroup g;
                g.key = key;
                g.keyMissing = missing;
                groups.push_back(std::move(g));
            }
            return it->second;
        }
    };

    void addRollups(Grouper &grouper, std::string_view table, std::int64_t from, std::int64_t to,
                    const std::atomic<bool> *cancel)
    {
        if (from >= to)
            return;
        sql::Statement s(db, std::string("SELECT ") + kRollupColumns + " FROM " +
                                 std::string(table) + " WHERE bucket >= ?1 AND bucket < ?2");
        s.bind(1, from).bind(2, to);
        std::uint64_t rows = 0;
        while (s.step()) {
            if (cancel && (++rows & 1023) == 0 && cancel->load())
                return;
            MetricsGroup *g = grouper.find(s.columnInt(1), s.columnInt(0));
            if (!g)
                continue;
            RollupCell &c = g->totals;
            for (int i = 0; i < kOutcomeCount; ++i)
                c.byOutcome[static_cast<std::size_t>(i)] += static_cast<std::uint64_t>(s.columnInt(2 + i));
            c.inputTokens += s.columnInt(8);
            c.outputTokens += s.columnInt(9);
            c.costUsd += s.columnDouble(10);
            c.costComputedUsd += s.columnDouble(11);
            c.costUnknown += static_cast<std::uint64_t>(s.columnInt(12));
            c.retrievalRequests += static_cast<std::uint64_t>(s.columnInt(13));
            c.retrievalHits += static_cast<std::uint64_t>(s.columnInt(14));
            c.retrievalEmpty += static_cast<std::uint64_t>(s.columnInt(15));
            c.latencySum += s.columnDouble(16);
            c.latencyMax = std::max(c.latencyMax, s.columnDouble(17));
            if (!c.sketch.mergeEncoded(s.columnBlob(18)))
                throw sql::Error(SQLITE_CORRUPT, "damaged latency sketch in " + std::string(table));
        }
    }

    void addErrorRollups(Grouper &grouper, std::string_view table, std::int64_t from, std::int64_t to)
    {
        if (from >= to)
            return;
        sql::Statement s(db, "SELECT bucket, label_id, error_type, count FROM " + std::string(table) +
                                 " WHERE bucket >= ?1 AND bucket < ?2");
        s.bind(1, from).bind(2, to);
        while (s.step()) {
            if (MetricsGroup *g = grouper.find(s.columnInt(1), s.columnInt(0)))
                g->errorTypes[std::string(s.columnText(2))] += static_cast<std::uint64_t>(s.columnInt(3));
        }
    }

    // Whether the part [a, b) of a window's edge minute, the part outside
    // the window, holds no records, so that the minute's rollup row is
    // exactly the window's share of it. That is the live case: a window that
    // ends now, in a minute that has only just begun, which would otherwise
    // be read row by row (at 100k records/s, up to six million rows, on every
    // refresh and alert evaluation). Only for minutes younger than the
    // shortest retention (less an hour, for a purge's clock): there rollups
    // and rows agree, while in an older minute a purge may have removed the
    // rows and kept the rollup.
    bool restOfMinuteIsEmpty(std::int64_t a, std::int64_t b)
    {
        if (floorTo(a, kMinuteMs) < currentTimeMs() - kMinPayloadDays * kDayMs + kHourMs)
            return false;
        sql::Statement s(db, "SELECT 1 FROM requests WHERE ts >= ?1 AND ts < ?2 LIMIT 1");
        s.bind(1, a).bind(2, b);
        return !s.step();
    }

    void addRaw(Grouper &grouper, std::int64_t from, std::int64_t to)
    {
        if (from >= to)
            return;
        const MetricsRequest &req = request(grouper);
        // Narrow: the ts index holds every column read, so no row is visited
        // except, for error types, the rows that failed.
        const bool narrow = !req.wantTokensAndRetrieval;
        std::string sql = "SELECT ts, label_id, latency_ms, outcome, cost_usd";
        if (!narrow)
            sql += ", input_tokens, output_tokens, cost_source, retrieval_hits, error_type";
        else if (req.wantErrorTypes)
            sql += ", CASE WHEN outcome != 0 THEN error_type END";
        sql += " FROM requests WHERE ts >= ?1 AND ts < ?2";
        sql::Statement s(db, sql);
        s.bind(1, from).bind(2, to);
        Record r;
        while (s.step()) {
            MetricsGroup *g = grouper.find(s.columnInt(1), s.columnInt(0));
            if (!g)
                continue;
            r.tsMs = s.columnInt(0);
            r.latencyMs = s.columnDouble(2);
            r.outcome = static_cast<Outcome>(std::clamp<std::int64_t>(s.columnInt(3), 0, kOutcomeCount - 1));
            r.costUsd = s.columnOptionalDouble(4);
            if (!narrow) {
                r.inputTokens = s.columnOptionalInt(5);
                r.outputTokens = s.columnOptionalInt(6);
                r.costSource = static_cast<CostSource>(s.columnInt(7));
                r.retrievalHits = s.columnOptionalInt(8);
                r.errorType = std::string(s.columnText(9));
            } else if (req.wantErrorTypes) {
                r.errorType = std::string(s.columnText(5));
            }
            g->totals.add(r);
            if (req.wantErrorTypes && !r.errorType.empty())
                ++g->errorTypes[r.errorType];
        }
    }
    static const MetricsRequest &request(const Grouper &g) { return g.request; }

    // Exact latencies of the whole window, per group, from the covering index.
    bool addExactLatencies(Grouper &grouper, std::vector<std::vector<double>> &values,
                           const std::atomic<bool> *cancel)
    {
        sql::Statement s(db, "SELECT ts, label_id, latency_ms FROM requests "
                             "WHERE ts >= ?1 AND ts < ?2");
        s.bind(1, request(grouper).window.fromMs).bind(2, request(grouper).window.toMs);
        std::uint64_t rows = 0;
        while (s.step()) {
            if (cancel && (++rows & 4095) == 0 && cancel->load())
                return false;
            MetricsGroup *g = grouper.find(s.columnInt(1), s.columnInt(0));
            if (!g)
                continue;
            const auto index = static_cast<std::size_t>(g - grouper.groups.data());
            if (values.size() <= index)
                values.resize(index + 1);
            values[index].push_back(s.columnDouble(2));
        }
        return true;
    }

    MetricsResult query(const MetricsRequest &req, const std::atomic<bool> *cancel)
    {
        MetricsResult result;
        Grouper grouper{*this, req, {}, {}, {}, {}};
        if (req.groupBy == GroupBy::None)
            grouper.groups.push_back(MetricsGroup{});
        const std::int64_t from = req.window.fromMs, to = req.window.toMs;
        // The probes of the window's edges and the rollup rows they vouch for
        // must see the same commits.
        const sql::ReadSnapshot snapshot(db);
        if (from < to) {
            std::int64_t m0 = ceilTo(from, kMinuteMs), m1 = floorTo(to, kMinuteMs);
            if (from < m0 && restOfMinuteIsEmpty(floorTo(from, kMinuteMs), from))
                m0 = floorTo(from, kMinuteMs);
            if (m1 < to && restOfMinuteIsEmpty(to, ceilTo(to, kMinuteMs)))
                m1 = ceilTo(to, kMinuteMs);
            if (m0 >= m1) {
                addRaw(grouper, from, to);
            } else {
                addRaw(grouper, from, m0);
                addRaw(grouper, m1, to);
                // Hour rows only help when a group never splits an hour.
                const bool useHours = !isTimeGrouping(req.groupBy) ||
                                      groupUnit(req.groupBy, req.bucketMs) % kHourMs == 0;
                const std::int64_t h0 = ceilTo(m0, kHourMs), h1 = floorTo(m1, kHourMs);
                if (useHours && h0 < h1) {
                    addRollups(grouper, "rollup_minute", m0, h0, cancel);
                    addRollups(grouper, "rollup_hour", h0, h1, cancel);
                    addRollups(grouper, "rollup_minute", h1, m1, cancel);
                    if (req.wantErrorTypes) {
                        addErrorRollups(grouper, "rollup_error_minute", m0, h0);
                        addErrorRollups(grouper, "rollup_error_hour", h0, h1);
                        addErrorRollups(grouper, "rollup_error_minute", h1, m1);
                    }
                } else {
                    addRollups(grouper, "rollup_minute", m0, m1, cancel);
                    if (req.wantErrorTypes)
                        addErrorRollups(grouper, "rollup_error_minute", m0, m1);
                }
            }
        }
        if (cancel && cancel->load()) {
            result.cancelled = true;
            return result;
        }

        std::uint64_t total = 0;
        for (const auto &g : grouper.groups)
            total += g.totals.requests();
        const bool exact = req.latencyMode == LatencyMode::Exact ||
                           (req.latencyMode == LatencyMode::Auto && total <= exactLimit());
        std::vector<std::vector<double>> exactValues;
        if (exact && total > 0 && !addExactLatencies(grouper, exactValues, cancel)) {
            result.cancelled = true;
            return result;
        }
        exactValues.resize(grouper.groups.size());
        for (std::size_t i = 0; i < grouper.groups.size(); ++i) {
            MetricsGroup &g = grouper.groups[i];
            LatencySummary &l = g.latency;
            l.count = g.totals.requests();
            l.exact = exact;
            if (l.count == 0)
                continue;
            l.mean = g.totals.latencySum / static_cast<double>(l.count);
            if (exact) {
                const auto ps = nearestRankPercentiles(exactValues[i], {50, 95, 99, 100});
                l.p50 = ps[0];
                l.p95 = ps[1];
                l.p99 = ps[2];
                l.max = ps[3];
            } else {
                l.p50 = g.totals.sketch.quantile(0.50);
                l.p95 = g.totals.sketch.quantile(0.95);
                l.p99 = g.totals.sketch.quantile(0.99);
                l.max = g.totals.latencyMax;
            }
        }
        std::sort(grouper.groups.begin(), grouper.groups.end(),
                  [&](const MetricsGroup &a, const MetricsGroup &b) {
                      if (isTimeGrouping(req.groupBy))
                          return a.bucketMs < b.bucketMs;
                      return a.key < b.key;
                  });
        result.groups = std::move(grouper.groups);
        return result;
    }
};

MetricsReader::MetricsReader(const std::string &storePath)
    : m_impl(std::make_unique<Impl>(storePath))
{
}

MetricsReader::~MetricsReader() = default;

MetricsResult MetricsReader::query(const MetricsRequest &request, const std::atomic<bool> *cancel)
{
    try {
        return m_impl->query(request, cancel);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<Labels> MetricsReader::labels()
{
    try {
        m_impl->loadLabels();
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
    std::vector<Labels> out;
    for (const auto &l : m_impl->labels) {
        if (l)
            out.push_back(*l);
    }
    return out;
}

std::int64_t MetricsReader::totalRequests()
{
    try {
        return m_impl->db.queryInt("SELECT count(*) FROM requests");
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::optional<std::int64_t> MetricsReader::lastCommitMs()
{
    try {
        sql::Statement s(m_impl->db, "SELECT committed_at FROM batches WHERE records > 0 ORDER BY id DESC LIMIT 1");
        if (s.step() && !s.isNull(0))
            return s.columnInt(0);
        return std::nullopt;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::optional<std::int64_t> MetricsReader::latestRecordMs()
{
    try {
        sql::Statement s(m_impl->db, "SELECT max(ts) FROM requests");
        if (s.step() && !s.isNull(0))
            return s.columnInt(0);
        return std::nullopt;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
