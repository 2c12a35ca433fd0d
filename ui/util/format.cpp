#include "util/format.h"

#include <QDateTime>
#include <QLocale>

#include <cmath>

namespace vigil::ui {

QString formatMs(std::optional<double> ms)
{
    if (!ms)
        return QStringLiteral("-");
    if (*ms >= 10000)
        return QString::number(*ms / 1000, 'f', 1) + QStringLiteral(" s");
    return QString::number(*ms, 'f', *ms < 10 ? 2 : 0) + QStringLiteral(" ms");
}

QString formatUsd(double usd)
{
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 1 ? 4 : 2);
}

QString formatCount(long long value)
{
    QString digits = QString::number(value < 0 ? -value : value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return value < 0 ? QLatin1Char('-') + digits : digits;
}

QString formatPercent(std::optional<double> ratio)
{
    return ratio ? QString::number(*ratio * 100, 'f', 2) + QLatin1Char('%') : QStringLiteral("-");
}

QString formatRelativeChange(std::optional<double> now, std::optional<double> before)
{
    if (!now)
        return {};
    if (!before || *before <= 0)
        return QStringLiteral("new");
    const double change = (*now / *before - 1) * 100;
    const long long rounded = std::llround(change);
    return (rounded > 0 ? QStringLiteral("+") : QString()) + QString::number(rounded) + QLatin1Char('%');
}

QString formatPointChange(std::optional<double> now, std::optional<double> before)
{
    if (!now)
        return {};
    if (!before)
        return QStringLiteral("new");
    const double points = (*now - *before) * 100;
    return (points >= 0.05 ? QStringLiteral("+") : QString()) + QString::number(points, 'f', 1) +
           QStringLiteral(" pp");
}

QString formatClock(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("HH:mm:ss"));
}

QString formatDateTime(std::int64_t epochMs)
{
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(epochMs), QStringLiteral("MMM d HH:mm"));
}

QString formatAge(std::int64_t ageMs)
{
    const std::int64_t s = std::max<std::int64_t>(0, ageMs / 1000);
    if (s < 90)
        return QString::number(s) + QStringLiteral(" s");
    const std::int64_t m = (s + 30) / 60;
    if (m < 90)
        return QString::number(m) + QStringLiteral(" min");
    const std::int64_t h = m / 60;
    if (h < 48)
        return QString::number(h) + QStringLiteral(" h ") + QString::number(m % 60) + QStringLiteral(" min");
    return QString::number(h / 24) + QStringLiteral(" d");
}

QString formatWindow(std::int64_t fromMs, std::int64_t toMs)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(toMs);
    const bool sameDay = from.date() == to.date();
    const QString fromText = sameDay ? from.toString(QStringLiteral("HH:mm"))
                                     : QLocale::c().toString(from, QStringLiteral("MMM d HH:mm"));
    const QString toText = sameDay ? to.toString(QStringLiteral("HH:mm"))
                                   : QLocale::c().toString(to, QStringLiteral("MMM d HH:mm"));
    return fromText + QStringLiteral(" – ") + toText;
}

} // namespace vigil::ui
