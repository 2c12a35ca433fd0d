// vigilctl query latency|spend|errors
#include "cli.h"
#include "commands.h"
#include "query_options.h"
#include "text_table.h"

#include "record/timestamp.h"
#include "store/metrics_reader.h"
#include "store/store_error.h"

#include <QJsonArray>

namespace vigil::cli {

namespace {

enum class Kind { Latency, Spend, Errors };

QJsonValue optionalNumber(std::optional<double> v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject latencyJson(const MetricsGroup &g)
{
    const LatencySummary &l = g.latency;
    return {{QStringLiteral("count"), static_cast<qint64>(l.count)},
            {QStringLiteral("p50"), optionalNumber(l.p50)},
            {QStringLiteral("p95"), optionalNumber(l.p95)},
            {QStringLiteral("p99"), optionalNumber(l.p99)},
            {QStringLiteral("max"), optionalNumber(l.max)},
            {QStringLiteral("mean"), optionalNumber(l.mean)},
            {QStringLiteral("exact"), l.exact}};
}

QJsonObject spendJson(const MetricsGroup &g)
{
    const RollupCell &c = g.totals;
    return {{QStringLiteral("cost_usd"), c.costUsd},
            {QStringLiteral("cost_usd_computed"), c.costComputedUsd},
            {QStringLiteral("input_tokens"), static_cast<qint64>(c.inputTokens)},
            {QStringLiteral("output_tokens"), static_cast<qint64>(c.outputTokens)},
            {QStringLiteral("requests"), static_cast<qint64>(c.requests())},
            {QStringLiteral("requests_without_cost"), static_cast<qint64>(c.costUnknown)}};
}

std::optional<double> errorRate(const RollupCell &c)
{
    const auto n = c.requests();
    if (n == 0)
        return std::nullopt;
    return static_cast<double>(n - c.byOutcome[static_cast<std::size_t>(Outcome::Ok)]) /
           static_cast<double>(n);
}

QJsonObject errorsJson(const MetricsGroup &g)
{
    QJsonObject byOutcome;
    for (int i = 0; i < kOutcomeCount; ++i)
        byOutcome.insert(QString::fromUtf8(outcomeName(static_cast<Outcome>(i)).data()),
                         static_cast<qint64>(g.totals.byOutcome[static_cast<std::size_t>(i)]));
    QJsonObject byType;
    for (const auto &[type, count] : g.errorTypes)
        byType.insert(QString::fromStdString(type), static_cast<qint64>(count));
    return {{QStringLiteral("requests"), static_cast<qint64>(g.totals.requests())},
            {QStringLiteral("error_rate"), optionalNumber(errorRate(g.totals))},
            {QStringLiteral("by_outcome"), byOutcome},
            {QStringLiteral("by_error_type"), byType}};
}

QJsonObject groupJson(Kind kind, const MetricsGroup &g)
{
    switch (kind) {
    case Kind::Latency: return latencyJson(g);
    case Kind::Spend: return spendJson(g);
    case Kind::Errors: return errorsJson(g);
    }
    return {};
}

QString keyText(const MetricsGroup &g)
{
    if (g.key.empty() && !g.keyMissing)
        return QStringLiteral("all");
    return g.keyMissing ? QStringLiteral("(none)") : QString::fromStdString(g.key);
}

QString percent(std::optional<double> v)
{
    return v ? QString::number(*v * 100, 'f', 2) + QLatin1Char('%') : QStringLiteral("-");
}

void printHuman(Kind kind, const MetricsResult &result, const MetricsRequest &request)
{
    const bool grouped = request.groupBy != GroupBy::None;
    out() << (kind == Kind::Latency ? "Latency" : kind == Kind::Spend ? "Spend" : "Errors") << ", "
          << QString::fromStdString(formatRfc3339Ms(request.window.fromMs)) << " to "
          << QString::fromStdString(formatRfc3339Ms(request.window.toMs));
    if (kind == Kind::Latency && !result.groups.empty())
        out() << (result.groups.front().latency.exact ? " (exact)" : " (sketch, within 1%)");
    out() << "\n\n";
    const QString keyHeader = grouped ? QString::fromUtf8(groupByName(request.groupBy).data()).toUpper()
                                      : QStringLiteral("ALL");
    if (kind == Kind::Latency) {
        TextTable t({keyHeader, QStringLiteral("REQUESTS"), QStringLiteral("P50"), QStringLiteral("P95"),
                     QStringLiteral("P99"), QStringLiteral("MAX")});
        for (const auto &g : result.groups)
            t.addRow({keyText(g), formatCount(static_cast<long long>(g.latency.count)), formatMs(g.latency.p50),
                      formatMs(g.latency.p95), formatMs(g.latency.p99), formatMs(g.latency.max)});
        t.print(out());
    } else if (kind == Kind::Spend) {
        TextTable t({keyHeader, QStringLiteral("REQUESTS"), QStringLiteral("COST"),
                     QStringLiteral("COMPUTED"), QStringLiteral("TOKENS IN"), QStringLiteral("TOKENS OUT")});
        for (const auto &g : result.groups)
            t.addRow({keyText(g), formatCount(static_cast<long long>(g.totals.requests())),
                      formatUsd(g.totals.costUsd), formatUsd(g.totals.costComputedUsd),
                      formatCount(g.totals.inputTokens), formatCount(g.totals.outputTokens)});
        t.print(out());
    } else {
        QStringList header{keyHeader, QStringLiteral("REQUESTS"), QStringLiteral("ERROR RATE")};
        for (int i = 1; i < kOutcomeCount; ++i)
            header << QString::fromUtf8(outcomeName(static_cast<Outcome>(i)).data()).toUpper();
        TextTable t(header);
        for (const auto &g : result.groups) {
            QStringList row{keyText(g), formatCount(static_cast<long long>(g.totals.requests())),
                            percent(errorRate(g.totals))};
            for (int i = 1; i < kOutcomeCount; ++i)
                row << formatCount(static_cast<long long>(g.totals.byOutcome[static_cast<std::size_t>(i)]));
            t.addRow(row);
        }
        t.print(out());
        if (!grouped && !result.groups.empty() && !result.groups.front().errorTypes.empty()) {
            out() << "\nby error type:";
            for (const auto &[type, count] : result.groups.front().errorTypes)
                out() << "  " << QString::fromStdString(type) << ' ' << formatCount(static_cast<long long>(count));
            out() << '\n';
        }
    }
    out().flush();
}

} // namespace

int runQuery(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Latency percentiles, spend or errors over a window, optionally grouped.\n"
        "Windows are half-open [from, to); --since D --now T means [T-D, T).\n"
        "latency: count, p50, p95, p99, max (exact nearest-rank when the window holds\n"
        "  up to %1 requests or with --exact, else from the rollup sketch, within 1%).\n"
        "spend:   cost_usd, cost_usd_computed, input_tokens, output_tokens, requests.\n"
        "errors:  requests, error_rate (outcomes other than ok), by_outcome, by_error_type.")
                                         .arg(MetricsReader::exactLimit()));
    addCommonOptions(parser);
    addWindowOptions(parser, QStringLiteral("1h"));
    addFilterOptions(parser);
    parser.addOption({QStringLiteral("by"),
                      QStringLiteral("Group by tenant, model, provider, prompt, prompt_version, "
                                     "minute, hour or day."),
                      QStringLiteral("key")});
    parser.addOption({QStringLiteral("exact"),
                      QStringLiteral("latency: read every request in the window for exact percentiles.")});
    parser.addPositionalArgument(QStringLiteral("what"), QStringLiteral("latency, spend or errors."),
                                 QStringLiteral("latency|spend|errors"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList positional = parser.positionalArguments();
    Kind kind;
    if (positional.size() == 1 && positional[0] == QStringLiteral("latency"))
        kind = Kind::Latency;
    else if (positional.size() == 1 && positional[0] == QStringLiteral("spend"))
        kind = Kind::Spend;
    else if (positional.size() == 1 && positional[0] == QStringLiteral("errors"))
        kind = Kind::Errors;
    else {
        err() << "vigilctl query: say what to query: latency, spend or errors\n\n" << parser.helpText();
        return BadUsage;
    }
    MetricsRequest request;
    std::int64_t now = 0;
    if (auto problem = readWindow(parser, QStringLiteral("1h"), request.window, now)) {
        err() << "vigilctl query: " << *problem << "\n\n" << parser.helpText();
        return BadUsage;
    }
    request.filter = readFilter(parser);
    if (parser.isSet(QStringLiteral("by"))) {
        const QString by = parser.value(QStringLiteral("by"));
        const auto g = groupByFromName(by.toStdString());
        if (!g) {
            err() << "vigilctl query: --by " << by
                  << " is not one of tenant, model, provider, prompt, prompt_version, minute, hour, day\n";
            return BadUsage;
        }
        request.groupBy = *g;
    }
    request.latencyMode = parser.isSet(QStringLiteral("exact")) ? LatencyMode::Exact
                          : kind == Kind::Latency                ? LatencyMode::Auto
                                                                 : LatencyMode::Sketch;
    request.wantErrorTypes = kind == Kind::Errors;
    Environment env;
    if (auto code = loadEnvironment(parser, env))
        return *code;

    MetricsResult result;
    try {
        MetricsReader reader(env.storePath);
        result = reader.query(request);
    } catch (const StoreError &e) {
        err() << "vigilctl: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }

    if (wantsJson(parser)) {
        QJsonObject doc;
        if (request.groupBy == GroupBy::None) {
            doc = groupJson(kind, result.groups.front());
        } else {
            QJsonArray groups;
            for (const auto &g : result.groups) {
                QJsonObject o = groupJson(kind, g);
                o.insert(QStringLiteral("key"),
                         g.keyMissing ? QJsonValue(QJsonValue::Null) : QJsonValue(QString::fromStdString(g.key)));
                groups.append(o);
            }
            doc.insert(QStringLiteral("groups"), groups);
            doc.insert(QStringLiteral("by"), QString::fromUtf8(groupByName(request.groupBy).data()));
        }
        doc.insert(QStringLiteral("from"), QString::fromStdString(formatRfc3339Ms(request.window.fromMs)));
        doc.insert(QStringLiteral("to"), QString::fromStdString(formatRfc3339Ms(request.window.toMs)));
        printJson(doc);
    } else {
        printHuman(kind, result, request);
    }
    return Ok;
}

} // namespace vigil::cli
