// GET /healthz and GET /metrics: what they say before and after traffic,
// checked against what was sent, and the Prometheus text well-formed.
#include "otlp_builder.h"
#include "raw_http.h"
#include "test_server.h"
#include "test_support.h"

#include "metrics/time_window.h"
#include "record/timestamp.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <gtest/gtest.h>

#include <map>
#include <sstream>

using namespace vigil::test;
namespace otlp = vigil::test::otlp;

namespace {

QJsonObject health(std::uint16_t port, int expectedStatus = 200)
{
    const auto r = httpRequest(port, "GET", "/healthz");
    EXPECT_TRUE(r);
    if (!r)
        return {};
    EXPECT_EQ(r->status, expectedStatus) << r->body;
    return QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
}

// name{labels} -> value, every sample line of a Prometheus text exposition.
std::map<std::string, double> samples(const std::string &text)
{
    static const QRegularExpression sample(
        QStringLiteral(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})?) (\S+)$)"));
    std::map<std::string, double> out;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0)
            continue;
        const auto m = sample.match(QString::fromStdString(line));
        EXPECT_TRUE(m.hasMatch()) << "not a Prometheus sample line: " << line;
        if (!m.hasMatch())
            continue;
        bool ok = false;
        const QString value = m.captured(4);
        const double v = value == QStringLiteral("+Inf") ? 1e300 : value.toDouble(&ok);
        EXPECT_TRUE(ok || value == QStringLiteral("+Inf")) << line;
        EXPECT_TRUE(out.emplace(m.captured(1).toStdString(), v).second) << "duplicate sample " << line;
    }
    return out;
}

} // namespace

TEST(StatusEndpoints, HealthzReportsTheStoreAndTheLastCommit)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    InProcessServer server(db);
    const QJsonObject before = health(server.port());
    EXPECT_EQ(before.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    EXPECT_EQ(before.value(QStringLiteral("store")).toString().toStdString(), db);
    EXPECT_TRUE(before.value(QStringLiteral("store_writable")).toBool());
    EXPECT_EQ(before.value(QStringLiteral("queue_depth")).toInt(-1), 0);
    EXPECT_TRUE(before.value(QStringLiteral("last_commit")).isNull()) << "nothing committed yet";
    EXPECT_FALSE(before.contains(QStringLiteral("last_error")));

    const std::int64_t sentAt = vigil::currentTimeMs();
    const auto r = httpPost(server.port(), "/v1/requests", "application/x-ndjson", recordLine("h-1") + "\n");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    const QJsonObject after = health(server.port());
    const auto last = vigil::parseRfc3339Ms(after.value(QStringLiteral("last_commit")).toString().toStdString());
    ASSERT_TRUE(last) << "last_commit is an RFC 3339 time";
    EXPECT_GE(*last, sentAt - 1000);
    EXPECT_LE(*last, vigil::currentTimeMs() + 1000);
}

TEST(StatusEndpoints, MetricsCountWhatHappened)
{
    TempDir dir;
    InProcessServer server(dir.path("store.db"));
    const std::uint16_t port = server.port();
    // 3 accepted + 1 bad; then the same 3 again (duplicates); a 404; a 415.
    const std::string body = recordLine("mx-1") + "\n" + recordLine("mx-2") + "\n" + recordLine("mx-3") + "\n";
    ASSERT_EQ(httpPost(port, "/v1/requests", "application/x-ndjson", body + "{broken\n")->status, 200);
    ASSERT_EQ(httpPost(port, "/v1/requests", "application/x-ndjson", body)->status, 200);
    ASSERT_EQ(httpRequest(port, "GET", "/no/such/path")->status, 404);
    ASSERT_EQ(httpPost(port, "/v1/requests", "text/csv", "a,b")->status, 415);
    // OTLP: one LLM span, two that are not.
    otlp::Export e;
    e.spans = {otlp::span("00000000000b0001", 1795745584123, 10, {{"gen_ai.request.model", "gpt-4o"}}),
               otlp::span("00000000000b0002", 1795745584123, 10, {{"db.system", "sqlite"}}),
               otlp::span("00000000000b0003", 1795745584123, 10, {})};
    ASSERT_EQ(httpPost(port, "/v1/traces", "application/x-protobuf", otlp::toProtobuf(e))->status, 200);

    // The access log (and the metrics) are updated once the answer is written:
    // poll until the last request shows.
    std::map<std::string, double> m;
    std::string text;
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto r = httpRequest(port, "GET", "/metrics");
            if (!r || r->status != 200)
                return false;
            EXPECT_EQ(r->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
            text = r->body;
            m = samples(text);
            // A batch's answer goes out from its commit callback, a moment
            // before the writer takes it off the queue: wait for both.
            return m["vigil_http_requests_total{path=\"/v1/traces\",status=\"200\"}"] == 1 &&
                   m["vigil_write_queue_depth"] == 0;
        },
        30000))
        << text;

    EXPECT_EQ(m["vigil_records_accepted_total"], 4);
    EXPECT_EQ(m["vigil_records_duplicate_total"], 3);
    EXPECT_EQ(m["vigil_records_rejected_total{reason=\"invalid_json\"}"], 1);
    EXPECT_EQ(m["vigil_spans_skipped_total"], 2);
    EXPECT_EQ(m["vigil_http_requests_total{path=\"/v1/requests\",status=\"200\"}"], 2);
    EXPECT_EQ(m["vigil_http_requests_total{path=\"/v1/requests\",status=\"415\"}"], 1);
    EXPECT_EQ(m["vigil_http_requests_total{path=\"other\",status=\"404\"}"], 1) << "unknown paths share one label";
    EXPECT_EQ(m["vigil_write_queue_depth"], 0);
    EXPECT_GT(m["vigil_store_size_bytes"], 0);
    EXPECT_GT(m["vigil_last_ingest_timestamp_seconds"], 1.7e9);
    EXPECT_GE(m["vigil_http_open_connections"], 1);

    // The duration histogram: cumulative buckets, +Inf equal to the count.
    const std::string prefix = "vigil_http_request_duration_seconds_bucket{path=\"/v1/requests\",le=\"";
    double previous = 0;
    for (const char *le : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}) {
        const auto it = m.find(prefix + le + "\"}");
        ASSERT_NE(it, m.end()) << "no bucket le=" << le << "\n" << text;
        EXPECT_GE(it->second, previous) << le;
        previous = it->second;
    }
    EXPECT_EQ(previous, m["vigil_http_request_duration_seconds_count{path=\"/v1/requests\"}"]);
    EXPECT_EQ(previous, 3);
    EXPECT_GT(m["vigil_http_request_duration_seconds_sum{path=\"/v1/requests\"}"], 0);
    // Every metric is announced with its type.
    for (const char *name : {"vigil_records_accepted_total counter", "vigil_http_request_duration_seconds histogram",
                             "vigil_write_queue_depth gauge", "vigil_store_size_bytes gauge"})
        EXPECT_NE(text.find(std::string("# TYPE ") + name), std::string::npos) << name;
}
