// POST /v1/requests over a real socket: each content type, the answer's
// shape, bad lines quarantined with the request as their source, 400 when
// every line is bad, retries reported as duplicates, 404/405/415.
#include "raw_http.h"
#include "stored_records.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace vigil::test;

namespace {

constexpr long long kTs = 1795745584123; // 2026-11-27T02:13:04.123Z

QJsonObject jsonBody(const HttpResponse &r)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(r.body));
    EXPECT_TRUE(doc.isObject()) << "not a JSON object: " << r.body;
    return doc.object();
}

// The documented answer: {"accepted","duplicates","rejected","errors":[{"index","reason"}]}.
void expectCounts(const HttpResponse &r, qint64 accepted, qint64 duplicates, qint64 rejected)
{
    const QJsonObject o = jsonBody(r);
    EXPECT_EQ(o.keys(), (QStringList{QStringLiteral("accepted"), QStringLiteral("duplicates"), QStringLiteral("errors"),
                                     QStringLiteral("rejected")}))
        << r.body;
    EXPECT_EQ(o.value(QStringLiteral("accepted")).toInteger(), accepted) << r.body;
    EXPECT_EQ(o.value(QStringLiteral("duplicates")).toInteger(), duplicates) << r.body;
    EXPECT_EQ(o.value(QStringLiteral("rejected")).toInteger(), rejected) << r.body;
    EXPECT_TRUE(o.value(QStringLiteral("errors")).isArray()) << r.body;
}

std::vector<std::pair<int, std::string>> errorsOf(const HttpResponse &r)
{
    std::vector<std::pair<int, std::string>> out;
    for (const QJsonValue &e : jsonBody(r).value(QStringLiteral("errors")).toArray()) {
        const QJsonObject o = e.toObject();
        EXPECT_EQ(o.size(), 2) << "each error is {index, reason}";
        out.emplace_back(o.value(QStringLiteral("index")).toInt(-1), o.value(QStringLiteral("reason")).toString().toStdString());
    }
    return out;
}

class RequestsEndpoint : public ::testing::Test
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");
    InProcessServer server{db};

    std::optional<HttpResponse> post(const std::string &contentType, const std::string &body)
    {
        return httpPost(server.port(), "/v1/requests", contentType, body);
    }
};

} // namespace

TEST_F(RequestsEndpoint, NdjsonBodyIsStoredAfterTheAnswer)
{
    // CRLF line ends and blank lines are allowed; blank lines are not counted.
    const std::string body = recordLine("nd-1", kTs, 812.4) + "\r\n\r\n" + recordLine("nd-2", kTs + 1, 90, "globex") +
                             "\n   \n" + recordLine("nd-3", kTs + 2, 5.5, "acme", "error");
    const auto r = post("application/x-ndjson", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->header("content-type"), "application/json");
    expectCounts(*r, 3, 0, 0);
    EXPECT_TRUE(errorsOf(*r).empty());

    // The 200 came after the commit: the rows are there the moment we look.
    const auto stored = storedRecords(db);
    ASSERT_EQ(stored.size(), 3u);
    const StoredRecord &first = stored.at("nd-1");
    EXPECT_EQ(first.tsMs, kTs);
    EXPECT_DOUBLE_EQ(first.latencyMs, 812.4);
    EXPECT_EQ(first.tenant, "acme");
    EXPECT_EQ(first.model, "gpt-4o-mini");
    EXPECT_EQ(first.inputTokens, 100);
    EXPECT_EQ(stored.at("nd-2").tenant, "globex");
    EXPECT_EQ(stored.at("nd-3").outcome, "error");
}

TEST_F(RequestsEndpoint, EveryNdjsonMediaTypeIsAccepted)
{
    int n = 0;
    for (const char *type : {"application/x-ndjson", "application/ndjson", "application/jsonl",
                             "application/x-ndjson; charset=utf-8", "Application/X-NDJSON"}) {
        const auto r = post(type, recordLine("type-" + std::to_string(n++)) + "\n");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << type << ": " << r->body;
    }
    EXPECT_EQ(StoreProbe(db).requestCount(), n);
}

