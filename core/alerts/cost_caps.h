#pragma once
// The caps in force: vigil.toml's [costs] overlaid with the caps set through
// Vigil (stored with who and when), the day they count in the configured
// time zone, and which caps are due for review.

#include "alerts/alert_config.h"
#include "alerts/alert_records.h"
#include "config/config.h"
#include "metrics/time_window.h"

#include <QTimeZone>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

QTimeZone costTimeZone(const std::string &name); // "UTC" or an IANA name; UTC when unknown
// [start, end) of the calendar day holding `nowMs` in `zone` (23 or 25 hours
// long on a daylight-saving change).
TimeWindow costDay(std::int64_t nowMs, const QTimeZone &zone);
QDate costDate(std::int64_t nowMs, const QTimeZone &zone);

struct EffectiveCap
{
    double usd = 0;
    std::optional<QDate> reviewedOn;
    std::string origin; // "vigil.toml:14", or "set by alice@host on 2026-02-01"
    bool fromStore = false;

    // More than kCapReviewDays since reviewed_on (or never reviewed).
    bool reviewOverdue(const QDate &today) const;
};

struct EffectiveCaps
{
    std::string timeZoneName = "UTC";
    QTimeZone zone = QTimeZone::utc();
    double warnShare = 0.8;
    std::optional<EffectiveCap> daily;
    std::optional<EffectiveCap> tenantDefault;
    std::map<std::string, EffectiveCap> tenants; // overrides of the default

    // The tenant's own cap, else the default; nothing when neither is set.
    std::optional<EffectiveCap> capFor(const std::string &tenant) const;
};

EffectiveCaps effectiveCaps(const CostCaps &config, const std::string &configFile,
                            const std::vector<CapOverride> &overrides);

// One line per cap whose review is overdue: "review overdue" with the cap,
// its reviewed_on date and where it is set.
std::vector<ConfigProblem> capReviewFindings(const EffectiveCaps &caps, const std::string &configFile,
                                             const QDate &today);

// A cap edit from the console or vigilctl: positive, finite, below a
// billion; reviewed_on a real date not in the future. Empty when fine.
std::string validateCapEdit(double usd, const QDate &reviewedOn, const QDate &today, const std::string &tenant,
                            CapScope scope);

} // namespace vigil
