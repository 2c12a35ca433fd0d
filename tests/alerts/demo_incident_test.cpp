// The "done when": with the README's demo, the incident fires the
// latency and the error alerts and pages a local PagerDuty-compatible
// receiver with the runbook link; a tenant crossing its cap warns and pages
// once. vigilctl demo, the evaluator (vigilctl alerts evaluate, as the
// console or serve run it), a receiver on 127.0.0.1.
#include "alert_fixture.h"
#include "http_receiver.h"
#include "test_support.h"

#include "alerts/cost_caps.h"
#include "store/metrics_reader.h"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <map>

namespace vigil::test {
namespace {

struct Page
{
    QJsonObject event;
    std::string href;
};

std::multimap<std::string, Page> triggers(const HttpReceiver &receiver)
{
    std::multimap<std::string, Page> out;
    for (const ReceivedRequest &r : receiver.accepted()) {
        const QJsonObject e = r.json();
        if (e.value(QStringLiteral("event_action")).toString() != QStringLiteral("trigger"))
            continue;
        const QJsonArray links = e.value(QStringLiteral("links")).toArray();
        out.emplace(e.value(QStringLiteral("dedup_key")).toString().toStdString(),
                    Page{e, links.isEmpty() ? std::string() : links[0].toObject().value(QStringLiteral("href")).toString().toStdString()});
    }
    return out;
}

TEST(DemoIncident, PagesLatencyAndErrorsWithRunbookLinksAndATenantCapWarnsAndPagesOnce)
{
    TempDir dir;
    const QString db = QString::fromStdString(dir.path("demo.db"));
    const ProcessResult demo = runVigilctl({QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--records"),
                                            QStringLiteral("60000")}, 600000);
    ASSERT_EQ(demo.exitCode, 0) << demo.err;

    // The caps count in a zone whose day began well before the last hour,
    // and acme's cap is what it had spent 20 minutes ago: it crosses it in
    // the hour the evaluator catches up on.
    const std::int64_t now = currentTimeMs();
    const std::string zone = now % 86'400'000LL < 3 * 3'600'000LL ? "Etc/GMT+12" : "UTC";
    double acmeCap = 0;
    {
        MetricsReader reader(db.toStdString());
        MetricsRequest spent;
        spent.window = {costDay(now, costTimeZone(zone)).fromMs, now - 20 * kMinute};
        spent.filter.tenant = "acme";
        spent.latencyMode = LatencyMode::Sketch;
        acmeCap = reader.query(spent).groups.front().totals.costUsd;
    }
    ASSERT_GT(acmeCap, 0.01);
    HttpReceiver receiver;
    qputenv("VIGIL_TEST_PD_KEY", "R0UTINGKEY0123456789");
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[alerts]\n"
                      "[[alerts.destinations]]\nname = \"pagerduty\"\ntype = \"pagerduty\"\n"
                      "routing_key = \"env:VIGIL_TEST_PD_KEY\"\n"
                      "endpoint = \"" + receiver.url("/v2/enqueue").toStdString() + "\"\n"
                      "[costs]\ntime_zone = \"" + zone + "\"\n"
                      "daily_cap_usd = 1000000\ndaily_reviewed_on = 2026-11-01\n"
                      "tenant_default_cap_usd = 1000000\ntenant_default_reviewed_on = 2026-11-01\n"
                      "[costs.tenants.acme]\ncap_usd = " + std::to_string(acmeCap) + "\nreviewed_on = 2026-11-01\n");
    const QStringList common = {QStringLiteral("--db"), db, QStringLiteral("--config"), QString::fromStdString(config)};
    const ProcessResult evaluated = runVigilctl(QStringList{QStringLiteral("alerts"), QStringLiteral("evaluate"), QStringLiteral("--catch-up"),
                                                            QStringLiteral("--deliver"), QStringLiteral("--wait"), QStringLiteral("120s")} + common,
                                                600000);
    ASSERT_EQ(evaluated.exitCode, 0) << evaluated.err;

    const auto pages = triggers(receiver);
    std::string keys;
    for (const auto &[key, page] : pages)
        keys += key + "\n";
    const auto latency = pages.find("vigil/model-latency/model=gpt-4o-mini-2024-07-18");
    ASSERT_NE(latency, pages.end()) << "paged: " << keys;
    EXPECT_TRUE(latency->second.href.ends_with("/runbooks/latency_p95.md")) << latency->second.href;
    const auto errors = pages.find("vigil/provider-errors/provider=anthropic");
    ASSERT_NE(errors, pages.end()) << "paged: " << keys;
    EXPECT_TRUE(errors->second.href.ends_with("/runbooks/error_rate.md")) << errors->second.href;
    EXPECT_EQ(errors->second.event.value(QStringLiteral("payload")).toObject().value(QStringLiteral("severity")).toString(),
              QStringLiteral("critical"));
    EXPECT_EQ(pages.count("vigil/tenant-spend/tenant=acme,level=warn"), 1u) << keys;
    EXPECT_EQ(pages.count("vigil/tenant-spend/tenant=acme,level=page"), 1u) << keys;
    EXPECT_EQ(pages.count("vigil/tenant-spend/tenant=globex,level=warn"), 0u) << "other tenants are far from their caps";
    for (const auto &[key, page] : pages)
        EXPECT_EQ(pages.count(key), 1u) << key << " paged more than once";

    // The console's view: the incident's alerts are there, firing or resolved with their history.
    const ProcessResult list = runVigilctl(QStringList{QStringLiteral("alerts"), QStringLiteral("list"), QStringLiteral("--json")} + common);
    ASSERT_EQ(list.exitCode, 0) << list.err;
    const QJsonObject board = parseJsonObject(list.out);
    bool latencyFiring = false;
    for (const QJsonValue &v : board.value(QStringLiteral("firing")).toArray())
        latencyFiring = latencyFiring || v.toObject().value(QStringLiteral("key")).toString().contains(QStringLiteral("model-latency"));
    EXPECT_TRUE(latencyFiring) << "the bad deploy's latency lasts to the end of the demo day";

    // Evaluating again (a restart) pages nothing new.
    const std::size_t before = receiver.accepted().size();
    const ProcessResult again = runVigilctl(QStringList{QStringLiteral("alerts"), QStringLiteral("evaluate"), QStringLiteral("--deliver"),
                                                        QStringLiteral("--wait"), QStringLiteral("20s")} + common);
    ASSERT_EQ(again.exitCode, 0) << again.err;
    for (const auto &[key, page] : triggers(receiver))
        EXPECT_EQ(triggers(receiver).count(key), 1u) << key;
    EXPECT_LE(receiver.accepted().size(), before + 2) << "at most resolves of alerts that ended meanwhile";
}

} // namespace
} // namespace vigil::test
