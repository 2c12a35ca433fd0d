// vigilctl audit: search, show, export, verify, checkpoint, purge, hold, release, operator-log.
#include "cli.h"
#include "commands.h"
#include "query_options.h"
#include "text_table.h"

#include "audit/search_query.h"
#include "audit/text_extract.h"
#include "record/timestamp.h"
#include "store/audit_reader.h"
#include "store/chain_verifier.h"
#include "store/fts_indexer.h"
#include "store/operator_log_store.h"
#include "store/retention.h"
#include "store/store_error.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSaveFile>

#include <cstdio>

namespace vigil::cli {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonValue optionalJson(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue();
}

QJsonValue rawJson(const std::string &json)
{
    if (json.empty())
        return QJsonValue();
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString("[" + json + "]"));
    return doc.isArray() && !doc.array().isEmpty() ? doc.array().first() : QJsonValue(qs(json));
}

// The record as NDJSON in the spec's form: re-ingestible as it is. Computed
// costs are left out so re-ingest computes them again (and remembers that).
QJsonObject recordJson(const Record &r)
{
    QJsonObject o;
    if (!r.attributesJson.empty()) {
        const QJsonObject attributes = rawJson(r.attributesJson).toObject();
        for (auto it = attributes.begin(); it != attributes.end(); ++it)
            o.insert(it.key(), it.value());
    }
    o.insert(QStringLiteral("ts"), qs(formatRfc3339Ms(r.tsMs)));
    o.insert(QStringLiteral("request_id"), qs(r.requestId));
    o.insert(QStringLiteral("tenant"), qs(r.tenant));
    o.insert(QStringLiteral("model"), qs(r.model));
    o.insert(QStringLiteral("latency_ms"), r.latencyMs);
    o.insert(QStringLiteral("outcome"), QString::fromUtf8(outcomeName(r.outcome).data()));
    auto text = [&o](const char *key, const std::string &v) {
        if (!v.empty())
            o.insert(QLatin1String(key), qs(v));
    };
    text("provider", r.provider);
    text("prompt_name", r.promptName);
    text("prompt_version", r.promptVersion);
    text("error_type", r.errorType);
    text("user", r.user);
    text("trace_id", r.traceId);
    text("session_id", r.sessionId);
    if (r.inputTokens)
        o.insert(QStringLiteral("input_tokens"), static_cast<qint64>(*r.inputTokens));
    if (r.outputTokens)
        o.insert(QStringLiteral("output_tokens"), static_cast<qint64>(*r.outputTokens));
    if (r.costUsd && r.costSource == CostSource::Reported)
        o.insert(QStringLiteral("cost_usd"), *r.costUsd);
    if (r.retrievalHits)
        o.insert(QStringLiteral("retrieval_hits"), static_cast<qint64>(*r.retrievalHits));
    if (!r.inputJson.empty())
        o.insert(QStringLiteral("input"), rawJson(r.inputJson));
    if (r.output)
        o.insert(QStringLiteral("output"), qs(*r.output));
    if (!r.retrievalContextJson.empty())
        o.insert(QStringLiteral("retrieval_context"), rawJson(r.retrievalContextJson));
    if (!r.actionJson.empty())
        o.insert(QStringLiteral("action"), rawJson(r.actionJson));
    return o;
}

void appendJsonString(QByteArray &out, const std::string &s)
{
    static const char hexDigits[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20) {
            out += "\\u00";
            out += hexDigits[c >> 4];
            out += hexDigits[c & 0xF];
        } else {
            out += ch;
        }
    }
    out += '"';
}

