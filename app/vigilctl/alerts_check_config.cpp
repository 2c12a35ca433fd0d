// vigilctl alerts check-config: every mistake with its line, and caps due for review.
#include "alerts_cli.h"

#include "alerts/alert_setup.h"
#include "alerts/cost_caps.h"
#include "metrics/time_window.h"

#include <QFileInfo>
#include <QJsonArray>

namespace vigil::cli {

namespace {

QJsonObject problemJson(const ConfigProblem &p)
{
    return {{QStringLiteral("file"), QString::fromStdString(p.file)},
            {QStringLiteral("line"), p.line},
            {QStringLiteral("message"), QString::fromStdString(p.message)}};
}

QString secretNote(const std::string &reference)
{
    const QString ref = QString::fromStdString(reference);
    if (ref.startsWith(QLatin1String("env:")))
        return qEnvironmentVariableIsSet(ref.mid(4).toLocal8Bit().constData())
                   ? QStringLiteral("%1 (set here)").arg(ref)
                   : QStringLiteral("%1 (not set in this environment)").arg(ref);
    return QStringLiteral("%1 (read at run time)").arg(ref);
}

} // namespace

int alertsCheckConfig(QCommandLineParser &parser, const QString &configOption, bool json)
{
    QString path = configOption;
    if (path.isEmpty() && QFileInfo::exists(QStringLiteral("vigil.toml")))
        path = QStringLiteral("vigil.toml");
    std::vector<ConfigProblem> problems;
    std::optional<VigilConfig> config;
    std::string checked;
    if (path.isEmpty()) {
        checked = "the shipped default config (" + shippedDefaultConfigPath().toStdString() + ")";
        config = loadShippedDefaultConfig(problems);
    } else {
        checked = path.toStdString();
        config = loadConfig(checked, problems);
    }
    std::vector<ConfigProblem> overdue;
    AlertSetup setup;
    if (config) {
        setup = alertSetupFor(config);
        const EffectiveCaps caps = effectiveCaps(setup.config.costs, setup.costsFrom, {});
        overdue = capReviewFindings(caps, setup.costsFrom, costDate(currentTimeMs(), caps.zone));
    }
    const bool strict = parser.isSet(QStringLiteral("strict"));
    const int code = !problems.empty() ? CheckFailed : (strict && !overdue.empty() ? CheckFailed : Ok);
    if (json) {
        QJsonArray mistakes, reviews, rules, destinations;
        for (const auto &p : problems)
            mistakes.append(problemJson(p));
        for (const auto &p : overdue)
            reviews.append(problemJson(p));
        for (const AlertRule &r : setup.config.rules)
            rules.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(r.name)},
                                     {QStringLiteral("type"), QString::fromUtf8(alertTypeName(r.type))},
                                     {QStringLiteral("line"), r.line}});
        for (const DestinationConfig &d : setup.config.destinations)
            destinations.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(d.name)},
                                            {QStringLiteral("type"), QString::fromUtf8(destinationTypeName(d.type))}});
        printJson({{QStringLiteral("file"), QString::fromStdString(checked)},
                   {QStringLiteral("ok"), problems.empty()},
                   {QStringLiteral("mistakes"), mistakes},
                   {QStringLiteral("review_overdue"), reviews},
                   {QStringLiteral("rules"), rules},
                   {QStringLiteral("rules_from"), QString::fromStdString(setup.rulesFrom)},
                   {QStringLiteral("destinations"), destinations}});
        return code;
    }
    if (!problems.empty()) {
        for (const auto &p : problems)
            out() << QString::fromStdString(p.text()) << '\n';
        out() << problems.size() << (problems.size() == 1 ? " mistake" : " mistakes") << " in "
              << QString::fromStdString(checked) << '\n';
        out().flush();
        return code;
    }
    out() << QString::fromStdString(checked) << ": OK\n";
    out() << "  rules (" << QString::fromStdString(setup.rulesFrom) << "):\n";
    for (const AlertRule &r : setup.config.rules)
        out() << "    " << QString::fromStdString(r.name) << "  " << QString::fromUtf8(alertTypeName(r.type)) << '\n';
    if (setup.config.destinations.empty())
        out() << "  destinations: none (alerts show in the console and `vigilctl alerts list` only)\n";
    for (const DestinationConfig &d : setup.config.destinations) {
        out() << "  destination " << QString::fromStdString(d.name) << " (" << QString::fromUtf8(destinationTypeName(d.type)) << ')';
        if (!d.secretRef.empty())
            out() << ": " << secretNote(d.secretRef);
        if (!d.signingKeyRef.empty())
            out() << ", signing key " << secretNote(d.signingKeyRef);
        out() << '\n';
    }
    const CostCaps &caps = setup.config.costs;
    out() << "  caps (" << QString::fromStdString(setup.costsFrom) << ", day in " << QString::fromStdString(caps.timeZone)
          << ", warn at " << QString::number(caps.warnShare * 100, 'f', 0) << "%): daily "
          << (caps.daily ? formatUsd(caps.daily->usd) : QStringLiteral("none")) << ", tenant default "
          << (caps.tenantDefault ? formatUsd(caps.tenantDefault->usd) : QStringLiteral("none")) << ", "
          << caps.tenants.size() << " tenant caps\n";
    for (const auto &p : overdue)
        out() << QString::fromStdString(p.text()) << '\n';
    out().flush();
    return code;
}

} // namespace vigil::cli
