#include "query_options.h"

namespace vigil::cli {

void addWindowOptions(QCommandLineParser &parser, const QString &defaultSince)
{
    parser.addOption({QStringLiteral("since"),
                      QStringLiteral("Window ending now: 15m, 1h, 24h, 7d, ... (default %1).")
                          .arg(defaultSince),
                      QStringLiteral("duration")});
    parser.addOption({QStringLiteral("from"),
                      QStringLiteral("Window start (RFC 3339 or epoch ms), inclusive."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("to"),
                      QStringLiteral("Window end (RFC 3339 or epoch ms), exclusive (default now)."),
                      QStringLiteral("time")});
    parser.addOption({QStringLiteral("now"),
                      QStringLiteral("Pin \"now\" (RFC 3339 or epoch ms) for replays and tests."),
                      QStringLiteral("time")});
}

void addFilterOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("tenant"), QStringLiteral("Only this tenant."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("model"), QStringLiteral("Only this model."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("provider"), QStringLiteral("Only this provider."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("prompt"),
                      QStringLiteral("Only this prompt, optionally one version (a SHA prefix matches)."),
                      QStringLiteral("name[@version]")});
}

std::optional<QString> readWindow(const QCommandLineParser &parser, const QString &defaultSince,
                                  TimeWindow &window, std::int64_t &now)
{
    now = currentTimeMs();
    if (parser.isSet(QStringLiteral("now"))) {
        const QString text = parser.value(QStringLiteral("now"));
        const auto t = parseTimePointMs(text.toStdString(), now);
        if (!t)
            return QStringLiteral("--now: \"%1\" is not a time (RFC 3339 or epoch milliseconds)").arg(text);
        now = *t;
    }
    const bool hasSince = parser.isSet(QStringLiteral("since"));
    const bool hasFrom = parser.isSet(QStringLiteral("from"));
    const bool hasTo = parser.isSet(QStringLiteral("to"));
    if (hasSince && (hasFrom || hasTo))
        return QStringLiteral("--since cannot be combined with --from/--to");
    if (hasFrom || hasTo) {
        if (!hasFrom)
            return QStringLiteral("--to needs --from");
        const QString fromText = parser.value(QStringLiteral("from"));
        const auto from = parseTimePointMs(fromText.toStdString(), now);
        if (!from)
            return QStringLiteral("--from: \"%1\" is not a time (RFC 3339 or epoch milliseconds)").arg(fromText);
        std::optional<std::int64_t> to = now;
        if (hasTo) {
            const QString toText = parser.value(QStringLiteral("to"));
            to = parseTimePointMs(toText.toStdString(), now);
            if (!to)
                return QStringLiteral("--to: \"%1\" is not a time (RFC 3339 or epoch milliseconds)").arg(toText);
        }
        if (*to <= *from)
            return QStringLiteral("--to must be after --from");
        window = {*from, *to};
        return std::nullopt;
    }
    const QString sinceText = hasSince ? parser.value(QStringLiteral("since"))
                                       : defaultSince;
    const auto since = parseDurationMs(sinceText.toStdString());
    if (!since)
        return QStringLiteral("--since: \"%1\" is not a duration (e.g. 15m, 1h, 24h, 7d)").arg(sinceText);
    window = {now - *since, now};
    return std::nullopt;
}

LabelFilter readFilter(const QCommandLineParser &parser)
{
    LabelFilter f;
    auto read = [&](const char *name, std::optional<std::string> &field) {
        if (parser.isSet(QLatin1String(name)))
            field = parser.value(QLatin1String(name)).toStdString();
    };
    read("tenant", f.tenant);
    read("model", f.model);
    read("provider", f.provider);
    if (parser.isSet(QStringLiteral("prompt")))
        f.setPrompt(parser.value(QStringLiteral("prompt")).toStdString());
    return f;
}

} // namespace vigil::cli
