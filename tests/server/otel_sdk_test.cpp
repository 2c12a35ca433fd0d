// The "done when" of issue 3: the real OpenTelemetry JS SDK exporter
// (tests/server/otel, installed by the npm ci fixture), pointed at
// `vigilctl serve`, in protobuf and JSON, plain and gzip, gets its GenAI spans
// stored as records whose `vigilctl query latency --exact` equals the
// latencies it sent; with a bearer token; and it retries after a 503.
#include "serve_process.h"
#include "stored_records.h"
#include "store_probe.h"
#include "test_support.h"

#include "server/token_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <map>

#ifndef VIGIL_OTEL_DIR
#error "VIGIL_OTEL_DIR must name the folder with send_spans.mjs and its node_modules"
#endif
#ifndef VIGIL_NODE
#error "VIGIL_NODE must name the node executable"
#endif

using namespace vigil::test;

namespace {

constexpr long long kStartMs = 1795742400000; // 2026-11-27T01:20:00Z
const QString kFrom = QStringLiteral("1795742400000");
const QString kTo = QStringLiteral("1795749600000"); // + 2 h

struct SentSpan
{
    std::string spanId;
    std::string traceId;
    double latencyMs = 0;
    std::string model;
    bool failed = false;
};

struct ExportRun
{
    int exitCode = -1;
    int resultCode = -1; // the SDK's ExportResultCode: 0 success, 1 failed
    std::string error;
    std::vector<SentSpan> sent;
    std::string stderrText;
};

QStringList exporterArgs(std::uint16_t port, const QString &protocol, QStringList extra)
{
    return QStringList{QStringLiteral(VIGIL_OTEL_DIR "/send_spans.mjs"), QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:%1/v1/traces").arg(port), QStringLiteral("--protocol"), protocol,
                       QStringLiteral("--start-ms"), QString::number(kStartMs)} +
           extra;
}

ExportRun finish(QProcess &node)
{
    ExportRun run;
    EXPECT_TRUE(node.waitForFinished(180000)) << "the exporter did not finish";
    run.exitCode = node.exitCode();
    run.stderrText = node.readAllStandardError().toStdString();
    const QByteArray out = node.readAllStandardOutput();
    const QJsonObject o = QJsonDocument::fromJson(out).object();
    EXPECT_FALSE(o.isEmpty()) << "exporter printed: " << out.toStdString() << run.stderrText;
    run.resultCode = o.value(QStringLiteral("code")).toInt(-1);
    run.error = o.value(QStringLiteral("error")).toString().toStdString();
    for (const QJsonValue &v : o.value(QStringLiteral("sent")).toArray()) {
        const QJsonObject s = v.toObject();
        run.sent.push_back({s.value(QStringLiteral("span_id")).toString().toStdString(),
                            s.value(QStringLiteral("trace_id")).toString().toStdString(),
                            s.value(QStringLiteral("latency_ms")).toDouble(), s.value(QStringLiteral("model")).toString().toStdString(),
                            s.value(QStringLiteral("failed")).toBool()});
    }
    return run;
}

void startExporter(QProcess &node, std::uint16_t port, const QString &protocol, const QStringList &extra)
{
    node.setWorkingDirectory(QStringLiteral(VIGIL_OTEL_DIR));
    node.start(QStringLiteral(VIGIL_NODE), exporterArgs(port, protocol, extra));
    ASSERT_TRUE(node.waitForStarted(30000));
}

ExportRun runExporter(std::uint16_t port, const QString &protocol, const QStringList &extra = {})
{
    QProcess node;
    startExporter(node, port, protocol, extra);
    return finish(node);
}

QJsonObject queryLatency(const std::string &db, const QStringList &extra = {})
{
    const ProcessResult r = runVigilctl(QStringList{QStringLiteral("query"), QStringLiteral("latency"), QStringLiteral("--db"),
                                                    QString::fromStdString(db), QStringLiteral("--json"), QStringLiteral("--exact"),
                                                    QStringLiteral("--from"), kFrom, QStringLiteral("--to"), kTo} +
                                        extra);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return parseJsonObject(r.out);
}

// The query's answer equals nearest-rank percentiles of what was sent.
void expectLatencies(const QJsonObject &answer, std::vector<double> sent, const std::string &what)
{
    std::sort(sent.begin(), sent.end());
    ASSERT_FALSE(sent.empty());
    EXPECT_EQ(answer.value(QStringLiteral("count")).toInteger(), static_cast<qint64>(sent.size())) << what;
    EXPECT_TRUE(answer.value(QStringLiteral("exact")).toBool()) << what;
    for (const auto &[key, p] : std::vector<std::pair<const char *, double>>{{"p50", 50}, {"p95", 95}, {"p99", 99}}) {
        const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sent.size())));
        EXPECT_EQ(answer.value(QLatin1String(key)).toDouble(), sent[std::max<std::size_t>(rank, 1) - 1]) << what << " " << key;
    }
    EXPECT_EQ(answer.value(QStringLiteral("max")).toDouble(), sent.back()) << what;
    double sum = 0;
    for (double v : sent)
        sum += v;
    EXPECT_NEAR(answer.value(QStringLiteral("mean")).toDouble(), sum / static_cast<double>(sent.size()), 1e-9 * sum) << what;
}