// One NDJSON line of an export. The JSON-valued fields (input, retrieval
// context, action) and the attributes go out as the text they were stored
// as, so re-ingesting the line stores the same bytes: going through
// QJsonObject would sort their keys and respell numbers (1000.0, big ids).
QByteArray recordNdjson(const Record &r)
{
    QByteArray line;
    line.reserve(static_cast<qsizetype>(512 + r.inputJson.size() + r.output.value_or(std::string()).size() +
                                        r.retrievalContextJson.size() + r.actionJson.size() + r.attributesJson.size()));
    auto key = [&line](const char *name) {
        line += line.isEmpty() ? "{\"" : ",\"";
        line += name;
        line += "\":";
    };
    auto text = [&](const char *name, const std::string &v) {
        if (!v.empty()) {
            key(name);
            appendJsonString(line, v);
        }
    };
    auto integer = [&](const char *name, const std::optional<std::int64_t> &v) {
        if (v) {
            key(name);
            line += QByteArray::number(static_cast<qint64>(*v));
        }
    };
    auto real = [&](const char *name, double v) {
        key(name);
        line += QByteArray::number(v, 'g', QLocale::FloatingPointShortest);
    };
    auto raw = [&](const char *name, const std::string &json) {
        if (!json.empty()) {
            key(name);
            line += QByteArray::fromStdString(json);
        }
    };
    key("ts");
    appendJsonString(line, formatRfc3339Ms(r.tsMs));
    text("request_id", r.requestId);
    text("tenant", r.tenant);
    text("model", r.model);
    text("provider", r.provider);
    text("prompt_name", r.promptName);
    text("prompt_version", r.promptVersion);
    real("latency_ms", r.latencyMs);
    key("outcome");
    appendJsonString(line, std::string(outcomeName(r.outcome)));
    text("error_type", r.errorType);
    integer("input_tokens", r.inputTokens);
    integer("output_tokens", r.outputTokens);
    // Computed costs are left out so re-ingest computes them again (and remembers that).
    if (r.costUsd && r.costSource == CostSource::Reported)
        real("cost_usd", *r.costUsd);
    integer("retrieval_hits", r.retrievalHits);
    text("user", r.user);
    text("trace_id", r.traceId);
    text("session_id", r.sessionId);
    raw("input", r.inputJson);
    if (r.output) {
        key("output");
        appendJsonString(line, *r.output);
    }
    raw("retrieval_context", r.retrievalContextJson);
    raw("action", r.actionJson);
    // The fields the spec does not name, at the top level where they came from.
    if (r.attributesJson.size() > 2 && r.attributesJson.front() == '{' && r.attributesJson.back() == '}') {
        line += ',';
        line += QByteArray::fromStdString(r.attributesJson.substr(1, r.attributesJson.size() - 2));
    }
    line += "}\n";
    return line;
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
        !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

void addAuditFilterOptions(QCommandLineParser &parser)
{
    addWindowOptions(parser, QStringLiteral("24h"));
    addFilterOptions(parser);
    parser.addOption({QStringLiteral("user"), QStringLiteral("Only this end user."), QStringLiteral("user")});
    parser.addOption({QStringLiteral("outcome"), QStringLiteral("Only these outcomes (comma-separated)."), QStringLiteral("list")});
    parser.addOption({QStringLiteral("error-type"), QStringLiteral("Only this error type."), QStringLiteral("type")});
    parser.addOption({QStringLiteral("latency-above"), QStringLiteral("Only calls slower than this (ms)."), QStringLiteral("ms")});
    parser.addOption({QStringLiteral("cost-above"), QStringLiteral("Only calls costing more (USD)."), QStringLiteral("usd")});
    parser.addOption({QStringLiteral("trace"), QStringLiteral("Only this trace id."), QStringLiteral("id")});
    parser.addOption({QStringLiteral("session"), QStringLiteral("Only this session id."), QStringLiteral("id")});
    parser.addOption({QStringLiteral("sort"), QStringLiteral("time (default), -time, latency, -latency, cost, -cost (- = ascending)."), QStringLiteral("key")});
}

std::optional<QString> readAuditFilter(const QCommandLineParser &parser, AuditFilter &f, AuditSort &sort)
{
    std::int64_t now = 0;
    if (auto problem = readWindow(parser, QStringLiteral("24h"), f.window, now))
        return problem;
    f.labels = readFilter(parser);
    auto text = [&](const char *name, std::optional<std::string> &field) {
        if (parser.isSet(QLatin1String(name)))
            field = parser.value(QLatin1String(name)).toStdString();
    };
    text("user", f.user);
    text("error-type", f.errorType);
    text("trace", f.traceId);
    text("session", f.sessionId);
    if (parser.isSet(QStringLiteral("outcome"))) {
        for (const QString &name : parser.value(QStringLiteral("outcome")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto o = outcomeFromName(name.trimmed().toStdString());
            if (!o)
                return QStringLiteral("--outcome: \"%1\" is not one of ok, error, timeout, fallback, refused, blocked").arg(name);
            f.outcomes.insert(*o);
        }
    }
    for (const auto &[name, field] : {std::pair{"latency-above", &f.latencyAboveMs}, std::pair{"cost-above", &f.costAboveUsd}}) {
        if (!parser.isSet(QLatin1String(name)))
            continue;
        bool ok = false;
        *field = parser.value(QLatin1String(name)).toDouble(&ok);
        if (!ok)
            return QStringLiteral("--%1 must be a number").arg(QLatin1String(name));
    }
    sort = AuditSort::TimeDesc;
    if (parser.isSet(QStringLiteral("sort"))) {
        const QString key = parser.value(QStringLiteral("sort"));
        if (key == QStringLiteral("time")) sort = AuditSort::TimeDesc;
        else if (key == QStringLiteral("-time")) sort = AuditSort::TimeAsc;
        else if (key == QStringLiteral("latency")) sort = AuditSort::LatencyDesc;
        else if (key == QStringLiteral("-latency")) sort = AuditSort::LatencyAsc;
        else if (key == QStringLiteral("cost")) sort = AuditSort::CostDesc;
        else if (key == QStringLiteral("-cost")) sort = AuditSort::CostAsc;
        else return QStringLiteral("--sort: \"%1\" is not time, latency or cost (with - for ascending)").arg(key);
    }
    return std::nullopt;
}

// Catches up the search index, with progress on a terminal.
void catchUpIndex(const std::string &storePath, bool quiet)
{
    FtsIndexer indexer(storePath);
    const std::int64_t pending = indexer.pending();
    if (pending == 0)
        return;
    const bool show = !quiet && stderrIsTerminal();
    if (!quiet)
        err() << "Indexing " << formatCount(pending) << " records for search...\n";
    err().flush();
    indexer.catchUp(&interrupted(), [&](const FtsIndexer::Progress &p) {
        if (show) {
            err() << "\r  " << formatCount(p.indexed) << " indexed, " << formatCount(p.remaining) << " to go\x1b[K";
            err().flush();
        }
    });
    if (show)
        err() << "\r\x1b[K";
}

int search(const QCommandLineParser &parser, const Environment &env, const QStringList &pos)
{
    AuditFilter filter;
    AuditSort sort;
    if (auto problem = readAuditFilter(parser, filter, sort)) {
        err() << "vigilctl audit search: " << *problem << '\n';
        return BadUsage;
    }
    const QString queryText = pos.mid(1).join(QLatin1Char(' '));
    if (!queryText.trimmed().isEmpty()) {
        SearchQueryError error;
        filter.search = parseSearchQuery(queryText.toStdString(), error);
        if (!filter.search) {
            err() << "vigilctl audit search: the query has a mistake at " << qs(error.text()) << "\n  "
                  << queryText << "\n  " << QString(static_cast<int>(error.position) - 1, QLatin1Char(' ')) << "^\n";
            return BadUsage;
        }
    }
    bool ok = false;
    const qint64 limit = parser.value(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || limit < 1) {
        err() << "vigilctl audit search: --limit must be a positive number\n";
        return BadUsage;
    }
    catchUpIndex(env.storePath, wantsJson(parser));
    AuditReader reader(env.storePath);
    const std::int64_t total = reader.count(filter);
    std::vector<AuditRow> rows = reader.page(filter, sort, 0, limit);
    QJsonArray results;
    TextTable table({QStringLiteral("TIME"), QStringLiteral("REQUEST"), QStringLiteral("TENANT"), QStringLiteral("MODEL"),
                     QStringLiteral("OUTCOME"), QStringLiteral("LATENCY"), QStringLiteral("SNIPPET")},
                    5);
    for (const AuditRow &row : rows) {
        std::string snippet;
        if (filter.search) {
            const auto full = reader.byRowId(row.rowId);
            if (full) {
                const Record &r = full->record;
                for (const std::string &text : {extractText(r.inputJson), r.output.value_or(std::string()),
                                                extractText(r.retrievalContextJson)}) {
                    if (!findMatches(text, *filter.search).empty()) {
                        snippet = makeSnippet(text, *filter.search);
                        break;
                    }
                }
            }
        }
        const Record &r = row.record;
        results.append(QJsonObject{{QStringLiteral("request_id"), qs(r.requestId)},
                                   {QStringLiteral("ts"), qs(formatRfc3339Ms(r.tsMs))},
                                   {QStringLiteral("tenant"), qs(r.tenant)},
                                   {QStringLiteral("model"), qs(r.model)},
                                   {QStringLiteral("provider"), qs(r.provider)},
                                   {QStringLiteral("prompt"), r.promptName.empty() ? QJsonValue() : QJsonValue(qs(r.promptName + "@" + r.promptVersion))},
                                   {QStringLiteral("outcome"), QString::fromUtf8(outcomeName(r.outcome).data())},
                                   {QStringLiteral("error_type"), r.errorType.empty() ? QJsonValue() : QJsonValue(qs(r.errorType))},
                                   {QStringLiteral("latency_ms"), r.latencyMs},
                                   {QStringLiteral("cost_usd"), optionalJson(r.costUsd)},
                                   {QStringLiteral("snippet"), qs(snippet)}});
        table.addRow({qs(formatRfc3339Ms(r.tsMs)).left(19), qs(r.requestId), qs(r.tenant), qs(r.model),
                      QString::fromUtf8(outcomeName(r.outcome).data()), formatMs(r.latencyMs), qs(snippet)});
    }
    if (wantsJson(parser)) {
        printJson({{QStringLiteral("total"), static_cast<qint64>(total)}, {QStringLiteral("results"), results}});
        return Ok;
    }
    if (rows.empty()) {
        out() << "No model calls match.\n";
        return Ok;
    }
    table.print(out());
    out() << '\n' << formatCount(total) << " match" << (total == 1 ? "" : "es") << "; showing "
          << rows.size() << ". vigilctl audit show REQUEST_ID for one.\n";
    return Ok;
}

int show(const QCommandLineParser &parser, const Environment &env, const QStringList &pos)
{
    if (pos.size() != 2) {
        err() << "vigilctl audit show: give one REQUEST_ID\n";
        return BadUsage;
    }
    AuditReader reader(env.storePath);
    const auto row = reader.byRequestId(pos[1].toStdString());
    if (!row) {
        err() << "vigilctl audit show: no model call with request_id \"" << pos[1] << "\"\n";
        return BadUsage;
    }
    const Record &r = row->record;
    QJsonObject o = recordJson(r);
    o.insert(QStringLiteral("cost_usd"), optionalJson(r.costUsd));
    o.insert(QStringLiteral("cost_source"), r.costSource == CostSource::Reported ? QStringLiteral("reported")
                                            : r.costSource == CostSource::Computed ? QStringLiteral("computed")
                                                                                  : QStringLiteral("unknown"));
    o.insert(QStringLiteral("redacted"), r.redacted);
    o.insert(QStringLiteral("row_hash"), QString::fromLatin1(QByteArray::fromStdString(r.rowHash).toHex()));
    if (wantsJson(parser)) {
        printJson(o);
        return Ok;
    }
    out() << QJsonDocument(o).toJson(QJsonDocument::Indented);
    return Ok;
}

int exportCalls(const QCommandLineParser &parser, const Environment &env)
{
    AuditFilter filter;
    AuditSort sort;
    if (auto problem = readAuditFilter(parser, filter, sort)) {
        err() << "vigilctl audit export: " << *problem << '\n';
        return BadUsage;
    }
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QStringLiteral("ndjson") && format != QStringLiteral("csv")) {
        err() << "vigilctl audit export: --format must be ndjson or csv\n";
        return BadUsage;
    }
    // Open the output before any work: an unwritable path fails at once.
    QFile stdoutFile;
    QSaveFile file;
    QIODevice *device = nullptr;
    const QString outputPath = parser.value(QStringLiteral("output"));
    if (outputPath.isEmpty() || outputPath == QStringLiteral("-")) {
        if (!stdoutFile.open(stdout, QIODevice::WriteOnly)) {
            err() << "vigilctl audit export: cannot write to stdout\n";
            return RuntimeFailure;
        }
        device = &stdoutFile;
    } else {
        file.setFileName(outputPath);
        if (!file.open(QIODevice::WriteOnly)) {
            err() << "vigilctl audit export: cannot write " << outputPath << ": " << file.errorString() << '\n';
            return RuntimeFailure;
        }
        device = &file;
    }
    if (sort == AuditSort::TimeDesc && !parser.isSet(QStringLiteral("sort")))
        sort = AuditSort::TimeAsc; // an export reads best oldest first
    AuditReader reader(env.storePath);
    const std::int64_t total = reader.count(filter);
    const bool progress = stderrIsTerminal() && device == &file;
    std::int64_t written = 0;
    bool writeOk = true;
    if (format == QStringLiteral("csv"))
        writeOk = device->write("ts,request_id,tenant,model,provider,prompt_name,prompt_version,latency_ms,outcome,"
                                "error_type,input_tokens,output_tokens,cost_usd,retrieval_hits,user,trace_id,session_id\n") > 0;
    reader.forEach(filter, sort, [&](const AuditRow &row) {
        const Record &r = row.record;
        QByteArray line;
        if (format == QStringLiteral("ndjson")) {
            line = recordNdjson(r);
        } else {
            const QStringList fields{qs(formatRfc3339Ms(r.tsMs)), qs(r.requestId), qs(r.tenant), qs(r.model),
                                     qs(r.provider), qs(r.promptName), qs(r.promptVersion),
                                     QString::number(r.latencyMs, 'g', 17), QString::fromUtf8(outcomeName(r.outcome).data()),
                                     qs(r.errorType), r.inputTokens ? QString::number(*r.inputTokens) : QString(),
                                     r.outputTokens ? QString::number(*r.outputTokens) : QString(),
                                     r.costUsd ? QString::number(*r.costUsd, 'g', 17) : QString(),
                                     r.retrievalHits ? QString::number(*r.retrievalHits) : QString(), qs(r.user),
                                     qs(r.traceId), qs(r.sessionId)};
            QStringList quoted;
            for (const QString &f : fields)
                quoted << csvField(f);
            line = quoted.join(QLatin1Char(',')).toUtf8() + '\n';
        }
        if (device->write(line) != line.size()) {
            writeOk = false;
            return false;
        }
        ++written;
        if (progress && written % 1000 == 0) {
            err() << "\r  exported " << formatCount(written) << " of " << formatCount(total) << "\x1b[K";
            err().flush();
        }
        return !interrupted().load();
    });
    if (progress)
        err() << "\r\x1b[K";
    if (!writeOk || (device == &file && !file.commit())) {
        err() << "vigilctl audit export: writing failed (disk full?): " << device->errorString() << '\n';
        return RuntimeFailure;
    }
    if (device == &file)
        err() << "Exported " << formatCount(written) << " model calls to " << outputPath << '\n';
    return Ok;
}

int verify(const QCommandLineParser &parser, const Environment &env)
{
    std::optional<ExternalCheckpoint> checkpoint;
    if (parser.isSet(QStringLiteral("checkpoint"))) {
        QFile f(parser.value(QStringLiteral("checkpoint")));
        if (!f.open(QIODevice::ReadOnly)) {
            err() << "vigilctl audit verify: cannot read " << f.fileName() << '\n';
            return BadUsage;
        }
        std::string error;
        checkpoint = ExternalCheckpoint::fromJson(f.readAll().toStdString(), error);
        if (!checkpoint) {
            err() << "vigilctl audit verify: " << f.fileName() << ": " << qs(error) << '\n';
            return BadUsage;
        }
    }
    ChainVerifier verifier(env.storePath);
    const VerifyReport report = verifier.verify(checkpoint, &interrupted());
    QJsonObject o{{QStringLiteral("ok"), report.ok},
                  {QStringLiteral("links"), static_cast<qint64>(report.links)},
                  {QStringLiteral("records"), static_cast<qint64>(report.records)},
                  {QStringLiteral("operator_entries"), static_cast<qint64>(report.operatorEntries)},
                  {QStringLiteral("unchained_records"), static_cast<qint64>(report.unchainedRecords)},
                  {QStringLiteral("head_seq"), static_cast<qint64>(report.headSeq)},
                  {QStringLiteral("head_hash"), qs(report.headHashHex)}};
    if (report.firstBreak) {
        const ChainBreak &b = *report.firstBreak;
        QJsonArray ids;
        for (const auto &id : b.requestIds)
            ids.append(qs(id));
        o.insert(QStringLiteral("broken"), QJsonObject{{QStringLiteral("seq"), static_cast<qint64>(b.seq)},
                                                       {QStringLiteral("where"), qs(b.what)},
                                                       {QStringLiteral("damage"), QString::fromLatin1(tamperKindName(b.kind))},
                                                       {QStringLiteral("message"), qs(b.message)},
                                                       {QStringLiteral("records"), ids}});
    }
    if (wantsJson(parser)) {
        printJson(o);
    } else if (report.ok) {
        out() << "The audit chain holds: " << formatCount(report.records) << " records in " << formatCount(report.links)
              << " links (" << formatCount(report.operatorEntries) << " operator-log entries), head " << report.headSeq
              << ' ' << qs(report.headHashHex).left(16) << "...\n";
        if (report.unchainedRecords)
            out() << formatCount(report.unchainedRecords) << " records were stored before the chain existed and are not covered.\n";
    } else {
        const ChainBreak &b = *report.firstBreak;
        out() << "The audit chain is BROKEN at link " << b.seq << " (" << qs(b.what) << "): "
              << tamperKindName(b.kind) << ".\n  " << qs(b.message) << '\n';
        if (!b.requestIds.empty()) {
            out() << "  records:";
            for (const auto &id : b.requestIds)
                out() << ' ' << qs(id);
            out() << '\n';
        }
    }
    return report.ok ? Ok : CheckFailed;
}

int checkpointCommand(const QCommandLineParser &parser, const Environment &env)
{
    const ExternalCheckpoint c = recordChainCheckpoint(env.storePath, "manual");
    const QString exportPath = parser.value(QStringLiteral("export"));
    if (!exportPath.isEmpty()) {
        QSaveFile f(exportPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(QByteArray::fromStdString(c.toJson())) < 0 || !f.commit()) {
            err() << "vigilctl audit checkpoint: cannot write " << exportPath << '\n';
            return RuntimeFailure;
        }
        err() << "Checkpoint of link " << c.seq << " written to " << exportPath
              << "; keep it outside this machine and verify with --checkpoint.\n";
    }
    out() << qs(c.toJson());
    return Ok;
}

RetentionPolicy policyFrom(const QCommandLineParser &parser, const Environment &env, bool &ok)
{
    RetentionPolicy policy = retentionPolicy(env);
    ok = true;
    if (parser.isSet(QStringLiteral("days"))) {
        policy.payloadDays = parser.value(QStringLiteral("days")).toInt(&ok);
        ok = ok && policy.payloadDays >= kMinPayloadDays;
    }
    return policy;
}

int purge(const QCommandLineParser &parser, const Environment &env)
{
    bool ok = false;
    const RetentionPolicy policy = policyFrom(parser, env, ok);
    if (!ok) {
        err() << "vigilctl audit purge: --days must be a positive number\n";
        return BadUsage;
    }
    std::int64_t now = currentTimeMs();
    if (parser.isSet(QStringLiteral("now"))) {
        const auto t = parseTimePointMs(parser.value(QStringLiteral("now")).toStdString(), now);
        if (!t) {
            err() << "vigilctl audit purge: --now is not a time\n";
            return BadUsage;
        }
        now = *t;
    }
    Retention retention(env.storePath);
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    const PurgeSummary s = dryRun ? retention.plan(policy, now)
                                  : retention.purge(policy, now, currentActor(), &interrupted());
    QJsonObject byTenant;
    for (const auto &[tenant, n] : s.recordsByTenant)
        byTenant.insert(qs(tenant), static_cast<qint64>(n));
    QJsonArray held;
    for (const auto &t : s.heldTenants)
        held.append(qs(t));
    if (wantsJson(parser)) {
        QJsonObject o{{QStringLiteral("dry_run"), dryRun},
                      {QStringLiteral("records"), static_cast<qint64>(s.records)},
                      {QStringLiteral("records_by_tenant"), byTenant},
                      {QStringLiteral("rollup_rows"), static_cast<qint64>(s.rollupRows)},
                      {QStringLiteral("quarantine_rows"), static_cast<qint64>(s.quarantineRows)},
                      {QStringLiteral("held_tenants"), held},
                      {QStringLiteral("transactions"), static_cast<qint64>(s.transactions)},
                      {QStringLiteral("longest_transaction_ms"), s.longestTransactionMs}};
        if (s.checkpointSeq)
            o.insert(QStringLiteral("chain_checkpoint_seq"), static_cast<qint64>(*s.checkpointSeq));
        printJson(o);
        return Ok;
    }
    out() << (dryRun ? "Would delete " : "Deleted ") << formatCount(s.records) << " records past retention ("
          << policy.payloadDays << " days by default), " << formatCount(s.rollupRows) << " rollup rows (older than "
          << policy.rollupDays << " days), " << formatCount(s.quarantineRows) << " quarantined lines.\n";
    for (const auto &[tenant, n] : s.recordsByTenant)
        out() << "  " << qs(tenant) << ": " << formatCount(n) << " (" << policy.daysFor(tenant) << " days)\n";
    for (const auto &t : s.heldTenants)
        out() << "  " << qs(t) << ": on legal hold, nothing deleted\n";
    if (!dryRun && s.checkpointSeq)
        out() << "The chain up to link " << *s.checkpointSeq << " is now summarised by a checkpoint.\n";
    return Ok;
}

int holdCommand(const QCommandLineParser &parser, const Environment &env, const QStringList &pos, bool hold)
{
    if (pos.size() != 2 || !parser.isSet(QStringLiteral("reason"))) {
        err() << "vigilctl audit " << pos[0] << ": give a TENANT and --reason\n";
        return BadUsage;
    }
    Retention retention(env.storePath);
    const std::string tenant = pos[1].toStdString();
    const std::string reason = parser.value(QStringLiteral("reason")).toStdString();
    if (hold) {
        retention.hold(tenant, reason, currentActor());
        out() << "Legal hold on " << pos[1] << ": its records are kept until released.\n";
    } else if (!retention.release(tenant, reason, currentActor())) {
        err() << "vigilctl audit release: " << pos[1] << " is not on hold\n";
        return BadUsage;
    } else {
        out() << "Legal hold on " << pos[1] << " released.\n";
    }
    return Ok;
}

int operatorLog(const QCommandLineParser &parser, const Environment &env)
{
    OperatorLog::Filter filter;
    if (parser.isSet(QStringLiteral("since"))) {
        const auto d = parseDurationMs(parser.value(QStringLiteral("since")).toStdString());
        if (!d) {
            err() << "vigilctl audit operator-log: --since is not a duration\n";
            return BadUsage;
        }
        filter.fromMs = currentTimeMs() - *d;
    }
    if (parser.isSet(QStringLiteral("action")))
        filter.action = parser.value(QStringLiteral("action")).toStdString();
    bool ok = false;
    filter.limit = parser.value(QStringLiteral("limit")).toLongLong(&ok);
    if (!ok || filter.limit < 1) {
        err() << "vigilctl audit operator-log: --limit must be a positive number\n";
        return BadUsage;
    }
    OperatorLog log(env.storePath);
    const auto entries = log.list(filter);
    if (wantsJson(parser)) {
        QJsonArray list;
        for (const auto &e : entries) {
            auto opt = [](const std::optional<std::string> &v) { return v ? QJsonValue(qs(*v)) : QJsonValue(); };
            list.append(QJsonObject{{QStringLiteral("id"), static_cast<qint64>(e.id)},
                                    {QStringLiteral("at"), qs(formatRfc3339Ms(e.at))},
                                    {QStringLiteral("actor"), qs(e.actor)},
                                    {QStringLiteral("host"), qs(e.host)},
                                    {QStringLiteral("action"), qs(e.action.action)},
                                    {QStringLiteral("subject"), qs(e.action.subject)},
                                    {QStringLiteral("from"), opt(e.action.fromValue)},
                                    {QStringLiteral("to"), opt(e.action.toValue)},
                                    {QStringLiteral("reason"), opt(e.action.reason)},
                                    {QStringLiteral("details"), e.action.details ? rawJson(*e.action.details) : QJsonValue()}});
        }
        printJson({{QStringLiteral("entries"), list}});
        return Ok;
    }
    if (entries.empty()) {
        out() << "The operator log is empty" << (filter.action || filter.fromMs ? " for these filters" : "") << ".\n";
        return Ok;
    }
    TextTable t({QStringLiteral("WHEN"), QStringLiteral("WHO"), QStringLiteral("ACTION"), QStringLiteral("SUBJECT"),
                 QStringLiteral("FROM -> TO"), QStringLiteral("WHY")},
                6);
    for (const auto &e : entries)
        t.addRow({qs(formatRfc3339Ms(e.at)).left(19), qs(e.actor + "@" + e.host), qs(e.action.action),
                  qs(e.action.subject),
                  e.action.fromValue || e.action.toValue
                      ? qs(e.action.fromValue.value_or("-") + " -> " + e.action.toValue.value_or("-"))
                      : QString(),
                  qs(e.action.reason.value_or(""))});
    t.print(out());
    return Ok;
}

} // namespace

