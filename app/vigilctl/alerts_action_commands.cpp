// vigilctl alerts ack|silence|unsilence: operator actions, each with its operator-log entry.
#include "alerts_cli.h"

#include "alerts/alert_board.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"

namespace vigil::cli {

namespace {
std::string reasonOf(const AlertsContext &c)
{
    return c.parser.value(QStringLiteral("reason")).toStdString();
}
} // namespace

int alertsAck(AlertsContext &c)
{
    AlertBoard board(c.env.storePath, c.setup);
    const AlertState s = board.acknowledge(c.args[0].toStdString(), reasonOf(c), currentActor(), currentTimeMs());
    if (c.json) {
        printJson({{QStringLiteral("key"), QString::fromStdString(s.dedupKey)},
                   {QStringLiteral("acknowledged_by"), QString::fromStdString(s.acknowledged->by)},
                   {QStringLiteral("episode"), static_cast<qint64>(s.episode)}});
        return Ok;
    }
    out() << "acknowledged " << QString::fromStdString(s.dedupKey) << " (episode " << s.episode
          << "): no more reminders for it" << (s.triggerQueued ? "; PagerDuty is told too" : "") << '\n';
    return Ok;
}

int alertsSilence(AlertsContext &c)
{
    if (!c.parser.isSet(QStringLiteral("for")))
        return c.fail(QStringLiteral("--for DURATION is required (e.g. --for 2h)"), BadUsage);
    const auto duration = parseDurationMs(c.parser.value(QStringLiteral("for")).toStdString());
    if (!duration)
        return c.fail(QStringLiteral("--for is not a duration (e.g. 30m, 2h, 1d)"), BadUsage);
    AlertBoard board(c.env.storePath, c.setup);
    const Silence s = board.silence(c.args[0].toStdString(), *duration, reasonOf(c), currentActor(), currentTimeMs());
    if (c.json) {
        printJson({{QStringLiteral("id"), static_cast<qint64>(s.id)},
                   {QStringLiteral("target"), QString::fromStdString(s.target)},
                   {QStringLiteral("until"), QString::fromStdString(formatRfc3339Ms(s.endsAtMs))},
                   {QStringLiteral("by"), QString::fromStdString(s.by)}});
        return Ok;
    }
    out() << "silence " << s.id << ": " << QString::fromStdString(s.target) << " sends no notifications until "
          << formatTime(s.endsAtMs) << " (it still shows as firing); end it early with vigilctl alerts unsilence "
          << s.id << '\n';
    return Ok;
}

int alertsUnsilence(AlertsContext &c)
{
    bool ok = false;
    const qlonglong id = c.args[0].toLongLong(&ok);
    if (!ok)
        return c.fail(QStringLiteral("give the silence's id (vigilctl alerts list shows it)"), BadUsage);
    AlertBoard board(c.env.storePath, c.setup);
    const Silence s = board.unsilence(id, reasonOf(c), currentActor(), currentTimeMs());
    out() << "silence " << s.id << " of " << QString::fromStdString(s.target) << " ended\n";
    return Ok;
}

} // namespace vigil::cli