class OtelSdk : public ::testing::Test
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");

    std::unique_ptr<ServeProcess> serve(QStringList extra = {})
    {
        auto s = std::make_unique<ServeProcess>(QStringList{QStringLiteral("--db"), QString::fromStdString(db),
                                                            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                                                    extra,
                                                dir.path("serve.log"));
        EXPECT_TRUE(s->waitUntilListening()) << s->log();
        return s;
    }

    void expectStored(const ExportRun &run)
    {
        const auto stored = storedRecords(db);
        EXPECT_EQ(stored.size(), run.sent.size()) << "the non-LLM span is skipped, every GenAI span stored";
        for (const SentSpan &s : run.sent) {
            const auto it = stored.find(s.spanId);
            ASSERT_NE(it, stored.end()) << "span " << s.spanId << " not stored";
            EXPECT_EQ(it->second.latencyMs, s.latencyMs) << s.spanId;
            EXPECT_EQ(it->second.model, s.model);
            EXPECT_EQ(it->second.traceId, s.traceId);
            EXPECT_EQ(it->second.outcome, s.failed ? "error" : "ok") << s.spanId;
            EXPECT_GE(it->second.tsMs, kStartMs);
        }
    }
};

struct Variant
{
    const char *protocol;
    bool gzip;
};

class OtelSdkExport : public OtelSdk, public ::testing::WithParamInterface<Variant>
{
};

} // namespace

INSTANTIATE_TEST_SUITE_P(Exporters, OtelSdkExport,
                         ::testing::Values(Variant{"proto", false}, Variant{"json", false}, Variant{"proto", true},
                                           Variant{"json", true}),
                         [](const auto &info) {
                             return std::string(info.param.protocol) + (info.param.gzip ? "Gzip" : "Plain");
                         });

TEST_P(OtelSdkExport, StoredLatenciesEqualWhatWasSent)
{
    auto server = serve();
    QStringList extra{QStringLiteral("--count"), QStringLiteral("60"), QStringLiteral("--seed"), QStringLiteral("11")};
    if (GetParam().gzip)
        extra << QStringLiteral("--gzip");
    const ExportRun run = runExporter(server->port(), QString::fromLatin1(GetParam().protocol), extra);
    ASSERT_EQ(run.resultCode, 0) << run.error << run.stderrText << server->log();
    ASSERT_EQ(run.sent.size(), 60u);
    expectStored(run);

    std::vector<double> all;
    std::map<std::string, std::vector<double>> byModel;
    for (const SentSpan &s : run.sent) {
        all.push_back(s.latencyMs);
        byModel[s.model].push_back(s.latencyMs);
    }
    expectLatencies(queryLatency(db), all, "all spans");
    const QJsonArray groups = queryLatency(db, {QStringLiteral("--by"), QStringLiteral("model")})
                                  .value(QStringLiteral("groups"))
                                  .toArray();
    ASSERT_EQ(groups.size(), static_cast<qsizetype>(byModel.size()));
    for (const QJsonValue &g : groups) {
        const std::string model = g.toObject().value(QStringLiteral("key")).toString().toStdString();
        ASSERT_TRUE(byModel.count(model)) << model;
        expectLatencies(g.toObject(), byModel[model], model);
    }
    // The encoding and compression really were what the test says.
    const std::string log = server->log();
    EXPECT_NE(log.find("POST /v1/traces 200"), std::string::npos) << log;
}

