// vigilctl alerts caps [set|reset]: spend today against the caps, and cap edits.
#include "alerts_cli.h"
#include "text_table.h"

#include "alerts/alert_board.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"

#include <QJsonArray>

namespace vigil::cli {

namespace {

QJsonValue capJson(const std::optional<EffectiveCap> &cap, const QDate &today)
{
    if (!cap)
        return QJsonValue();
    return QJsonObject{{QStringLiteral("usd"), cap->usd},
                       {QStringLiteral("reviewed_on"), cap->reviewedOn ? cap->reviewedOn->toString(Qt::ISODate) : QString()},
                       {QStringLiteral("review_overdue"), cap->reviewOverdue(today)},
                       {QStringLiteral("set"), QString::fromStdString(cap->origin)}};
}

QString capText(const std::optional<EffectiveCap> &cap, const QDate &today)
{
    if (!cap)
        return QStringLiteral("-");
    return formatUsd(cap->usd) + (cap->reviewOverdue(today) ? QStringLiteral(" (review overdue)") : QString());
}

// "daily", "default" or a tenant.
CapScope scopeOf(const QString &name)
{
    if (name == QStringLiteral("daily"))
        return CapScope::Daily;
    if (name == QStringLiteral("default"))
        return CapScope::TenantDefault;
    return CapScope::Tenant;
}

int showCaps(AlertsContext &c, AlertBoard &board)
{
    const CostOverview o = board.costs(c.now());
    const SpendToday &s = o.spend;
    const QDate today = costDate(s.nowMs, o.caps.zone);
    if (c.json) {
        QJsonArray tenants;
        for (const TenantSpend &t : s.tenants)
            tenants.append(QJsonObject{{QStringLiteral("tenant"), QString::fromStdString(t.tenant)},
                                       {QStringLiteral("spent_usd"), t.spentUsd},
                                       {QStringLiteral("projected_usd"), t.projectedUsd},
                                       {QStringLiteral("requests"), static_cast<qint64>(t.requests)},
                                       {QStringLiteral("level"), QString::fromUtf8(capLevelName(t.level))},
                                       {QStringLiteral("cap"), capJson(t.cap, today)}});
        QJsonArray overdue;
        for (const auto &p : o.reviewsOverdue)
            overdue.append(QString::fromStdString(p.text()));
        printJson({{QStringLiteral("day_start"), QString::fromStdString(formatRfc3339Ms(s.day.fromMs))},
                   {QStringLiteral("day_end"), QString::fromStdString(formatRfc3339Ms(s.day.toMs))},
                   {QStringLiteral("time_zone"), QString::fromStdString(o.caps.timeZoneName)},
                   {QStringLiteral("warn_share"), s.warnShare},
                   {QStringLiteral("total_usd"), s.totalUsd},
                   {QStringLiteral("projected_usd"), s.projectedUsd},
                   {QStringLiteral("daily_level"), QString::fromUtf8(capLevelName(s.dailyLevel))},
                   {QStringLiteral("daily_cap"), capJson(s.dailyCap, today)},
                   {QStringLiteral("tenant_default_cap"), capJson(o.caps.tenantDefault, today)},
                   {QStringLiteral("tenants"), tenants},
                   {QStringLiteral("review_overdue"), overdue}});
        return Ok;
    }
    out() << "Spend today (" << QString::fromStdString(o.caps.timeZoneName) << ", since "
          << formatTime(s.day.fromMs) << "): " << formatUsd(s.totalUsd) << " of daily cap " << capText(s.dailyCap, today)
          << ", projected " << formatUsd(s.projectedUsd) << " by the end of the day\n\n";
    TextTable table({QStringLiteral("TENANT"), QStringLiteral("SPENT"), QStringLiteral("PROJECTED"), QStringLiteral("CAP"),
                     QStringLiteral("LEVEL"), QStringLiteral("CAP SET")}, 1);
    for (const TenantSpend &t : s.tenants)
        table.addRow({QString::fromStdString(t.tenant), formatUsd(t.spentUsd), formatUsd(t.projectedUsd), capText(t.cap, today),
                      QString::fromUtf8(capLevelName(t.level)), t.cap ? QString::fromStdString(t.cap->origin) : QString()});
    table.print(out());
    for (const auto &p : o.reviewsOverdue)
        out() << QString::fromStdString(p.text()) << '\n';
    out().flush();
    return Ok;
}

} // namespace

int alertsCaps(AlertsContext &c)
{
    AlertBoard board(c.env.storePath, c.setup);
    if (c.args.isEmpty())
        return showCaps(c, board);
    const QString verb = c.args[0];
    const std::string reason = c.parser.value(QStringLiteral("reason")).toStdString();
    const std::int64_t now = currentTimeMs();
    if (verb == QStringLiteral("set") && c.args.size() == 3) {
        bool ok = false;
        const double usd = c.args[2].toDouble(&ok);
        if (!ok)
            return c.fail(QStringLiteral("\"%1\" is not an amount of dollars").arg(c.args[2]), BadUsage);
        const QDate today = costDate(now, costTimeZone(c.setup.config.costs.timeZone));
        const QDate reviewed = c.parser.isSet(QStringLiteral("reviewed-on"))
                                   ? QDate::fromString(c.parser.value(QStringLiteral("reviewed-on")), Qt::ISODate)
                                   : today;
        try {
            const CapOverride cap = board.setCap(scopeOf(c.args[1]), c.args[1].toStdString(), usd, reviewed, reason,
                                                 currentActor(), now);
            out() << "cap " << c.args[1] << " is now " << formatUsd(cap.usd) << " (reviewed on "
                  << cap.reviewedOn.toString(Qt::ISODate) << "), recorded in the operator log\n";
            return Ok;
        } catch (const CapEditRefused &e) {
            return c.fail(QString::fromUtf8(e.what()), BadUsage);
        }
    }
    if (verb == QStringLiteral("reset") && c.args.size() == 2) {
        if (!board.resetCap(scopeOf(c.args[1]), c.args[1].toStdString(), reason, currentActor(), now))
            return c.fail(QStringLiteral("cap %1 was not changed through Vigil: nothing to reset").arg(c.args[1]), BadUsage);
        out() << "cap " << c.args[1] << " follows the config again\n";
        return Ok;
    }
    return c.fail(QStringLiteral("usage: vigilctl alerts caps [set daily|default|TENANT USD [--reviewed-on DATE] | reset daily|default|TENANT]"),
                  BadUsage);
}

} // namespace vigil::cli
