#include "audit/audit_format.h"

#include "audit/audit_chunk.h"
#include "util/format.h"

#include "store/labels.h"

#include <QDateTime>

namespace vigil::ui {

QString formatCallTime(std::int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs).toString(QStringLiteral("MMM d HH:mm:ss.zzz"));
}

QString formatPrompt(const std::string &name, const std::string &version)
{
    if (name.empty())
        return {};
    if (version.empty())
        return QString::fromStdString(name);
    return QString::fromStdString(name + "@" + promptVersionKey(version));
}

QString formatTokens(std::optional<std::int64_t> in, std::optional<std::int64_t> out)
{
    if (!in && !out)
        return QStringLiteral("-");
    const auto part = [](std::optional<std::int64_t> v) { return v ? formatCount(*v) : QStringLiteral("?"); };
    return part(in) + QStringLiteral(" → ") + part(out);
}

QString plainSnippet(const QString &marked)
{
    QString plain = marked;
    plain.remove(QLatin1Char(kMatchOpen)).remove(QLatin1Char(kMatchClose));
    plain.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    return plain;
}

} // namespace vigil::ui
