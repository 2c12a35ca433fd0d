// What `vigilctl serve` does besides answering: records it accepts become
// searchable without anyone running `vigilctl audit`, the config's
// [redaction] rules apply before anything is stored, and the access log
// reports the housekeeping in one line per event.
#include "raw_http.h"
#include "serve_process.h"
#include "test_support.h"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace vigil::test;

namespace {

constexpr long long kTs = 1795745584123;

std::string chatRecord(const std::string &id, const std::string &userText)
{
    return R"({"request_id":")" + id + R"(","ts":)" + std::to_string(kTs) +
           R"(,"tenant":"acme","provider":"openai","model":"gpt-4o-mini","latency_ms":120,"outcome":"ok",)"
           R"("input_tokens":10,"output_tokens":5,"input":")" +
           userText + R"(","output":"done"})";
}

QJsonObject searchJson(const std::string &db, const QString &query)
{
    const ProcessResult r = runVigilctl({QStringLiteral("audit"), QStringLiteral("search"), query, QStringLiteral("--db"),
                                         QString::fromStdString(db), QStringLiteral("--from"), QString::number(kTs - 60000),
                                         QStringLiteral("--to"), QString::number(kTs + 60000),
                                         QStringLiteral("--json")});
    if (r.exitCode != 0)
        return {};
    return parseJsonObject(r.out);
}

} // namespace

TEST(ServeHousekeeping, AcceptedRecordsBecomeSearchableWithoutAManualIndexPass)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    ServeProcess serve({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0")},
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const std::string body = chatRecord("r-1", "the quarterly walrus report") + "\n" +
                             chatRecord("r-2", "an unrelated question") + "\n";
    const auto answer = httpPost(serve.port(), "/v1/requests", "application/x-ndjson", body);
    ASSERT_TRUE(answer.has_value());
    ASSERT_EQ(answer->status, 200) << answer->body;

    // serve's own follow-up pass indexes them (`audit search` would index
    // what is missing itself, so nothing searches before serve says so).
    ASSERT_TRUE(waitUntil([&] { return serve.log().find("search index: 2 records indexed") != std::string::npos; },
                          60000))
        << serve.log();
    const QJsonObject found = searchJson(db, QStringLiteral("walrus report"));
    EXPECT_EQ(found.value(QStringLiteral("total")).toInt(), 1);
    const QJsonArray results = found.value(QStringLiteral("results")).toArray();
    ASSERT_EQ(results.size(), 1);
    EXPECT_EQ(results.at(0).toObject().value(QStringLiteral("request_id")).toString(), QStringLiteral("r-1"));
}

TEST(ServeHousekeeping, RedactionRulesOfTheConfigApplyToWhatServeStores)
{
    TempDir dir;
    const std::string db = dir.path("store.db");
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[redaction]\nenabled = true\n");
    ServeProcess serve({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--config"),
                        QString::fromStdString(config), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    const auto answer = httpPost(serve.port(), "/v1/requests", "application/x-ndjson",
                                 chatRecord("r-mail", "write to jane.doe@example.com today") + "\n");
    ASSERT_TRUE(answer.has_value());
    ASSERT_EQ(answer->status, 200) << answer->body;

    const ProcessResult shown = runVigilctl({QStringLiteral("audit"), QStringLiteral("show"), QStringLiteral("r-mail"),
                                             QStringLiteral("--db"), QString::fromStdString(db)});
    ASSERT_EQ(shown.exitCode, 0) << shown.err;
    EXPECT_EQ(shown.out.find("jane.doe@example.com"), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find("write to"), std::string::npos) << shown.out; // the rest of the text is kept
}

TEST(ServeHousekeeping, ABadRedactionConfigStopsServeBeforeItListens)
{
    TempDir dir;
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[redaction]\nenabled = true\nmode = \"hash\"\nhash_key_env = \"VIGIL_TEST_NO_SUCH_KEY\"\n");
    const ProcessResult r = runVigilctl({QStringLiteral("serve"), QStringLiteral("--db"),
                                         QString::fromStdString(dir.path("store.db")), QStringLiteral("--config"),
                                         QString::fromStdString(config), QStringLiteral("--listen"),
                                         QStringLiteral("127.0.0.1:0")},
                                        60000);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("VIGIL_TEST_NO_SUCH_KEY"), std::string::npos) << r.err;
}
