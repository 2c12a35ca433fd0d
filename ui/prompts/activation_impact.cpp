#include "prompts/activation_impact.h"

#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/metrics_reader.h"

#include <QPalette>

#include <algorithm>
#include <cmath>

namespace vigil::ui {

namespace {

ImpactSide measure(MetricsReader &reader, const std::string &prompt, std::int64_t fromMs, std::int64_t toMs)
{
    ImpactSide side;
    side.fromMs = fromMs;
    side.toMs = toMs;
    if (toMs <= fromMs)
        return side;
    MetricsRequest request;
    request.window = {fromMs, toMs};
    request.filter.promptName = prompt;
    const MetricsResult result = reader.query(request);
    if (result.groups.empty())
        return side;
    const MetricsGroup &g = result.groups.front();
    side.requests = g.totals.requests();
    side.p95Ms = g.latency.p95;
    if (side.requests > 0) {
        const auto failed = g.totals.byOutcome[static_cast<int>(Outcome::Error)] +
                            g.totals.byOutcome[static_cast<int>(Outcome::Timeout)];
        side.errorRate = static_cast<double>(failed) / static_cast<double>(side.requests);
        const std::uint64_t costed = side.requests - std::min(side.requests, g.totals.costUnknown);
        if (costed > 0)
            side.costPerRequestUsd = g.totals.costUsd / static_cast<double>(costed);
    }
    return side;
}

QString colour(bool worse, const QPalette &palette)
{
    // Darker shades on a light background, lighter ones on a dark one.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    if (worse)
        return dark ? QStringLiteral("#ff7b72") : QStringLiteral("#b42318");
    return dark ? QStringLiteral("#7ee787") : QStringLiteral("#1a7f37");
}

QString change(std::optional<double> before, std::optional<double> after, const QPalette &palette)
{
    if (!before || !after || *before <= 0)
        return QStringLiteral("–");
    const double ratio = *after / *before - 1;
    if (std::abs(ratio) < 0.05)
        return QStringLiteral("≈");
    return QStringLiteral("<span style=\"color:%1\">%2%3%</span>")
        .arg(colour(ratio > 0, palette), ratio > 0 ? QStringLiteral("+") : QString(), QString::number(ratio * 100, 'f', 0));
}

QString ms(std::optional<double> v)
{
    return v ? QStringLiteral("%1 ms").arg(QString::number(*v, 'f', 0)) : QStringLiteral("–");
}

QString usd(std::optional<double> v)
{
    return v ? QStringLiteral("$%1").arg(QString::number(*v, 'f', 5)) : QStringLiteral("–");
}

QString percent(double v)
{
    return QStringLiteral("%1%").arg(QString::number(v * 100, 'f', 1));
}

} // namespace

ActivationImpact loadActivationImpact(const std::string &storePath, const PromptActivation &activation, int minutes,
                                      std::int64_t nowMs)
{
    ActivationImpact impact;
    impact.activation = activation;
    impact.minutes = minutes;
    const std::int64_t span = static_cast<std::int64_t>(minutes) * 60'000;
    const std::int64_t at = activation.activatedAtMs;
    MetricsReader reader(storePath);
    impact.before = measure(reader, activation.name, at - span, at);
    impact.after = measure(reader, activation.name, at, std::min(at + span, nowMs));
    return impact;
}

QString describeImpact(const ActivationImpact &impact, const QPalette &palette)
{
    const QString title =
        QStringLiteral("<b>%1 minutes around the activation of %2</b> (%3)")
            .arg(impact.minutes)
            .arg(QString::fromStdString(impact.activation.sha.substr(0, 7)),
                 QString::fromStdString(formatRfc3339Ms(impact.activation.activatedAtMs)));
    if (!impact.enough())
        return title + QStringLiteral("<br>Too few requests to compare: %1 before, %2 after (at least %3 on each side).")
                           .arg(impact.before.requests)
                           .arg(impact.after.requests)
                           .arg(ActivationImpact::kMinRequests);
    const ImpactSide &b = impact.before;
    const ImpactSide &a = impact.after;
    QString rows;
    rows += QStringLiteral("<tr><td>requests</td><td align=right>%1</td><td align=right>%2</td><td></td></tr>")
                .arg(b.requests)
                .arg(a.requests);
    rows += QStringLiteral("<tr><td>p95</td><td align=right>%1</td><td align=right>%2</td><td align=right>%3</td></tr>")
                .arg(ms(b.p95Ms), ms(a.p95Ms), change(b.p95Ms, a.p95Ms, palette));
    rows += QStringLiteral("<tr><td>error rate</td><td align=right>%1</td><td align=right>%2</td><td align=right>%3</td></tr>")
                .arg(percent(b.errorRate), percent(a.errorRate),
                     change(b.errorRate > 0 ? std::optional<double>(b.errorRate) : std::nullopt, a.errorRate, palette));
    rows += QStringLiteral("<tr><td>cost per request</td><td align=right>%1</td><td align=right>%2</td><td align=right>%3</td></tr>")
                .arg(usd(b.costPerRequestUsd), usd(a.costPerRequestUsd),
                     change(b.costPerRequestUsd, a.costPerRequestUsd, palette));
    return title + QStringLiteral("<table cellspacing=6><tr><th></th><th align=right>before</th><th align=right>after</th>"
                                  "<th align=right>change</th></tr>") +
           rows + QStringLiteral("</table>");
}

} // namespace vigil::ui
