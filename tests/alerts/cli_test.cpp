// vigilctl alerts: check-config names the line of every mistake and the caps
// due for review; list, ack, silence and caps work on a real store and leave
// their operator-log entries.
#include "alert_fixture.h"
#include "test_support.h"

#include "store/operator_log_store.h"

#include <QJsonArray>

#include <QProcess>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

ProcessResult runIn(const std::string &dir, const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(QString::fromStdString(dir));
    p.start(vigilctlPath(), args);
    p.waitForFinished(120000);
    ProcessResult r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput().toStdString();
    r.err = p.readAllStandardError().toStdString();
    return r;
}

TEST(CheckConfig, NamesTheFileAndLineOfEveryMistake)
{
    TempDir dir;
    const std::string file = dir.path("vigil.toml");
    writeFile(file, "[alerts]\n"
                    "[[alerts.rules]]\n"
                    "name = \"p95\"\n"
                    "type = \"latency_p95\"\n"
                    "window = \"5 minutes\"\n"   // 5
                    "threshold = 2000\n"
                    "[[alerts.destinations]]\n"
                    "name = \"slack\"\n"
                    "type = \"slack\"\n"
                    "webhook_url = \"https://hooks.slack.com/services/T0/B0/XXXX\"\n" // 10
                    "[costs]\n"
                    "daily_cap_usd = -5\n");     // 12
    const ProcessResult r = runIn(dir.root(), {QStringLiteral("alerts"), QStringLiteral("check-config"),
                                               QStringLiteral("--config"), QString::fromStdString(file)});
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.out.find(file + ":5: alerts.rules \"p95\".window must be a duration"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(file + ":10: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("never written into vigil.toml"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(file + ":12: costs.daily_cap_usd"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("3 mistakes"), std::string::npos) << r.out;
    // The same file stops serve from starting, naming the same line.
    const ProcessResult serve = runIn(dir.root(), {QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                                   QStringLiteral("--db"), QString::fromStdString(dir.path("s.db"))});
    EXPECT_EQ(serve.exitCode, 2) << serve.err;
    EXPECT_NE(serve.err.find("vigil.toml:5:"), std::string::npos) << serve.err;
}

TEST(CheckConfig, WithoutAFileChecksTheShippedDefault)
{
    TempDir dir;
    const ProcessResult r = runIn(dir.root(), {QStringLiteral("alerts"), QStringLiteral("check-config")});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("the shipped default config"), std::string::npos) << r.out;
    for (const char *type : {"latency_p95", "error_rate", "fallback_rate", "retrieval_empty_rate", "ingest_stalled",
                             "cost_daily", "cost_tenant", "prompt_regression"})
        EXPECT_NE(r.out.find(type), std::string::npos) << type;
}

TEST(CheckConfig, ReportsCapsWhoseReviewIsOverdue)
{
    TempDir dir;
    writeFile(dir.path("vigil.toml"), "[costs]\n"
                                      "daily_cap_usd = 500\n"
                                      "daily_reviewed_on = 2020-01-01\n"
                                      "tenant_default_cap_usd = 50\n" // 4: no reviewed_on
                                      "[costs.tenants.acme]\n"
                                      "cap_usd = 100\n"
                                      "reviewed_on = 2099-01-01\n");
    const ProcessResult r = runIn(dir.root(), {QStringLiteral("alerts"), QStringLiteral("check-config")});
    EXPECT_EQ(r.exitCode, 0) << "overdue reviews are a warning" << r.out;
    EXPECT_NE(r.out.find("vigil.toml:2: review overdue: the daily cap ($500.00) was last reviewed on 2020-01-01"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("vigil.toml:4: review overdue: the tenant default cap ($50.00) has no reviewed_on date"),
              std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("tenant \"acme\" cap"), std::string::npos) << r.out;
    const ProcessResult strict = runIn(dir.root(), {QStringLiteral("alerts"), QStringLiteral("check-config"), QStringLiteral("--strict")});
    EXPECT_EQ(strict.exitCode, 1);
}

TEST(AlertsCli, ListAckSilenceAndCapsOnARealStoreWithOperatorLogEntries)
{
    TempDir dir;
    SyntheticStore store(dir.path("store.db"));
    const std::int64_t now = currentTimeMs();
    store.add({.fromMs = now - 10 * kMinute, .toMs = now, .tenant = "acme", .errorShare = 0.5, .costUsd = 0.01});
    store.close();
    writeFile(dir.path("vigil.toml"), "[[alerts.rules]]\nname = \"errors\"\ntype = \"error_rate\"\nwindow = \"5m\"\n"
                                      "threshold = 0.05\nmin_requests = 10\ngroup_by = \"tenant\"\n"
                                      "[costs]\ntenant_default_cap_usd = 100\ntenant_default_reviewed_on = 2026-11-01\n");
    const QString db = QString::fromStdString(store.path());
    const auto alerts = [&](QStringList args) {
        args.prepend(QStringLiteral("alerts"));
        args << QStringLiteral("--db") << db;
        return runIn(dir.root(), args);
    };
    const ProcessResult evaluated = alerts({QStringLiteral("evaluate")});
    ASSERT_EQ(evaluated.exitCode, 0) << evaluated.err;
    const ProcessResult list = alerts({QStringLiteral("list")});
    EXPECT_EQ(list.exitCode, 0) << list.err;
    EXPECT_NE(list.out.find("FIRING (1)"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("vigil/errors/tenant=acme"), std::string::npos) << list.out;

    const ProcessResult ack = alerts({QStringLiteral("ack"), QStringLiteral("vigil/errors/tenant=acme"), QStringLiteral("--reason"), QStringLiteral("on it")});
    EXPECT_EQ(ack.exitCode, 0) << ack.err;
    const ProcessResult again = alerts({QStringLiteral("ack"), QStringLiteral("vigil/errors/tenant=acme")});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find("already acknowledged"), std::string::npos) << again.err;

    const ProcessResult noReason = alerts({QStringLiteral("silence"), QStringLiteral("errors"), QStringLiteral("--for"), QStringLiteral("1h")});
    EXPECT_EQ(noReason.exitCode, 2);
    EXPECT_NE(noReason.err.find("needs a reason"), std::string::npos);
    const ProcessResult silence = alerts({QStringLiteral("silence"), QStringLiteral("errors"), QStringLiteral("--for"), QStringLiteral("1h"),
                                          QStringLiteral("--reason"), QStringLiteral("deploy")});
    EXPECT_EQ(silence.exitCode, 0) << silence.err;
    const ProcessResult silencedList = alerts({QStringLiteral("list")});
    EXPECT_NE(silencedList.out.find("SILENCED (1)"), std::string::npos) << silencedList.out;

    const ProcessResult badCap = alerts({QStringLiteral("caps"), QStringLiteral("set"), QStringLiteral("acme"), QStringLiteral("-3")});
    EXPECT_EQ(badCap.exitCode, 2);
    const ProcessResult future = alerts({QStringLiteral("caps"), QStringLiteral("set"), QStringLiteral("acme"), QStringLiteral("30"),
                                         QStringLiteral("--reviewed-on"), QStringLiteral("2099-01-01")});
    EXPECT_EQ(future.exitCode, 2);
    EXPECT_NE(future.err.find("in the future"), std::string::npos) << future.err;
    const ProcessResult cap = alerts({QStringLiteral("caps"), QStringLiteral("set"), QStringLiteral("acme"), QStringLiteral("30"),
                                      QStringLiteral("--reason"), QStringLiteral("trial")});
    EXPECT_EQ(cap.exitCode, 0) << cap.err;
    const ProcessResult caps = alerts({QStringLiteral("caps"), QStringLiteral("--json")});
    const QJsonObject costs = parseJsonObject(caps.out);
    const QJsonObject acme = costs.value(QStringLiteral("tenants")).toArray()[0].toObject();
    EXPECT_EQ(acme.value(QStringLiteral("tenant")).toString(), QStringLiteral("acme"));
    EXPECT_NEAR(acme.value(QStringLiteral("spent_usd")).toDouble(), 6.0, 0.001);
    EXPECT_EQ(acme.value(QStringLiteral("cap")).toObject().value(QStringLiteral("usd")).toDouble(), 30.0);

    OperatorLog log(store.path());
    const auto entries = log.list({});
    std::set<std::string> actions;
    for (const OperatorLogEntry &e : entries)
        actions.insert(e.action.action);
    EXPECT_TRUE(actions.count("alert.acknowledge"));
    EXPECT_TRUE(actions.count("alert.silence"));
    EXPECT_TRUE(actions.count("cap.change"));
    for (const OperatorLogEntry &e : entries) {
        if (e.action.action == "alert.silence") {
            EXPECT_EQ(e.action.reason, std::optional<std::string>("deploy"));
        }
        if (e.action.action == "cap.change") {
            EXPECT_EQ(e.action.toValue, std::optional<std::string>("30.00"));
        }
    }
}

} // namespace
} // namespace vigil::test
