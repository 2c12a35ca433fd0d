// vigilctl alerts: check the rules, see and handle alerts, caps, and run the evaluator.
#include "alerts_cli.h"
#include "commands.h"

#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/alert_store.h"
#include "store/store_error.h"

#include <QFileInfo>

#include <map>

namespace vigil::cli {

namespace {
const char *const kDescription =
    "Alerts, notifications and cost caps.\n"
    "  check-config [--config FILE]      validate vigil.toml (default ./vigil.toml, else the shipped\n"
    "                                    default config); names the line of every mistake and the\n"
    "                                    caps whose review is overdue (exit 1 on mistakes)\n"
    "  list [--all]                      firing, pending and silenced alerts\n"
    "  history [--since 24h] [--key K]   state changes, acknowledgements, silences\n"
    "  ack KEY [--reason TEXT]           acknowledge a firing alert (no more reminders)\n"
    "  silence KEY|RULE --for 2h --reason TEXT   mute notifications (the alert still shows)\n"
    "  unsilence ID [--reason TEXT]      end a silence early\n"
    "  caps                              spend today per tenant against the caps, projection\n"
    "  caps set daily|default|TENANT USD [--reviewed-on DATE] [--reason TEXT]\n"
    "  caps reset daily|default|TENANT [--reason TEXT]   back to vigil.toml's value\n"
    "  outbox [--status S] [--retry ID]  notifications waiting, delivered or refused\n"
    "  evaluate [--now T] [--catch-up] [--deliver] [--wait 30s]   evaluate once (and deliver)\n"
    "  run                               evaluate and deliver until SIGINT/SIGTERM (as serve does)\n"
    "Rules come from [alerts] of the config (else the shipped defaults); destinations'\n"
    "secrets from the environment or the keychain (see the default config's comments).";
} // namespace

int AlertsContext::fail(const QString &message, int code) const
{
    err() << command << ": " << message << '\n';
    err().flush();
    return code;
}

std::int64_t AlertsContext::now() const
{
    const std::int64_t clock = currentTimeMs();
    if (!parser.isSet(QStringLiteral("now")))
        return clock;
    return parseTimePointMs(parser.value(QStringLiteral("now")).toStdString(), clock).value_or(clock);
}

QString formatTime(std::int64_t ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    const std::string t = formatRfc3339Ms(ms);
    return QString::fromStdString(t.substr(0, 10) + " " + t.substr(11, 5) + " UTC");
}

QString formatSpan(std::int64_t ms)
{
    ms = std::max<std::int64_t>(0, ms);
    const std::int64_t minutes = ms / 60'000;
    if (minutes < 60)
        return QString::number(minutes) + QStringLiteral("m");
    return QString::number(minutes / 60) + QStringLiteral("h") + QStringLiteral("%1m").arg(minutes % 60, 2, 10, QLatin1Char('0'));
}

int runAlerts(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(kDescription));
    addCommonOptions(parser);
    parser.addOptions({
        {QStringLiteral("reason"), QStringLiteral("ack, silence, unsilence, caps: why (kept in the operator log)."), QStringLiteral("text")},
        {QStringLiteral("for"), QStringLiteral("silence: how long (1m to 30d)."), QStringLiteral("duration")},
        {QStringLiteral("since"), QStringLiteral("history: how far back (default 24h)."), QStringLiteral("duration"), QStringLiteral("24h")},
        {QStringLiteral("key"), QStringLiteral("history: one alert's dedup key."), QStringLiteral("key")},
        {QStringLiteral("all"), QStringLiteral("list: also alerts that are not active.")},
        {QStringLiteral("now"), QStringLiteral("evaluate, caps, list: pin \"now\" (replays, tests)."), QStringLiteral("time")},
        {QStringLiteral("catch-up"), QStringLiteral("evaluate: also every step since the last evaluation (catch_up at most).")},
        {QStringLiteral("deliver"), QStringLiteral("evaluate: deliver the outbox before exiting.")},
        {QStringLiteral("wait"), QStringLiteral("evaluate --deliver: at most this long (default 30s)."), QStringLiteral("duration"), QStringLiteral("30s")},
        {QStringLiteral("status"), QStringLiteral("outbox: pending, delivered, rejected or abandoned."), QStringLiteral("status")},
        {QStringLiteral("retry"), QStringLiteral("outbox: send a refused or abandoned message again."), QStringLiteral("id")},
        {QStringLiteral("reviewed-on"), QStringLiteral("caps set: when the cap was reviewed (default today)."), QStringLiteral("date")},
        {QStringLiteral("strict"), QStringLiteral("check-config: overdue cap reviews fail the check too.")},
        {QStringLiteral("limit"), QStringLiteral("history, outbox: at most this many (default 50)."), QStringLiteral("n"), QStringLiteral("50")},
    });
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("check-config, list, history, ack, silence, unsilence, caps, outbox, evaluate or run"),
                                 QStringLiteral("ACTION [ARGS...]"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (!pos.isEmpty())
        pos.removeFirst();
    if (action == QStringLiteral("check-config")) {
        if (!pos.isEmpty()) {
            err() << "vigilctl alerts check-config: give the file with --config FILE\n";
            return BadUsage;
        }
        return alertsCheckConfig(parser, parser.value(QStringLiteral("config")), wantsJson(parser));
    }
    using Handler = int (*)(AlertsContext &);
    struct Shape
    {
        Handler handler;
        qsizetype minArgs;
        qsizetype maxArgs;
        const char *usage;
    };
    static const std::map<QString, Shape> shapes = {
        {QStringLiteral("list"), {alertsList, 0, 0, "list [--all]"}},
        {QStringLiteral("history"), {alertsHistory, 0, 0, "history [--since 24h] [--key KEY]"}},
        {QStringLiteral("outbox"), {alertsOutbox, 0, 0, "outbox [--status S] [--retry ID]"}},
        {QStringLiteral("ack"), {alertsAck, 1, 1, "ack KEY [--reason TEXT]"}},
        {QStringLiteral("silence"), {alertsSilence, 1, 1, "silence KEY|RULE --for DURATION --reason TEXT"}},
        {QStringLiteral("unsilence"), {alertsUnsilence, 1, 1, "unsilence ID [--reason TEXT]"}},
        {QStringLiteral("caps"), {alertsCaps, 0, 3, "caps | caps set daily|default|TENANT USD | caps reset daily|default|TENANT"}},
        {QStringLiteral("evaluate"), {alertsEvaluate, 0, 0, "evaluate [--now T] [--catch-up] [--deliver] [--wait 30s]"}},
        {QStringLiteral("run"), {alertsRun, 0, 0, "run"}},
    };
    const auto shape = shapes.find(action);
    if (shape == shapes.end()) {
        err() << "vigilctl alerts: "
              << (action.isEmpty() ? QStringLiteral("give an action") : QStringLiteral("unknown action \"%1\"").arg(action))
              << "\n\n" << parser.helpText();
        return BadUsage;
    }
    AlertsContext c{parser, pos, QStringLiteral("vigilctl alerts ") + action, wantsJson(parser), {}, {}};
    if (pos.size() < shape->second.minArgs || pos.size() > shape->second.maxArgs)
        return c.fail(QStringLiteral("usage: vigilctl alerts %1").arg(QLatin1String(shape->second.usage)), BadUsage);
    if (parser.isSet(QStringLiteral("now")) &&
        !parseTimePointMs(parser.value(QStringLiteral("now")).toStdString(), currentTimeMs()))
        return c.fail(QStringLiteral("--now is not a time (RFC 3339 or epoch milliseconds)"), BadUsage);
    if (auto code = loadEnvironment(parser, c.env))
        return *code;
    c.setup = alertSetupFor(c.env.config);
    if (!QFileInfo::exists(QString::fromStdString(c.env.storePath)))
        return c.fail(QStringLiteral("%1: no Vigil store here (ingest data first, or pass --db)")
                          .arg(QString::fromStdString(c.env.storePath)),
                      BadUsage);
    try {
        return shape->second.handler(c);
    } catch (const AlertActionRefused &e) {
        return c.fail(QString::fromUtf8(e.what()), BadUsage);
    } catch (const StoreError &e) {
        return c.fail(QString::fromUtf8(e.what()), e.kind() == StoreErrorKind::NotFound ? BadUsage : RuntimeFailure);
    }
}

} // namespace vigil::cli
