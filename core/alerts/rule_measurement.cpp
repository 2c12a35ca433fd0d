#include "alerts/rule_measurement.h"

#include "alerts/spend_today.h"
#include "record/record.h"
#include "record/timestamp.h"
#include "store/metrics_reader.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace vigil {

namespace {

std::string format(const char *pattern, double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, pattern, value);
    return buffer;
}

std::string percent(double share)
{
    return format(share * 100 >= 10 ? "%.0f%%" : "%.1f%%", share * 100);
}

std::string milliseconds(double ms)
{
    return format("%.0f ms", ms);
}

std::string dollars(double usd)
{
    return format("$%.2f", usd);
}

std::string duration(std::int64_t ms)
{
    if (ms % kHourMs == 0)
        return std::to_string(ms / kHourMs) + "h";
    if (ms % kMinuteMs == 0)
        return std::to_string(ms / kMinuteMs) + "m";
    return std::to_string(ms / 1000) + "s";
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

QJsonObject filterJson(const LabelFilter &f)
{
    QJsonObject o;
    if (f.tenant)
        o.insert(QStringLiteral("tenant"), qs(*f.tenant));
    if (f.model)
        o.insert(QStringLiteral("model"), qs(*f.model));
    if (f.provider)
        o.insert(QStringLiteral("provider"), qs(*f.provider));
    if (f.promptName)
        o.insert(QStringLiteral("prompt"), qs(*f.promptName + (f.promptVersion ? "@" + *f.promptVersion : std::string())));
    return o;
}

std::string groupKeyOf(const AlertRule &rule, const MetricsGroup &g)
{
    if (rule.groupBy == GroupBy::None)
        return {};
    return std::string(groupByName(rule.groupBy)) + "=" + (g.keyMissing ? std::string("(none)") : g.key);
}

// "provider=anthropic, 240 of 1,950 requests" style scope for summaries.
std::string scopeText(const AlertRule &rule, const std::string &group)
{
    std::string scope = group;
    const auto add = [&](const char *name, const std::optional<std::string> &v) {
        if (v)
            scope += (scope.empty() ? "" : ", ") + std::string(name) + "=" + *v;
    };
    add("tenant", rule.filter.tenant);
    add("model", rule.filter.model);
    add("provider", rule.filter.provider);
    add("prompt", rule.filter.promptName);
    return scope;
}

std::vector<Observation> measureTraffic(const AlertRule &rule, MeasureInputs &in, std::int64_t nowMs)
{
    MetricsRequest request;
    request.window = {nowMs - rule.windowMs, nowMs};
    request.filter = rule.filter;
    request.groupBy = rule.groupBy;
    request.wantErrorTypes = rule.type == AlertType::ErrorRate;
    // Evaluated every few seconds over windows that end now: read the
    // partial minutes from the ts index alone unless a rule needs more.
    request.wantTokensAndRetrieval = rule.type == AlertType::RetrievalEmptyRate;
    request.latencyMode = rule.type == AlertType::LatencyP95 ? LatencyMode::Auto : LatencyMode::Sketch;
    std::vector<Observation> out;
    for (const MetricsGroup &g : in.metrics.query(request).groups) {
        const RollupCell &c = g.totals;
        const auto n = [&](Outcome o) { return c.byOutcome[static_cast<std::size_t>(o)]; };
        Observation o;
        o.group = groupKeyOf(rule, g);
        o.threshold = rule.threshold;
        o.severity = rule.severity;
        std::uint64_t population = c.requests();
        std::uint64_t counted = 0;
        QJsonObject details{{QStringLiteral("window"), qs(duration(rule.windowMs))},
                            {QStringLiteral("requests"), static_cast<qint64>(c.requests())},
                            {QStringLiteral("threshold"), rule.threshold}};
        switch (rule.type) {
        case AlertType::LatencyP95:
            if (!g.latency.p95)
                continue;
            o.value = *g.latency.p95;
            details.insert(QStringLiteral("p95_ms"), o.value);
            if (g.latency.p50)
                details.insert(QStringLiteral("p50_ms"), *g.latency.p50);
            if (g.latency.p99)
                details.insert(QStringLiteral("p99_ms"), *g.latency.p99);
            details.insert(QStringLiteral("exact"), g.latency.exact);
            break;
        case AlertType::ErrorRate:
            counted = n(Outcome::Error) + n(Outcome::Timeout);
            break;
        case AlertType::FallbackRate:
            counted = n(Outcome::Fallback);
            break;
        case AlertType::RetrievalEmptyRate:
            population = c.retrievalRequests;
            counted = c.retrievalEmpty;
            details.insert(QStringLiteral("retrieval_requests"), static_cast<qint64>(population));
            break;
        default:
            continue;
        }
        if (isRatioType(rule.type)) {
            if (population == 0)
                continue;
            o.value = static_cast<double>(counted) / static_cast<double>(population);
            details.insert(QStringLiteral("matching"), static_cast<qint64>(counted));
            details.insert(QStringLiteral("rate"), o.value);
        }
        if (!g.errorTypes.empty()) {
            QJsonObject errors;
            for (const auto &[type, count] : g.errorTypes)
                errors.insert(qs(type), static_cast<qint64>(count));
            details.insert(QStringLiteral("error_types"), errors);
        }
        if (!o.group.empty())
            details.insert(QStringLiteral("group"), qs(o.group));
        if (!rule.filter.empty())
            details.insert(QStringLiteral("filter"), filterJson(rule.filter));
        const bool enough = population >= rule.minRequests;
        o.breaching = enough && o.value > rule.threshold;
        const std::string scope = scopeText(rule, o.group);
        const std::string valueText = rule.type == AlertType::LatencyP95 ? milliseconds(o.value) : percent(o.value);
        const std::string limitText = rule.type == AlertType::LatencyP95 ? milliseconds(rule.threshold) : percent(rule.threshold);
        o.summary = std::string(alertTypeTitle(rule.type)) + " " + valueText + " over the last " +
                    duration(rule.windowMs) + (o.breaching ? " > " : " (limit ") + limitText + (o.breaching ? "" : ")") +
                    (scope.empty() ? "" : " for " + scope) + " (" +
                    (isRatioType(rule.type) ? std::to_string(counted) + " of " : std::string()) +
                    std::to_string(population) + (rule.type == AlertType::RetrievalEmptyRate ? " retrievals)" : " requests)") +
                    (enough ? "" : ", too few requests to judge");
        o.detailsJson = json(details);
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<Observation> measureStall(const AlertRule &rule, MeasureInputs &in, std::int64_t nowMs)
{
    const auto last = in.metrics.lastCommitMs();
    if (!last)
        return {}; // nothing ever arrived: nothing has stalled
    Observation o;
    o.value = static_cast<double>(nowMs - *last);
    o.threshold = rule.threshold;
    o.severity = rule.severity;
    o.breaching = o.value >= rule.threshold;
    o.summary = "no records have arrived for " + duration((nowMs - *last) / kMinuteMs * kMinuteMs) + " (last at " +
                formatRfc3339Ms(*last) + ", limit " + duration(static_cast<std::int64_t>(rule.threshold)) + ")";
    o.detailsJson = json({{QStringLiteral("last_record_at"), qs(formatRfc3339Ms(*last))},
                          {QStringLiteral("minutes_without_records"), static_cast<qint64>((nowMs - *last) / kMinuteMs)},
                          {QStringLiteral("threshold_minutes"), rule.threshold / kMinuteMs}});
    return {o};
}

// Each cost alert has two levels, one alert each: "warn" at the warning share
// of the cap, "page" at the cap.
void addCostLevels(const AlertRule &rule, const std::string &subject, const std::string &groupPrefix, double spent,
                   const EffectiveCap &cap, double projected, const SpendToday &today, const std::string &zoneName,
                   std::vector<Observation> &out)
{
    const double share = cap.usd > 0 ? spent / cap.usd : 0;
    for (const bool page : {false, true}) {
        Observation o;
        o.group = groupPrefix + (groupPrefix.empty() ? "" : ",") + (page ? "level=page" : "level=warn");
        o.value = spent;
        o.threshold = page ? cap.usd : cap.usd * today.warnShare;
        o.severity = page ? rule.severity : Severity::Warning;
        o.breaching = spent >= o.threshold;
        o.summary = subject + " spent " + dollars(spent) + " today, " + percent(share) + " of its " + dollars(cap.usd) +
                    " cap" + (page ? (o.breaching ? ": cap reached" : "") : (o.breaching ? ": past the warning at " + percent(today.warnShare) : "")) +
                    " (projected " + dollars(projected) + " by the end of the day)";
        o.detailsJson = json({{QStringLiteral("spent_usd"), spent},
                              {QStringLiteral("cap_usd"), cap.usd},
                              {QStringLiteral("share_of_cap"), share},
                              {QStringLiteral("warn_share"), today.warnShare},
                              {QStringLiteral("projected_usd"), projected},
                              {QStringLiteral("cap_set"), qs(cap.origin)},
                              {QStringLiteral("day_start"), qs(formatRfc3339Ms(today.day.fromMs))},
                              {QStringLiteral("time_zone"), qs(zoneName)}});
        out.push_back(std::move(o));
    }
}

std::vector<Observation> measureCost(const AlertRule &rule, MeasureInputs &in, std::int64_t nowMs)
{
    const SpendToday today = spendToday(in.metrics, in.caps, nowMs);
    std::vector<Observation> out;
    if (rule.type == AlertType::CostDaily) {
        if (today.dailyCap)
            addCostLevels(rule, "the whole service", "", today.totalUsd, *today.dailyCap, today.projectedUsd, today,
                          in.caps.timeZoneName, out);
        return out;
    }
    for (const TenantSpend &t : today.tenants) {
        if (!t.cap || (rule.filter.tenant && *rule.filter.tenant != t.tenant))
            continue;
        addCostLevels(rule, "tenant " + t.tenant, "tenant=" + t.tenant, t.spentUsd, *t.cap, t.projectedUsd, today,
                      in.caps.timeZoneName, out);
    }
    return out;
}

std::vector<Observation> measureRegression(const AlertRule &rule, MeasureInputs &in, std::int64_t nowMs)
{
    PromptRegressionRule margins = in.regression;
    margins.windowMs = rule.windowMs;
    margins.minRequests = rule.minRequests;
    std::vector<Observation> out;
    for (const PromptActivation &activation : in.activations) {
        if (activation.activatedAtMs > nowMs || activation.activatedAtMs < nowMs - kPromptRegressionLookbackMs)
            continue;
        if (rule.filter.promptName && *rule.filter.promptName != activation.name)
            continue;
        Observation o;
        o.group = "prompt=" + activation.name;
        o.severity = rule.severity;
        const auto finding = detectPromptRegression(in.metrics, activation, margins, nowMs);
        o.breaching = finding.has_value();
        if (finding) {
            o.value = finding->current.errorRate;
            o.threshold = finding->previous.errorRate + margins.errorRateMargin;
            o.summary = finding->summary;
            const auto side = [](const VersionWindowFigures &f) {
                QJsonObject s{{QStringLiteral("sha"), qs(f.sha)},
                              {QStringLiteral("requests"), static_cast<qint64>(f.requests)},
                              {QStringLiteral("error_rate"), f.errorRate}};
                if (f.p95Ms)
                    s.insert(QStringLiteral("p95_ms"), *f.p95Ms);
                return s;
            };
            o.detailsJson = json({{QStringLiteral("prompt"), qs(activation.name)},
                                  {QStringLiteral("activated_at"), qs(formatRfc3339Ms(activation.activatedAtMs))},
                                  {QStringLiteral("activated_by"), qs(activation.by())},
                                  {QStringLiteral("current"), side(finding->current)},
                                  {QStringLiteral("previous"), side(finding->previous)},
                                  {QStringLiteral("error_rate_worse"), finding->errorRateWorse},
                                  {QStringLiteral("p95_worse"), finding->p95Worse},
                                  {QStringLiteral("rollback"), qs("vigilctl prompt rollback " + activation.name)}});
        } else {
            o.summary = "prompt " + activation.name + ": version " + activation.sha.substr(0, 7) +
                        " is no worse than the version before it";
        }
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<Observation> measureNotifications(const AlertRule &rule, MeasureInputs &in, std::int64_t nowMs)
{
    std::vector<Observation> out;
    for (const DestinationHealth &d : in.destinations) {
        Observation o;
        o.group = "destination=" + d.name;
        o.severity = rule.severity;
        o.threshold = rule.threshold;
        if (!d.failingSinceMs) {
            o.summary = "notifications to \"" + d.name + "\" are delivered";
            out.push_back(std::move(o));
            continue;
        }
        o.value = static_cast<double>(nowMs - *d.failingSinceMs);
        const bool rejected = d.rejectedAtMs.has_value();
        o.breaching = rejected || o.value >= rule.threshold;
        const std::string status = d.lastHttpStatus ? "HTTP " + std::to_string(*d.lastHttpStatus) : std::string();
        o.summary = "notifications to \"" + d.name + "\" " +
                    (rejected ? std::string("were refused (") + status + "): not retried"
                              : "have failed for " + duration(std::max<std::int64_t>(0, nowMs - *d.failingSinceMs) / kMinuteMs * kMinuteMs)) +
                    (d.lastError.empty() ? std::string() : ": " + d.lastError);
        QJsonObject details{{QStringLiteral("destination"), qs(d.name)},
                            {QStringLiteral("failing_since"), qs(formatRfc3339Ms(*d.failingSinceMs))},
                            {QStringLiteral("last_error"), qs(d.lastError)}};
        if (d.lastHttpStatus)
            details.insert(QStringLiteral("last_http_status"), *d.lastHttpStatus);
        if (d.lastSuccessMs)
            details.insert(QStringLiteral("last_success_at"), qs(formatRfc3339Ms(*d.lastSuccessMs)));
        o.detailsJson = json(details);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace

AlertRule notificationFailedRule(const AlertSettings &settings)
{
    AlertRule rule;
    rule.name = "notification-failed";
    rule.type = AlertType::NotificationFailed;
    rule.threshold = static_cast<double>(settings.notificationFailedAfterMs);
    rule.severity = Severity::Critical;
    rule.description = "A destination has not accepted notifications for too long, or refused one.";
    return rule;
}

std::vector<Observation> measureRule(const AlertRule &rule, MeasureInputs &inputs, std::int64_t nowMs)
{
    switch (rule.type) {
    case AlertType::LatencyP95:
    case AlertType::ErrorRate:
    case AlertType::FallbackRate:
    case AlertType::RetrievalEmptyRate: return measureTraffic(rule, inputs, nowMs);
    case AlertType::IngestStalled: return measureStall(rule, inputs, nowMs);
    case AlertType::CostDaily:
    case AlertType::CostTenant: return measureCost(rule, inputs, nowMs);
    case AlertType::PromptRegression: return measureRegression(rule, inputs, nowMs);
    case AlertType::NotificationFailed: return measureNotifications(rule, inputs, nowMs);
    }
    return {};
}

} // namespace vigil
