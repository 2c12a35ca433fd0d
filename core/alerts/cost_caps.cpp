#include "alerts/cost_caps.h"

#include "record/timestamp.h"

#include <QDateTime>

#include <cmath>
#include <cstdio>

namespace vigil {

namespace {
std::string usd(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "$%.2f", value);
    return buffer;
}

EffectiveCap fromConfig(const CapSetting &setting, const std::string &file)
{
    EffectiveCap cap;
    cap.usd = setting.usd;
    cap.reviewedOn = setting.reviewedOn;
    cap.origin = (file.empty() ? std::string("vigil.toml") : file) + ":" + std::to_string(setting.line);
    return cap;
}

EffectiveCap fromStore(const CapOverride &o)
{
    EffectiveCap cap;
    cap.usd = o.usd;
    cap.reviewedOn = o.reviewedOn;
    cap.origin = "set by " + o.by + " on " + formatRfc3339Ms(o.setAtMs).substr(0, 10);
    cap.fromStore = true;
    return cap;
}
} // namespace

QTimeZone costTimeZone(const std::string &name)
{
    if (name.empty() || name == "UTC")
        return QTimeZone::utc();
    QTimeZone zone(QByteArray::fromStdString(name));
    return zone.isValid() ? zone : QTimeZone::utc();
}

QDate costDate(std::int64_t nowMs, const QTimeZone &zone)
{
    return QDateTime::fromMSecsSinceEpoch(nowMs, zone).date();
}

TimeWindow costDay(std::int64_t nowMs, const QTimeZone &zone)
{
    const QDate day = costDate(nowMs, zone);
    const std::int64_t start = QDateTime(day, QTime(0, 0), zone).toMSecsSinceEpoch();
    const std::int64_t end = QDateTime(day.addDays(1), QTime(0, 0), zone).toMSecsSinceEpoch();
    return {start, end};
}

bool EffectiveCap::reviewOverdue(const QDate &today) const
{
    return !reviewedOn || reviewedOn->daysTo(today) > kCapReviewDays;
}

std::optional<EffectiveCap> EffectiveCaps::capFor(const std::string &tenant) const
{
    if (const auto it = tenants.find(tenant); it != tenants.end())
        return it->second;
    return tenantDefault;
}

EffectiveCaps effectiveCaps(const CostCaps &config, const std::string &configFile,
                            const std::vector<CapOverride> &overrides)
{
    EffectiveCaps caps;
    caps.timeZoneName = config.timeZone;
    caps.zone = costTimeZone(config.timeZone);
    caps.warnShare = config.warnShare;
    if (config.daily)
        caps.daily = fromConfig(*config.daily, configFile);
    if (config.tenantDefault)
        caps.tenantDefault = fromConfig(*config.tenantDefault, configFile);
    for (const auto &[tenant, setting] : config.tenants)
        caps.tenants[tenant] = fromConfig(setting, configFile);
    for (const CapOverride &o : overrides) {
        switch (o.scope) {
        case CapScope::Daily: caps.daily = fromStore(o); break;
        case CapScope::TenantDefault: caps.tenantDefault = fromStore(o); break;
        case CapScope::Tenant: caps.tenants[o.tenant] = fromStore(o); break;
        }
    }
    return caps;
}

std::vector<ConfigProblem> capReviewFindings(const EffectiveCaps &caps, const std::string &configFile,
                                             const QDate &today)
{
    std::vector<ConfigProblem> out;
    const auto check = [&](const std::string &what, const EffectiveCap &cap) {
        if (!cap.reviewOverdue(today))
            return;
        ConfigProblem p;
        p.file = configFile;
        if (!cap.fromStore) {
            const auto colon = cap.origin.rfind(':');
            p.line = colon == std::string::npos ? 0 : std::atoi(cap.origin.c_str() + colon + 1);
        }
        const std::string reviewed =
            cap.reviewedOn ? "was last reviewed on " + cap.reviewedOn->toString(Qt::ISODate).toStdString() + ", " +
                                 std::to_string(cap.reviewedOn->daysTo(today)) + " days ago"
                           : "has no reviewed_on date";
        p.message = "review overdue: the " + what + " cap (" + usd(cap.usd) + ") " + reviewed + " (caps are reviewed every " +
                    std::to_string(kCapReviewDays) + " days" + (cap.fromStore ? "; " + cap.origin : std::string()) + ")";
        out.push_back(std::move(p));
    };
    if (caps.daily)
        check("daily", *caps.daily);
    if (caps.tenantDefault)
        check("tenant default", *caps.tenantDefault);
    for (const auto &[tenant, cap] : caps.tenants)
        check("tenant \"" + tenant + "\"", cap);
    return out;
}

std::string validateCapEdit(double usdValue, const QDate &reviewedOn, const QDate &today, const std::string &tenant,
                            CapScope scope)
{
    if (!std::isfinite(usdValue) || usdValue < 0.01 || usdValue > 1e9)
        return "a cap is a number of dollars from 0.01 to 1000000000";
    if (!reviewedOn.isValid())
        return "reviewed_on must be a date (YYYY-MM-DD)";
    if (reviewedOn > today)
        return "reviewed_on " + reviewedOn.toString(Qt::ISODate).toStdString() + " is in the future";
    if (scope == CapScope::Tenant && (tenant.empty() || tenant.size() > 200))
        return "a tenant cap needs the tenant's name";
    return {};
}

} // namespace vigil