int runAudit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The audit trail of every model call.\n"
        "  search [QUERY]            calls matching filters and a full-text query: words (all must\n"
        "                            match), \"phrases\", prefix*, OR, NOT or -word, (groups)\n"
        "  show REQUEST_ID           one call with its input, output, retrieval context and action\n"
        "  export --format ndjson|csv [--output FILE]   the matching calls (NDJSON re-ingests as is)\n"
        "  verify [--checkpoint FILE]  check the hash chain; exit 1 naming the first broken link\n"
        "  checkpoint [--export FILE]  record the chain head; keep the file somewhere else\n"
        "  purge [--dry-run]         delete what is past retention ([retention] in vigil.toml)\n"
        "  hold TENANT --reason R    legal hold: suspend deletion for a tenant; release TENANT --reason R\n"
        "  operator-log              every change made through Vigil: who, when, what, why"));
    addCommonOptions(parser);
    addAuditFilterOptions(parser);
    parser.addOption({QStringLiteral("limit"), QStringLiteral("search/operator-log: at most this many (default 50)."), QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption({QStringLiteral("format"), QStringLiteral("export: ndjson or csv."), QStringLiteral("format"), QStringLiteral("ndjson")});
    parser.addOption({QStringLiteral("output"), QStringLiteral("export: the file to write (default stdout)."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("checkpoint"), QStringLiteral("verify: an exported checkpoint to check against."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("export"), QStringLiteral("checkpoint: also write it to this file."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("purge: only show what would go.")});
    parser.addOption({QStringLiteral("days"), QStringLiteral("purge: keep records this many days (overrides the config)."), QStringLiteral("n")});
    parser.addOption({QStringLiteral("reason"), QStringLiteral("hold/release: why."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("action"), QStringLiteral("operator-log: only this action, or a prefix like prompt."), QStringLiteral("name")});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("search, show, export, verify, checkpoint, purge, hold, release, operator-log"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty()) {
        err() << "vigilctl audit: say what to do\n\n" << parser.helpText();
        return BadUsage;
    }
    Environment env;
    if (auto code = loadEnvironment(parser, env))
        return *code;
    installInterruptHandler();
    const QString command = pos[0];
    try {
        if (command == QStringLiteral("search"))
            return search(parser, env, pos);
        if (command == QStringLiteral("show"))
            return show(parser, env, pos);
        if (command == QStringLiteral("export"))
            return exportCalls(parser, env);
        if (command == QStringLiteral("verify"))
            return verify(parser, env);
        if (command == QStringLiteral("checkpoint"))
            return checkpointCommand(parser, env);
        if (command == QStringLiteral("purge"))
            return purge(parser, env);
        if (command == QStringLiteral("hold") || command == QStringLiteral("release"))
            return holdCommand(parser, env, pos, command == QStringLiteral("hold"));
        if (command == QStringLiteral("operator-log"))
            return operatorLog(parser, env);
    } catch (const StoreError &e) {
        err() << "vigilctl audit " << command << ": " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    err() << "vigilctl audit: unknown command \"" << command << "\"\n\n" << parser.helpText();
    return BadUsage;
}

} // namespace vigil::cli