TEST_F(RequestsEndpoint, JsonArrayAndSingleObject)
{
    const auto array = post("application/json", "[" + recordLine("arr-1") + ",\n " + recordLine("arr-2") + "]");
    ASSERT_TRUE(array);
    EXPECT_EQ(array->status, 200) << array->body;
    expectCounts(*array, 2, 0, 0);

    const auto single = post("application/json", recordLine("obj-1"));
    ASSERT_TRUE(single);
    EXPECT_EQ(single->status, 200) << single->body;
    expectCounts(*single, 1, 0, 0);

    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.size(), 3u);
    EXPECT_TRUE(stored.count("arr-1") && stored.count("arr-2") && stored.count("obj-1"));
}

TEST_F(RequestsEndpoint, MissingContentTypeIsReadFromTheBody)
{
    const auto ndjson = post("", recordLine("plain-1") + "\n" + recordLine("plain-2") + "\n");
    ASSERT_TRUE(ndjson);
    EXPECT_EQ(ndjson->status, 200) << ndjson->body;
    expectCounts(*ndjson, 2, 0, 0);

    const auto array = post("", "  [" + recordLine("plain-3") + "]");
    ASSERT_TRUE(array);
    EXPECT_EQ(array->status, 200) << array->body;
    expectCounts(*array, 1, 0, 0);
    EXPECT_EQ(StoreProbe(db).requestCount(), 3);
}

TEST_F(RequestsEndpoint, UnsupportedContentTypeIs415AndStoresNothing)
{
    for (const char *type : {"text/csv", "application/xml", "application/x-protobuf"}) {
        const auto r = post(type, recordLine("never") + "\n");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 415) << type;
        EXPECT_NE(r->body.find(type), std::string::npos) << "the answer names the type: " << r->body;
    }
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
    EXPECT_TRUE(StoreProbe(db).quarantine().empty());
}

TEST_F(RequestsEndpoint, BadLinesAreReportedQuarantinedAndTheGoodOnesStored)
{
    const std::string missingTenant =
        R"({"ts":1795745584123,"request_id":"no-tenant","model":"m","latency_ms":1,"outcome":"ok"})";
    const std::string wrongType =
        R"({"ts":1795745584123,"request_id":"wrong","tenant":"t","model":"m","latency_ms":"fast","outcome":"ok"})";
    const std::string body = recordLine("good-0") + "\n" + "{not json\n" + "\n" + recordLine("good-2") + "\n" +
                             missingTenant + "\n" + wrongType + "\n" + recordLine("good-5") + "\n";
    const auto r = post("application/x-ndjson", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    expectCounts(*r, 3, 0, 3);
    const auto errors = errorsOf(*r);
    ASSERT_EQ(errors.size(), 3u) << r->body;
    // Index = position among the non-blank records of the body.
    EXPECT_EQ(errors[0].first, 1);
    EXPECT_EQ(errors[0].second.rfind("invalid_json", 0), 0u) << errors[0].second;
    EXPECT_EQ(errors[1].first, 3);
    EXPECT_EQ(errors[1].second.rfind("missing_field", 0), 0u) << errors[1].second;
    EXPECT_NE(errors[1].second.find("tenant"), std::string::npos) << errors[1].second;
    EXPECT_EQ(errors[2].first, 4);
    EXPECT_NE(errors[2].second.find("latency_ms"), std::string::npos) << errors[2].second;

    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.size(), 3u);
    EXPECT_TRUE(stored.count("good-0") && stored.count("good-2") && stored.count("good-5"));

    // Quarantined with the request as the source, the record's position and its raw text.
    const auto quarantine = StoreProbe(db).quarantine();
    ASSERT_EQ(quarantine.size(), 3u);
    for (const auto &q : quarantine)
        EXPECT_EQ(q.source, "POST /v1/requests from 127.0.0.1");
    EXPECT_EQ(quarantine[0].reason, "invalid_json");
    EXPECT_EQ(quarantine[0].line, 2);
    EXPECT_EQ(quarantine[0].raw, "{not json");
    EXPECT_EQ(quarantine[1].reason, "missing_field");
    EXPECT_EQ(quarantine[1].raw, missingTenant);
    EXPECT_EQ(quarantine[2].raw, wrongType);
}