TEST_F(OtelSdk, OpenInferenceSpansThroughTheSdk)
{
    auto server = serve();
    const ExportRun run = runExporter(server->port(), QStringLiteral("proto"),
                                      {QStringLiteral("--convention"), QStringLiteral("openinference"), QStringLiteral("--count"),
                                       QStringLiteral("10"), QStringLiteral("--tenant"), QStringLiteral("acme")});
    ASSERT_EQ(run.resultCode, 0) << run.error << server->log();
    const auto stored = storedRecords(db);
    ASSERT_EQ(stored.size(), 10u);
    for (std::size_t i = 0; i < run.sent.size(); ++i) {
        const StoredRecord &r = stored.at(run.sent[i].spanId);
        EXPECT_EQ(r.latencyMs, run.sent[i].latencyMs);
        EXPECT_EQ(r.tenant, "acme") << "tenant.id of the resource";
        EXPECT_EQ(r.inputTokens, static_cast<std::int64_t>(100 + i));
        EXPECT_EQ(r.outputTokens, static_cast<std::int64_t>(20 + i));
        EXPECT_EQ(r.user, "user-" + std::to_string(i));
    }
}

TEST_F(OtelSdk, BearerToken)
{
    const std::string token = "otel-exporter-token-0123456789";
    const std::string tokenFile = dir.path("tokens.toml");
    writeFile(tokenFile, "[[token]]\nname = \"sdk\"\nsha256 = \"" +
                             vigil::TokenStore::hash(QByteArray::fromStdString(token)).toHex().toStdString() + "\"\n");
    auto server = serve({QStringLiteral("--token-file"), QString::fromStdString(tokenFile)});

    const ExportRun refused = runExporter(server->port(), QStringLiteral("proto"),
                                          {QStringLiteral("--count"), QStringLiteral("5"), QStringLiteral("--token"),
                                           QStringLiteral("not-the-right-token-at-all")});
    EXPECT_EQ(refused.resultCode, 1) << "the exporter reports the refusal";
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);

    const ExportRun run = runExporter(server->port(), QStringLiteral("json"),
                                      {QStringLiteral("--count"), QStringLiteral("20"), QStringLiteral("--token"),
                                       QString::fromStdString(token)});
    ASSERT_EQ(run.resultCode, 0) << run.error << server->log();
    expectStored(run);
    std::vector<double> latencies;
    for (const SentSpan &s : run.sent)
        latencies.push_back(s.latencyMs);
    expectLatencies(queryLatency(db), latencies, "with token");
    EXPECT_EQ(server->log().find(token), std::string::npos) << "the token is never logged";
}

TEST_F(OtelSdk, ExporterRetriesAfterA503)
{
    auto server = serve();
    // Another process holds the store's write lock: the first export waits
    // out the busy timeout and is answered 503 with Retry-After.
    auto holder = std::make_unique<StoreProbe>(db);
    holder->database().exec("BEGIN IMMEDIATE");
    QProcess node;
    startExporter(node, server->port(), QStringLiteral("proto"),
                  {QStringLiteral("--count"), QStringLiteral("15"), QStringLiteral("--timeout-ms"), QStringLiteral("90000")});
    ASSERT_TRUE(waitUntil([&] { return server->log().find("POST /v1/traces 503") != std::string::npos; }, 90000))
        << server->log();
    holder->database().exec("ROLLBACK");
    holder.reset();

    const ExportRun run = finish(node);
    ASSERT_EQ(run.resultCode, 0) << "the exporter gave up: " << run.error << "\n" << server->log();
    const std::string log = server->log();
    const auto refusal = log.find("POST /v1/traces 503");
    const auto success = log.find("POST /v1/traces 200");
    ASSERT_NE(success, std::string::npos) << log;
    EXPECT_LT(refusal, success) << "503 first, then the retry succeeded: " << log;
    expectStored(run);
}
