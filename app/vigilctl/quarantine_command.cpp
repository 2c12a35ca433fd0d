// vigilctl quarantine list|show ID
#include "cli.h"
#include "commands.h"
#include "text_table.h"

#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/quarantine_reader.h"
#include "store/store_error.h"

#include <QJsonArray>

namespace vigil::cli {

namespace {

// Raw bytes shown safely: printable ASCII and valid UTF-8 as is, the rest as \xNN.
QString printable(const std::string &raw)
{
    QString out;
    const QByteArray bytes = QByteArray::fromStdString(raw);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += QLatin1Char(static_cast<char>(c));
        } else if (c >= 0x80) {
            // Try a whole UTF-8 sequence.
            int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
            bool valid = len > 0 && i + len <= bytes.size();
            for (int k = 1; valid && k < len; ++k)
                valid = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
            if (valid) {
                const QString decoded = QString::fromUtf8(bytes.mid(i, len));
                if (!decoded.contains(QChar::ReplacementCharacter)) {
                    out += decoded;
                    i += len - 1;
                    continue;
                }
            }
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        } else {
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
    }
    return out;
}

QJsonObject toJson(const QuarantinedLine &q, bool withRaw)
{
    QJsonObject o{{QStringLiteral("id"), static_cast<qint64>(q.id)},
                  {QStringLiteral("received_at"), QString::fromStdString(formatRfc3339Ms(q.receivedAtMs))},
                  {QStringLiteral("source"), QString::fromStdString(q.source)},
                  {QStringLiteral("line"), q.line ? QJsonValue(static_cast<qint64>(*q.line)) : QJsonValue()},
                  {QStringLiteral("byte_offset"),
                   q.byteOffset ? QJsonValue(static_cast<qint64>(*q.byteOffset)) : QJsonValue()},
                  {QStringLiteral("reason"), QString::fromStdString(q.reason)},
                  {QStringLiteral("detail"), QString::fromStdString(q.detail)},
                  {QStringLiteral("raw_size"), static_cast<qint64>(q.rawSize)}};
    if (withRaw) {
        o.insert(QStringLiteral("raw"), printable(q.raw));
        o.insert(QStringLiteral("raw_truncated"), static_cast<qint64>(q.raw.size()) < q.rawSize);
    }
    return o;
}

} // namespace

int runQuarantine(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Lines that were not stored, with their source, line, byte offset and reason.\n"
        "  list            newest first (filters: --reason, --source, --since, --limit)\n"
        "  show ID         one entry with the first 4 KiB of the raw line"));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("reason"), QStringLiteral("Only this reason (e.g. invalid_json)."), QStringLiteral("code")});
    parser.addOption({QStringLiteral("source"), QStringLiteral("Only this source (file path)."), QStringLiteral("source")});
    parser.addOption({QStringLiteral("since"), QStringLiteral("Only entries received in this last duration."), QStringLiteral("duration")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many (default 50)."), QStringLiteral("n"), QStringLiteral("50")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, or show ID"),
                                 QStringLiteral("list|show ID"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList pos = parser.positionalArguments();
    const bool list = pos.size() == 1 && pos[0] == QStringLiteral("list");
    const bool show = pos.size() == 2 && pos[0] == QStringLiteral("show");
    if (!list && !show) {
        err() << "vigilctl quarantine: use \"list\" or \"show ID\"\n\n" << parser.helpText();
        return BadUsage;
    }
    QuarantineReader::Filter filter;
    if (parser.isSet(QStringLiteral("reason")))
        filter.reason = parser.value(QStringLiteral("reason")).toStdString();
    if (parser.isSet(QStringLiteral("source")))
        filter.source = parser.value(QStringLiteral("source")).toStdString();
    if (parser.isSet(QStringLiteral("since"))) {
        const auto d = parseDurationMs(parser.value(QStringLiteral("since")).toStdString());
        if (!d) {
            err() << "vigilctl quarantine: --since: \"" << parser.value(QStringLiteral("since"))
                  << "\" is not a duration (e.g. 15m, 1h, 7d)\n\n" << parser.helpText();
            return BadUsage;
        }
        filter.sinceMs = currentTimeMs() - *d;
    }
    bool ok = false;
    filter.limit = parser.value(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || filter.limit < 1) {
        err() << "vigilctl quarantine: --limit must be a positive number\n";
        return BadUsage;
    }
    qint64 id = 0;
    if (show) {
        id = pos[1].toLongLong(&ok);
        if (!ok) {
            err() << "vigilctl quarantine show: \"" << pos[1] << "\" is not an entry id\n";
            return BadUsage;
        }
    }
    Environment env;
    if (auto code = loadEnvironment(parser, env))
        return *code;
    try {
        QuarantineReader reader(env.storePath);
        if (show) {
            const auto q = reader.get(id);
            if (!q) {
                err() << "vigilctl quarantine show: no entry " << id << '\n';
                return BadUsage;
            }
            if (wantsJson(parser)) {
                printJson(toJson(*q, true));
            } else {
                out() << "entry     " << q->id << '\n'
                      << "received  " << QString::fromStdString(formatRfc3339Ms(q->receivedAtMs)) << '\n'
                      << "source    " << QString::fromStdString(q->source);
                if (q->line)
                    out() << ':' << *q->line;
                out() << '\n';
                if (q->byteOffset)
                    out() << "offset    byte " << *q->byteOffset << '\n';
                out() << "reason    " << QString::fromStdString(q->reason) << ": "
                      << QString::fromStdString(q->detail) << '\n'
                      << "size      " << formatCount(q->rawSize) << " bytes"
                      << (static_cast<qint64>(q->raw.size()) < q->rawSize ? " (first 4 KiB below)" : "")
                      << "\n\n" << printable(q->raw) << '\n';
            }
            return Ok;
        }
        const auto rows = reader.list(filter);
        const auto total = reader.count(filter);
        if (wantsJson(parser)) {
            QJsonArray entries;
            for (const auto &q : rows)
                entries.append(toJson(q, false));
            QJsonObject byReason;
            for (const auto &[reason, count] : reader.countByReason(filter))
                byReason.insert(QString::fromStdString(reason), static_cast<qint64>(count));
            printJson({{QStringLiteral("total"), static_cast<qint64>(total)},
                       {QStringLiteral("by_reason"), byReason},
                       {QStringLiteral("entries"), entries}});
            return Ok;
        }
        if (rows.empty()) {
            out() << "The quarantine is empty" << (filter.reason || filter.source || filter.sinceMs ? " for these filters" : "") << ".\n";
            return Ok;
        }
        TextTable t({QStringLiteral("ID"), QStringLiteral("RECEIVED"), QStringLiteral("SOURCE:LINE"),
                     QStringLiteral("REASON")},
                    4);
        for (const auto &q : rows) {
            QString where = QString::fromStdString(q.source);
            if (q.line)
                where += QLatin1Char(':') + QString::number(*q.line);
            t.addRow({QString::number(q.id), QString::fromStdString(formatRfc3339Ms(q.receivedAtMs)).left(19),
                      where, QString::fromStdString(q.reason + ": " + q.detail).left(100)});
        }
        t.print(out());
        out() << "\n" << formatCount(total) << " in all; vigilctl quarantine show ID for one.\n";
    } catch (const StoreError &e) {
        err() << "vigilctl: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    return Ok;
}

} // namespace vigil::cli