TEST_F(RequestsEndpoint, AllBadIs400WithTheSameShape)
{
    const auto r = post("application/x-ndjson", "nope\n{\"ts\":1}\n[1,2]\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << r->body;
    expectCounts(*r, 0, 0, 3);
    const auto errors = errorsOf(*r);
    ASSERT_EQ(errors.size(), 3u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(errors[static_cast<std::size_t>(i)].first, i);
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
    // Bad input is kept for the operator even when nothing was stored.
    EXPECT_EQ(StoreProbe(db).quarantine().size(), 3u);

    const auto array = post("application/json", R"([{"ts":"yesterday"}, 17])");
    ASSERT_TRUE(array);
    EXPECT_EQ(array->status, 400) << array->body;
    expectCounts(*array, 0, 0, 2);
}

TEST_F(RequestsEndpoint, AtMostHundredErrorsAreListedButAllAreCounted)
{
    std::string body = recordLine("the-good-one") + "\n";
    for (int i = 0; i < 150; ++i)
        body += "bad line " + std::to_string(i) + "\n";
    const auto r = post("application/x-ndjson", body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body.substr(0, 300);
    expectCounts(*r, 1, 0, 150);
    const auto errors = errorsOf(*r);
    ASSERT_EQ(errors.size(), 100u);
    EXPECT_EQ(errors.front().first, 1);
    EXPECT_EQ(errors.back().first, 100);
    EXPECT_EQ(StoreProbe(db).quarantine().size(), 150u);
}

TEST_F(RequestsEndpoint, ARetryIsAnsweredWithDuplicatesAndStoredOnce)
{
    std::string body;
    for (int i = 0; i < 50; ++i)
        body += recordLine("retry-" + std::to_string(i), kTs + i) + "\n";
    const auto first = post("application/x-ndjson", body);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    expectCounts(*first, 50, 0, 0);

    // The client lost the answer and sends the same body again, plus one new record.
    const auto retry = post("application/x-ndjson", body + recordLine("retry-new") + "\n");
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->status, 200) << retry->body;
    expectCounts(*retry, 1, 50, 0);

    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), 51);
    EXPECT_TRUE(probe.rollupMismatches().empty()) << describeProblems(probe.rollupMismatches());
}

TEST_F(RequestsEndpoint, EmptyBodyIs400)
{
    for (const std::string body : {"", "\n\n  \n"}) {
        const auto r = post("application/x-ndjson", body);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 400) << r->body;
        EXPECT_NE(r->body.find("empty"), std::string::npos) << r->body;
    }
}

TEST_F(RequestsEndpoint, UnknownPathIs404AndWrongMethodIs405)
{
    const auto missing = httpRequest(server.port(), "POST", "/v1/nothing", {{"Content-Type", "application/json"}}, "{}");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);
    EXPECT_NE(missing->body.find("/v1/nothing"), std::string::npos) << missing->body;

    for (const char *method : {"GET", "PUT", "DELETE"}) {
        const auto wrong = httpRequest(server.port(), method, "/v1/requests");
        ASSERT_TRUE(wrong);
        EXPECT_EQ(wrong->status, 405) << method;
        EXPECT_EQ(wrong->header("allow"), "POST") << method;
    }
    const auto getTraces = httpRequest(server.port(), "GET", "/v1/traces");
    ASSERT_TRUE(getTraces);
    EXPECT_EQ(getTraces->status, 405);
    const auto postHealth = httpRequest(server.port(), "POST", "/healthz", {}, "x");
    ASSERT_TRUE(postHealth);
    EXPECT_EQ(postHealth->status, 405);
    EXPECT_EQ(postHealth->header("allow"), "GET");
    // The path is matched without its query string.
    const auto withQuery = httpPost(server.port(), "/v1/requests?source=test", "application/x-ndjson",
                                    recordLine("with-query") + "\n");
    ASSERT_TRUE(withQuery);
    EXPECT_EQ(withQuery->status, 200) << withQuery->body;
}
