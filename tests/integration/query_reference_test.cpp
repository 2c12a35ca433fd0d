// `vigilctl query latency|spend|errors --json` against a brute-force
// reference computed from the log's lines in the test: many random windows
// (sub-minute edges, --from/--to and --since/--now), filters and groupings.
// Counts and token sums must be equal, costs within 1e-9 relative, exact
// percentiles equal to nearest rank, sketch percentiles within 1%.
#include "integration_helpers.h"
#include "reference_log.h"

#include "record/price_table.h"
#include "store/metrics_reader.h"

#include <QDateTime>
#include <QJsonArray>
#include <QTimeZone>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

using namespace vigil::test;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::uint64_t kExactLimit = 100'000; // MetricsReader::exactLimit(), as documented
const char *const kNow = "2026-03-10T05:17:23.456Z";
constexpr std::int64_t kNowMs = 1773119843456;

std::int64_t floorTo(std::int64_t ms, std::int64_t unit)
{
    const std::int64_t r = ms % unit;
    return r < 0 ? ms - r - unit : ms - r;
}

std::string rfc3339(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"))
        .toStdString();
}

bool isHexSha(const std::string &s)
{
    return s.size() >= 7 && s.size() <= 64 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string lower(std::string s)
{
    for (char &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// --prompt NAME@VERSION: equal, or the same commit written short and long.
bool versionMatches(const std::string &wanted, const std::string &stored)
{
    if (wanted == stored)
        return true;
    if (!isHexSha(wanted) || !isHexSha(stored))
        return false;
    const std::size_t n = std::min(wanted.size(), stored.size());
    return lower(wanted.substr(0, n)) == lower(stored.substr(0, n));
}

struct Filter
{
    std::optional<std::string> tenant, model, provider, promptName, promptVersion;

    bool matches(const ReferenceRecord &r) const
    {
        return (!tenant || *tenant == r.tenant) && (!model || *model == r.model) &&
               (!provider || *provider == r.provider) && (!promptName || *promptName == r.promptName) &&
               (!promptVersion || versionMatches(*promptVersion, r.promptVersion));
    }
};

enum class Kind { Latency, Spend, Errors };

struct Query
{
    Kind kind = Kind::Latency;
    std::int64_t fromMs = 0, toMs = 0;
    QStringList windowArgs;
    Filter filter;
    QStringList filterArgs;
    std::string by; // empty: ungrouped
    bool exact = false;

    QStringList args(const std::string &db) const
    {
        QStringList a{QStringLiteral("query"),
                      kind == Kind::Latency ? QStringLiteral("latency")
                      : kind == Kind::Spend ? QStringLiteral("spend")
                                            : QStringLiteral("errors"),
                      QStringLiteral("--db"), q(db), QStringLiteral("--json")};
        a += windowArgs;
        a += filterArgs;
        if (!by.empty())
            a << QStringLiteral("--by") << q(by);
        if (exact)
            a << QStringLiteral("--exact");
        return a;
    }
};

// The figures of one group, from the lines.
struct Expected
{
    std::vector<double> latencies;
    double latencySum = 0;
    std::int64_t inputTokens = 0, outputTokens = 0, withoutCost = 0;
    double cost = 0, costComputed = 0;
    std::map<std::string, std::int64_t> byOutcome;
    std::map<std::string, std::int64_t> byErrorType;

    void add(const ReferenceRecord &r)
    {
        latencies.push_back(r.latencyMs);
        latencySum += r.latencyMs;
        inputTokens += r.inputTokens.value_or(0);
        outputTokens += r.outputTokens.value_or(0);
        if (r.costUsd) {
            cost += *r.costUsd;
            if (r.costComputed)
                costComputed += *r.costUsd;
        } else {
            ++withoutCost;
        }
        ++byOutcome[r.outcome];
        if (!r.errorType.empty())
            ++byErrorType[r.errorType];
    }
    std::int64_t count() const { return static_cast<std::int64_t>(latencies.size()); }
};

// Group key as vigilctl prints it; nullopt for "not reported".
std::optional<std::string> groupKey(const std::string &by, const ReferenceRecord &r)
{
    auto orNull = [](const std::string &s) { return s.empty() ? std::nullopt : std::optional(s); };
    if (by == "tenant")
        return r.tenant;
    if (by == "model")
        return r.model;
    if (by == "provider")
        return orNull(r.provider);
    if (by == "prompt")
        return orNull(r.promptName);
    if (by == "prompt_version") {
        if (r.promptName.empty())
            return std::nullopt;
        // One commit is one version whether reported short or long.
        const std::string version = isHexSha(r.promptVersion) ? lower(r.promptVersion.substr(0, 7)) : r.promptVersion;
        return r.promptName + "@" + version;
    }
    const std::int64_t unit = by == "minute" ? kMinute : by == "hour" ? kHour : kDay;
    return rfc3339(floorTo(r.tsMs, unit));
}

bool closeRelative(double got, double want, double relative)
{
    return std::fabs(got - want) <= relative * std::fabs(want) + 1e-12;
}

// Nearest rank: the value at rank ceil(p/100 * N), computed in integers.
double nearestRank(const std::vector<double> &sorted, int p)
{
    const std::size_t n = sorted.size();
    std::size_t rank = (static_cast<std::size_t>(p) * n + 99) / 100;
    rank = std::max<std::size_t>(rank, 1);
    return sorted[rank - 1];
}

struct CheckResult
{
    std::size_t groups = 0;
    bool sketch = false; // latency answered from the sketches
};

class Checker
{
public:
    explicit Checker(std::vector<ReferenceRecord> records) : m_records(std::move(records))
    {
        std::sort(m_records.begin(), m_records.end(),
                  [](const ReferenceRecord &a, const ReferenceRecord &b) { return a.tsMs < b.tsMs; });
    }

    const std::vector<ReferenceRecord> &records() const { return m_records; }

    // Runs the query and compares every figure.
    CheckResult check(const Query &query, const std::string &db)
    {
        const QStringList args = query.args(db);
        SCOPED_TRACE("vigilctl " + args.join(QLatin1Char(' ')).toStdString());
        const ProcessResult r = runVigilctl(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        if (r.exitCode != 0)
            return {};
        const QJsonObject doc = parseJsonObject(r.out);

        // The reference: matching records in [from, to), grouped.
        std::map<std::optional<std::string>, Expected> groups;
        std::map<std::optional<std::string>, std::int64_t> bucketOf;
        std::uint64_t total = 0;
        const auto begin = std::lower_bound(m_records.begin(), m_records.end(), query.fromMs,
                                            [](const ReferenceRecord &rec, std::int64_t t) { return rec.tsMs < t; });
        for (auto it = begin; it != m_records.end() && it->tsMs < query.toMs; ++it) {
            if (!query.filter.matches(*it))
                continue;
            ++total;
            if (query.by.empty()) {
                groups[std::string()].add(*it);
            } else {
                const auto key = groupKey(query.by, *it);
                groups[key].add(*it);
            }
        }
        const bool exact = query.exact || total <= kExactLimit;
        const bool sketch = query.kind == Kind::Latency && !exact;
        EXPECT_EQ(doc.value(QStringLiteral("from")).toString().toStdString(), rfc3339(query.fromMs));
        EXPECT_EQ(doc.value(QStringLiteral("to")).toString().toStdString(), rfc3339(query.toMs));

        if (query.by.empty()) {
            Expected none;
            compare(query.kind, doc, groups.empty() ? none : groups.begin()->second, exact);
            return {1, sketch};
        }
        EXPECT_EQ(doc.value(QStringLiteral("by")).toString().toStdString(), query.by);
        const QJsonArray got = doc.value(QStringLiteral("groups")).toArray();
        EXPECT_EQ(static_cast<std::size_t>(got.size()), groups.size());
        std::vector<std::string> order;
        for (const auto &value : got) {
            const QJsonObject g = value.toObject();
            const QJsonValue keyValue = g.value(QStringLiteral("key"));
            const std::optional<std::string> key =
                keyValue.isNull() ? std::nullopt : std::optional(keyValue.toString().toStdString());
            order.push_back(key.value_or(""));
            const auto it = groups.find(key);
            if (it == groups.end()) {
                ADD_FAILURE() << "unexpected group " << key.value_or("(null)");
                continue;
            }
            SCOPED_TRACE("group " + key.value_or("(null)"));
            compare(query.kind, g, it->second, exact);
        }
        // Label groups by key (the missing one first), time groups by time:
        // for the RFC 3339 keys both are the text order.
        EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
        return {groups.size(), sketch};
    }

private:
    static void compare(Kind kind, const QJsonObject &got, Expected want, bool exact)
    {
        switch (kind) {
        case Kind::Latency: {
            EXPECT_EQ(got.value(QStringLiteral("count")).toInteger(), want.count());
            EXPECT_EQ(got.value(QStringLiteral("exact")).toBool(), exact);
            if (want.count() == 0) {
                for (const char *k : {"p50", "p95", "p99", "max", "mean"})
                    EXPECT_TRUE(got.value(QLatin1String(k)).isNull()) << k;
                return;
            }
            std::sort(want.latencies.begin(), want.latencies.end());
            EXPECT_EQ(got.value(QStringLiteral("max")).toDouble(), want.latencies.back());
            EXPECT_TRUE(closeRelative(got.value(QStringLiteral("mean")).toDouble(),
                                      want.latencySum / static_cast<double>(want.count()), 1e-9));
            for (int p : {50, 95, 99}) {
                const double value = got.value(QStringLiteral("p%1").arg(p)).toDouble();
                const double reference = nearestRank(want.latencies, p);
                if (exact)
                    EXPECT_EQ(value, reference) << "p" << p;
                else
                    EXPECT_TRUE(closeRelative(value, reference, 0.01))
                        << "p" << p << ": sketch " << value << ", exact " << reference;
            }
            return;
        }
        case Kind::Spend:
            EXPECT_EQ(got.value(QStringLiteral("requests")).toInteger(), want.count());
            EXPECT_EQ(got.value(QStringLiteral("input_tokens")).toInteger(), want.inputTokens);
            EXPECT_EQ(got.value(QStringLiteral("output_tokens")).toInteger(), want.outputTokens);
            EXPECT_EQ(got.value(QStringLiteral("requests_without_cost")).toInteger(), want.withoutCost);
            EXPECT_TRUE(closeRelative(got.value(QStringLiteral("cost_usd")).toDouble(), want.cost, 1e-9))
                << got.value(QStringLiteral("cost_usd")).toDouble() << " vs " << want.cost;
            EXPECT_TRUE(closeRelative(got.value(QStringLiteral("cost_usd_computed")).toDouble(), want.costComputed, 1e-9))
                << got.value(QStringLiteral("cost_usd_computed")).toDouble() << " vs " << want.costComputed;
            return;
        case Kind::Errors: {
            EXPECT_EQ(got.value(QStringLiteral("requests")).toInteger(), want.count());
            const QJsonObject byOutcome = got.value(QStringLiteral("by_outcome")).toObject();
            EXPECT_EQ(byOutcome.size(), 6);
            for (const char *o : {"ok", "error", "timeout", "fallback", "refused", "blocked"})
                EXPECT_EQ(byOutcome.value(QLatin1String(o)).toInteger(-1), want.byOutcome[o]) << o;
            std::map<std::string, std::int64_t> byType;
            const QJsonObject types = got.value(QStringLiteral("by_error_type")).toObject();
            for (auto it = types.begin(); it != types.end(); ++it)
                byType[it.key().toStdString()] = it.value().toInteger();
            EXPECT_EQ(byType, want.byErrorType);
            if (want.count() == 0) {
                EXPECT_TRUE(got.value(QStringLiteral("error_rate")).isNull());
            } else {
                const double rate = static_cast<double>(want.count() - want.byOutcome["ok"]) /
                                    static_cast<double>(want.count());
                EXPECT_TRUE(closeRelative(got.value(QStringLiteral("error_rate")).toDouble(), rate, 1e-12));
            }
            return;
        }
        }
    }

    std::vector<ReferenceRecord> m_records;
};

// Hand-written lines for what the generator never writes: labels not
// reported, a prompt label version, an upper-case SHA, an unpriced model,
// zero latency, an offset timestamp, a repeated id, and records on and next
// to minute, hour and day boundaries.
std::string extraLines(std::int64_t boundary)
{
    std::string text;
    auto line = [&](const std::string &id, std::int64_t ts, const std::string &rest) {
        text += "{\"ts\":" + std::to_string(ts) + ",\"request_id\":\"" + id + "\"," + rest + "}\n";
    };
    const std::string base = "\"tenant\":\"acme\",\"model\":\"gpt-4o-mini\",\"outcome\":\"ok\",\"input_tokens\":100,\"output_tokens\":10";
    int n = 0;
    for (std::int64_t at : {boundary - kDay, boundary - kHour, boundary - kMinute, boundary}) {
        for (std::int64_t delta : {-1, 0, 1, 59'999, 60'000}) {
            const std::string id = "edge-" + std::to_string(n++);
            line(id, at + delta, base + ",\"provider\":\"openai\",\"latency_ms\":" + std::to_string(1000 + n * 7));
        }
    }
    line("no-provider", boundary - 30 * kMinute, "\"tenant\":\"zeta\",\"model\":\"gpt-4o\",\"latency_ms\":250,\"outcome\":\"error\",\"error_type\":\"http_5xx\"");
    line("label-version", boundary - 20 * kMinute,
         base + ",\"provider\":\"openai\",\"prompt_name\":\"summarize\",\"prompt_version\":\"beta-2\",\"latency_ms\":0");
    line("upper-sha", boundary - 10 * kMinute,
         base + ",\"provider\":\"openai\",\"prompt_name\":\"triage\",\"prompt_version\":\"ABCDEF1234567890ABCDEF1234567890ABCDEF12\",\"latency_ms\":333.3");
    line("lower-sha", boundary - 9 * kMinute,
         base + ",\"provider\":\"openai\",\"prompt_name\":\"triage\",\"prompt_version\":\"abcdef1\",\"latency_ms\":444.4");
    line("unpriced", boundary - 5 * kMinute,
         "\"tenant\":\"acme\",\"model\":\"in-house-7b\",\"provider\":\"vllm\",\"latency_ms\":77,\"outcome\":\"timeout\",\"error_type\":\"timeout\",\"input_tokens\":5");
    text += "{\"ts\":\"" + rfc3339(boundary - 3 * kMinute + 2 * kHour).substr(0, 23) +
            "+02:00\",\"request_id\":\"offset-ts\"," + base + ",\"provider\":\"openai\",\"latency_ms\":55}\n";
    line("edge-0", boundary - 2 * kMinute, base + ",\"latency_ms\":99999");
    return text;
}

// A store of ~120k records over 30 hours (so that long windows exceed the
// exact limit and answer from the sketches) and its reference.
struct Fixture
{
    std::int64_t nowMs = kNowMs;
    const char *since = "30h";
    TempDir dir;
    std::string db = dir.path("store.db");
    std::optional<Checker> checker;
    std::vector<std::string> tenants, models, providers;
    std::map<std::string, std::vector<std::string>> promptVersions; // name -> versions as reported
    std::int64_t firstMs = 0, lastMs = 0;

    void build()
    {
        const std::string file = dir.path("log.ndjson");
        const ProcessResult gen = runVigilctl(
            {QStringLiteral("generate"), QStringLiteral("--out"), q(file), QStringLiteral("--records"),
             QStringLiteral("120000"), QStringLiteral("--payload"), QStringLiteral("0-0"), QStringLiteral("--malformed"),
             QStringLiteral("0.001"), QStringLiteral("--now"), q(rfc3339(nowMs)), QStringLiteral("--since"),
             QLatin1String(since), QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--incident")});
        ASSERT_EQ(gen.exitCode, 0) << gen.err;
        // A day boundary inside the data: midnight before "now".
        appendFile(file, extraLines(floorTo(nowMs, kDay)));
        const IngestRun run = ingestFiles(db, {file});
        ASSERT_EQ(run.process.exitCode, 0) << run.process.err;

        ReferenceLog reference = readReferenceLog(file, vigil::PriceTable::builtin());
        ASSERT_EQ(run.summary.value(QStringLiteral("records")).toInteger(), static_cast<qint64>(reference.records.size()));
        ASSERT_EQ(run.summary.value(QStringLiteral("quarantined")).toInteger(), reference.invalid);
        ASSERT_EQ(reference.duplicates, 1);
        std::set<std::string> t, m, p;
        for (const auto &r : reference.records) {
            t.insert(r.tenant);
            m.insert(r.model);
            if (!r.provider.empty())
                p.insert(r.provider);
            if (!r.promptName.empty()) {
                auto &versions = promptVersions[r.promptName];
                if (std::find(versions.begin(), versions.end(), r.promptVersion) == versions.end())
                    versions.push_back(r.promptVersion);
            }
        }
        tenants.assign(t.begin(), t.end());
        models.assign(m.begin(), m.end());
        providers.assign(p.begin(), p.end());
        checker.emplace(std::move(reference.records));
        firstMs = checker->records().front().tsMs;
        lastMs = checker->records().back().tsMs;
    }
};

std::string pick(const std::vector<std::string> &from, std::mt19937_64 &rng)
{
    return from[rng() % from.size()];
}

// A time near the data, often on or next to a minute, hour or day edge.
std::int64_t randomTime(const Fixture &f, std::mt19937_64 &rng)
{
    const std::int64_t span = f.lastMs - f.firstMs + 3 * kHour;
    std::int64_t t = f.firstMs - 2 * kHour + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
    switch (rng() % 6) {
    case 0: return floorTo(t, kMinute);
    case 1: return floorTo(t, kMinute) + (rng() % 2 ? 1 : -1);
    case 2: return floorTo(t, kHour) + static_cast<std::int64_t>(rng() % 3) - 1;
    case 3: return floorTo(t, kDay) + static_cast<std::int64_t>(rng() % 3) - 1;
    default: return t;
    }
}

QString timeArg(std::int64_t ms, std::mt19937_64 &rng)
{
    return rng() % 2 ? QString::number(ms) : q(rfc3339(ms));
}

void randomWindow(const Fixture &f, Query &query, std::mt19937_64 &rng)
{
    if (rng() % 2) {
        const std::int64_t from = randomTime(f, rng);
        std::int64_t length;
        switch (rng() % 4) {
        case 0: length = 1 + static_cast<std::int64_t>(rng() % (2 * kMinute)); break; // sub-minute to two minutes
        case 1: length = static_cast<std::int64_t>(rng() % (3 * kHour)) + 1; break;
        case 2: length = static_cast<std::int64_t>(rng() % (12 * kHour)) + 1; break;
        default: length = 25 * kHour + static_cast<std::int64_t>(rng() % (10 * kHour)); break; // past the exact limit
        }
        query.fromMs = from;
        query.toMs = from + length;
        query.windowArgs = {QStringLiteral("--from"), timeArg(query.fromMs, rng), QStringLiteral("--to"),
                            timeArg(query.toMs, rng)};
    } else {
        const std::pair<const char *, std::int64_t> durations[] = {
            {"90s", 90'000}, {"15m", 15 * kMinute}, {"1h", kHour}, {"1h30m", 90 * kMinute},
            {"6h", 6 * kHour}, {"24h", 24 * kHour}, {"2d", 2 * kDay}, {"7d", 7 * kDay}, {"5000ms", 5000}};
        const auto &[text, ms] = durations[rng() % std::size(durations)];
        const std::int64_t now = rng() % 4 == 0 ? f.nowMs : randomTime(f, rng);
        query.fromMs = now - ms;
        query.toMs = now;
        query.windowArgs = {QStringLiteral("--since"), QLatin1String(text), QStringLiteral("--now"), timeArg(now, rng)};
    }
}

void randomFilter(const Fixture &f, Query &query, std::mt19937_64 &rng)
{
    const int filters = static_cast<int>(rng() % 3); // none, one or two
    for (int i = 0; i < filters; ++i) {
        switch (rng() % 5) {
        case 0: {
            const std::string t = rng() % 8 == 0 ? std::string("nobody") : pick(f.tenants, rng);
            query.filter.tenant = t;
            query.filterArgs << QStringLiteral("--tenant") << q(t);
            break;
        }
        case 1: {
            const std::string m = pick(f.models, rng);
            query.filter.model = m;
            query.filterArgs << QStringLiteral("--model") << q(m);
            break;
        }
        case 2: {
            const std::string p = pick(f.providers, rng);
            query.filter.provider = p;
            query.filterArgs << QStringLiteral("--provider") << q(p);
            break;
        }
        default: {
            if (query.filter.promptName)
                break;
            auto it = f.promptVersions.begin();
            std::advance(it, static_cast<long>(rng() % f.promptVersions.size()));
            query.filter.promptName = it->first;
            std::string spec = it->first;
            if (rng() % 3 != 0) {
                std::string version = pick(it->second, rng);
                // Ask with the short form, the full form, or in upper case.
                if (isHexSha(version) && rng() % 2)
                    version = version.substr(0, 7 + static_cast<std::size_t>(rng() % 6));
                if (isHexSha(version) && rng() % 4 == 0)
                    std::transform(version.begin(), version.end(), version.begin(),
                                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
                query.filter.promptVersion = version;
                spec += "@" + version;
            }
            query.filterArgs << QStringLiteral("--prompt") << q(spec);
            break;
        }
        }
    }
}

} // namespace

// Random windows, filters and groupings for the three kinds, on one store.
TEST(QueryReference, RandomQueriesMatchTheLines)
{
    Fixture f;
    f.build();
    if (::testing::Test::HasFatalFailure())
        return;
    const std::uint64_t seed = std::random_device{}();
    SCOPED_TRACE("query seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const char *const groupings[] = {"tenant", "model", "provider", "prompt", "prompt_version", "minute", "hour", "day"};
    constexpr int kQueries = 110;
    std::size_t grouped = 0, sketched = 0;
    for (int i = 0; i < kQueries; ++i) {
        Query query;
        const Kind kinds[] = {Kind::Latency, Kind::Latency, Kind::Spend, Kind::Errors, Kind::Latency,
                              Kind::Spend, Kind::Errors, Kind::Latency, Kind::Spend, Kind::Errors};
        query.kind = kinds[i % std::size(kinds)];
        if (rng() % 5 == 0) {
            // All of the data and more, unfiltered: past the exact limit, so
            // latency comes from the merged sketches.
            query.fromMs = f.firstMs - static_cast<std::int64_t>(rng() % (2 * kHour));
            query.toMs = f.lastMs + 1 + static_cast<std::int64_t>(rng() % (2 * kHour));
            query.windowArgs = {QStringLiteral("--from"), timeArg(query.fromMs, rng), QStringLiteral("--to"),
                                timeArg(query.toMs, rng)};
        } else {
            randomWindow(f, query, rng);
            randomFilter(f, query, rng);
        }
        if (rng() % 5 != 0) {
            query.by = groupings[rng() % std::size(groupings)];
            // Minute groups over days would be thousands of groups: keep them short.
            if (query.by == "minute" && query.toMs - query.fromMs > 6 * kHour)
                query.by = "hour";
            ++grouped;
        }
        query.exact = query.kind == Kind::Latency && rng() % 5 == 0;
        sketched += f.checker->check(query, f.db).sketch;
        if (::testing::Test::HasFailure())
            break; // one failing query says enough; the seed reproduces it
    }
    std::cout << "[ queries  ] " << kQueries << " queries, " << grouped << " grouped, " << sketched
              << " answered from the sketches\n";
}

// Data that ends now. For the minutes of the last day the reader answers a
// window's edge minute from its rollup row when the rest of that minute holds
// no records (a window ending now), and row by row otherwise: windows that end
// just before or just after a record, start just before or after one, and
// end past the newest record, all against the lines.
TEST(QueryReference, LiveWindowsMatchTheLines)
{
    Fixture f;
    f.nowMs = QDateTime::currentMSecsSinceEpoch();
    f.since = "2h";
    f.build();
    if (::testing::Test::HasFatalFailure())
        return;
    const std::uint64_t seed = std::random_device{}();
    SCOPED_TRACE("query seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const auto &records = f.checker->records();
    auto someRecordMs = [&] { return records[rng() % records.size()].tsMs; };
    const char *const groupings[] = {"", "", "minute", "tenant", "model", "prompt_version"};
    constexpr int kQueries = 60;
    for (int i = 0; i < kQueries; ++i) {
        Query query;
        query.kind = static_cast<Kind>(i % 3);
        switch (i % 4) {
        case 0: query.fromMs = someRecordMs() + static_cast<std::int64_t>(rng() % 3) - 1; break;
        case 1: query.fromMs = f.firstMs - static_cast<std::int64_t>(rng() % kMinute); break;
        default: query.fromMs = f.nowMs - static_cast<std::int64_t>(rng() % (3 * kHour)); break;
        }
        switch (i % 3) {
        case 0: query.toMs = someRecordMs() + static_cast<std::int64_t>(rng() % 3) - 1; break;
        case 1: query.toMs = f.lastMs + 1 + static_cast<std::int64_t>(rng() % kMinute); break;
        default: query.toMs = f.nowMs - static_cast<std::int64_t>(rng() % (5 * kMinute)); break;
        }
        if (query.toMs < query.fromMs)
            std::swap(query.fromMs, query.toMs);
        query.toMs += query.toMs == query.fromMs;
        query.windowArgs = {QStringLiteral("--from"), QString::number(query.fromMs), QStringLiteral("--to"),
                            QString::number(query.toMs)};
        query.by = groupings[rng() % std::size(groupings)];
        if (rng() % 3 == 0)
            randomFilter(f, query, rng);
        f.checker->check(query, f.db);
        if (::testing::Test::HasFailure())
            break;
    }
}

// Alert rules ask for counts, latency, cost and error types only, and the
// reader then takes partial minutes from the ts index alone: the same figures
// as the full read, on random sub-minute windows (old data, so every edge is
// read row by row).
TEST(QueryReference, TheNarrowReadOfAlertRulesGivesTheSameFigures)
{
    Fixture f;
    f.since = "3h";
    f.build();
    if (::testing::Test::HasFatalFailure())
        return;
    const std::uint64_t seed = std::random_device{}();
    SCOPED_TRACE("query seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    vigil::MetricsReader reader(f.db);
    const vigil::GroupBy groupings[] = {vigil::GroupBy::None, vigil::GroupBy::Model, vigil::GroupBy::Provider,
                                        vigil::GroupBy::Minute};
    for (int i = 0; i < 40; ++i) {
        vigil::MetricsRequest full;
        full.window.fromMs = f.firstMs + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(f.lastMs - f.firstMs));
        full.window.toMs = full.window.fromMs + 1 + static_cast<std::int64_t>(rng() % (20 * kMinute));
        full.groupBy = groupings[i % std::size(groupings)];
        full.wantErrorTypes = i % 2 == 0;
        full.latencyMode = i % 3 == 0 ? vigil::LatencyMode::Sketch : vigil::LatencyMode::Auto;
        vigil::MetricsRequest narrow = full;
        narrow.wantTokensAndRetrieval = false;
        const auto a = reader.query(full).groups;
        const auto b = reader.query(narrow).groups;
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t g = 0; g < a.size(); ++g) {
            SCOPED_TRACE("window " + std::to_string(full.window.fromMs) + ".." + std::to_string(full.window.toMs) +
                         " group " + a[g].key);
            EXPECT_EQ(a[g].key, b[g].key);
            EXPECT_EQ(a[g].totals.byOutcome, b[g].totals.byOutcome);
            EXPECT_EQ(a[g].totals.costUnknown, b[g].totals.costUnknown);
            EXPECT_NEAR(a[g].totals.costUsd, b[g].totals.costUsd, 1e-9 * std::max(1.0, a[g].totals.costUsd));
            EXPECT_EQ(a[g].latency.count, b[g].latency.count);
            EXPECT_EQ(a[g].latency.p95, b[g].latency.p95);
            EXPECT_EQ(a[g].latency.p99, b[g].latency.p99);
            EXPECT_EQ(a[g].latency.max, b[g].latency.max);
            EXPECT_EQ(a[g].errorTypes, b[g].errorTypes);
        }
        if (::testing::Test::HasFailure())
            break;
    }
}

// Fixed windows on the edges of the hand-written boundary records, every
// kind and grouping: half-open [from, to) to the millisecond.
TEST(QueryReference, WindowEdgesAreHalfOpen)
{
    Fixture f;
    f.build();
    if (::testing::Test::HasFatalFailure())
        return;
    const std::int64_t midnight = floorTo(kNowMs, kDay);
    std::vector<std::pair<std::int64_t, std::int64_t>> windows;
    for (std::int64_t edge : {midnight - kDay, midnight - kHour, midnight - kMinute, midnight}) {
        windows.emplace_back(edge, edge + kMinute);     // one whole minute
        windows.emplace_back(edge - 1, edge + 1);       // two milliseconds across the edge
        windows.emplace_back(edge, edge + 1);           // one millisecond
        windows.emplace_back(edge + 1, edge + kMinute); // all but the first
        windows.emplace_back(edge - kHour, edge);       // the hour before, up to but not including
        windows.emplace_back(edge - kHour + 1, edge + kHour - 1);
    }
    // Each window ungrouped and with one grouping, the kinds taking turns.
    const char *const groupings[] = {"minute", "hour", "provider", "prompt_version", "day"};
    std::size_t turn = 0;
    for (const auto &[from, to] : windows) {
        for (const char *by : {"", groupings[turn % std::size(groupings)]}) {
            Query query;
            query.kind = static_cast<Kind>(turn++ % 3);
            query.fromMs = from;
            query.toMs = to;
            query.windowArgs = {QStringLiteral("--from"), QString::number(from), QStringLiteral("--to"), QString::number(to)};
            query.by = by;
            f.checker->check(query, f.db);
        }
        if (::testing::Test::HasFailure())
            break;
    }
    // The same window given as --since/--now.
    Query since;
    since.kind = Kind::Latency;
    since.fromMs = midnight - kHour;
    since.toMs = midnight;
    since.windowArgs = {QStringLiteral("--since"), QStringLiteral("1h"), QStringLiteral("--now"), q(rfc3339(midnight))};
    since.by = "minute";
    f.checker->check(since, f.db);

    // Short and long SHAs of one commit are one prompt version, in any case.
    Query versions;
    versions.kind = Kind::Spend;
    versions.fromMs = midnight - kHour;
    versions.toMs = midnight;
    versions.windowArgs = {QStringLiteral("--from"), QString::number(versions.fromMs), QStringLiteral("--to"),
                           QString::number(versions.toMs)};
    versions.by = "prompt_version";
    versions.filter.promptName = "triage";
    versions.filterArgs = {QStringLiteral("--prompt"), QStringLiteral("triage")};
    EXPECT_EQ(f.checker->check(versions, f.db).groups, 1u);

    // The whole store with --exact: exact although past the limit.
    Query all;
    all.kind = Kind::Latency;
    all.fromMs = f.firstMs;
    all.toMs = f.lastMs + 1;
    all.windowArgs = {QStringLiteral("--from"), QString::number(all.fromMs), QStringLiteral("--to"), QString::number(all.toMs)};
    all.exact = true;
    f.checker->check(all, f.db);
    all.exact = false;
    EXPECT_TRUE(f.checker->check(all, f.db).sketch) << "the whole store is past the exact limit";
}
