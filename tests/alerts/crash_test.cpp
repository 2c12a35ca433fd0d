// kill -9 of the process that pages, with notifications in flight: after a
// restart none is lost and none is delivered twice (checked with the dedup
// keys at the receiver), and no alert that already paged pages again.
#include "alert_fixture.h"
#include "http_receiver.h"
#include "test_support.h"
#include "vigilctl_child.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace vigil::test {
namespace {

TEST(CrashSafety, KillNineWithNotificationsPendingLosesNoneAndDuplicatesNone)
{
    TempDir dir;
    HttpReceiver receiver;
    receiver.queue(Answer::respond(202)); // the first page goes through before the crash
    receiver.setFallback(Answer::stall()); // the others hang in flight
    const std::vector<std::string> tenants = {"acme", "globex", "initech", "umbrella"};
    {
        SyntheticStore store(dir.path("store.db"));
        const std::int64_t now = currentTimeMs();
        for (const std::string &tenant : tenants)
            store.add({.fromMs = now - 8 * kMinute, .toMs = now, .tenant = tenant, .errorShare = 0.5});
    }
    qputenv("VIGIL_TEST_PD_KEY", "R0UTINGKEY");
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[alerts]\nevaluate_every = \"5s\"\n"
                      "[[alerts.rules]]\nname = \"errors\"\ntype = \"error_rate\"\ngroup_by = \"tenant\"\nwindow = \"10m\"\n"
                      "threshold = 0.05\nmin_requests = 10\n"
                      "[[alerts.destinations]]\nname = \"pd\"\ntype = \"pagerduty\"\nrouting_key = \"env:VIGIL_TEST_PD_KEY\"\n"
                      "endpoint = \"" + receiver.url("/v2/enqueue").toStdString() + "\"\ntimeout = \"120s\"\n");
    const QStringList common = {QStringLiteral("--db"), QString::fromStdString(dir.path("store.db")), QStringLiteral("--config"),
                                QString::fromStdString(config)};
    {
        VigilctlChild child(QStringList{QStringLiteral("alerts"), QStringLiteral("run")} + common);
        ASSERT_TRUE(child.started());
        ASSERT_TRUE(waitUntil([&] { return receiver.count() >= tenants.size(); }, 60000))
            << "every page was sent (one accepted, the rest in flight)";
        const auto pending = outboxEvents(dir.path("store.db"), "trigger");
        ASSERT_EQ(pending.size(), tenants.size());
        child.kill();
    }
    ASSERT_EQ(receiver.accepted().size(), 1u);
    std::int64_t delivered = 0;
    for (const OutboxMessage &m : outbox(dir.path("store.db")))
        delivered += m.status == OutboxStatus::Delivered;
    EXPECT_EQ(delivered, 1) << "the accepted page was recorded before the crash";

    // Restarted (a new process takes the lease of the dead one at once).
    receiver.setFallback(Answer::respond(202));
    const ProcessResult restart = runVigilctl(QStringList{QStringLiteral("alerts"), QStringLiteral("evaluate"),
                                                          QStringLiteral("--deliver"), QStringLiteral("--wait"),
                                                          QStringLiteral("60s")} + common);
    ASSERT_EQ(restart.exitCode, 0) << restart.err;
    const ProcessResult again = runVigilctl(QStringList{QStringLiteral("alerts"), QStringLiteral("evaluate"),
                                                        QStringLiteral("--deliver"), QStringLiteral("--wait"),
                                                        QStringLiteral("10s")} + common);
    ASSERT_EQ(again.exitCode, 0) << again.err;

    // At the receiver, by dedup key: each alert's trigger accepted exactly once.
    std::map<std::string, int> acceptedByKey;
    for (const ReceivedRequest &r : receiver.accepted()) {
        const QJsonObject event = r.json();
        EXPECT_EQ(event.value(QStringLiteral("event_action")).toString(), QStringLiteral("trigger"));
        ++acceptedByKey[event.value(QStringLiteral("dedup_key")).toString().toStdString()];
    }
    std::map<std::string, int> expected;
    for (const std::string &tenant : tenants)
        expected["vigil/errors/tenant=" + tenant] = 1;
    EXPECT_EQ(acceptedByKey, expected);
    for (const OutboxMessage &m : outbox(dir.path("store.db")))
        EXPECT_EQ(m.status, OutboxStatus::Delivered) << m.dedupKey;
    EXPECT_EQ(outboxEvents(dir.path("store.db"), "trigger").size(), tenants.size()) << "no alert paged twice";
}

} // namespace
} // namespace vigil::test
