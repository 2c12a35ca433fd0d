// The console's own evaluator: on the README's demo store (a day ending now,
// with its incident) it fires the latency and error alerts when no server
// runs, shows them and notifies; while another process (the real vigilctl)
// holds the store's lease it does not evaluate.
#include "alerts_gui_fixture.h"
#include "gui_test_support.h"
#include "test_support.h"

#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "alerts/alerts_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"

#include "metrics/time_window.h"
#include "store/alert_store.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStatusBar>
#include <QToolButton>

#include <gtest/gtest.h>

#include <set>

namespace vigil::test {
namespace {

std::unique_ptr<ui::MainWindow> openLive(const std::string &storePath, const std::string &configPath)
{
    auto window = std::make_unique<ui::MainWindow>();
    window->setShowIngestSummaries(false);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    center->setEvaluatorEnabled(true);
    center->config().setConfigFile(QString::fromStdString(configPath));
    window->show();
    window->openStore(QString::fromStdString(storePath));
    EXPECT_TRUE(waitFor([&] { return window->context().hasStore(); }));
    return window;
}

std::set<std::string> firingKeys(const std::string &storePath)
{
    AlertStore store(storePath, AlertStore::Access::ReadOnly);
    std::set<std::string> keys;
    for (const AlertState &s : store.states())
        if (s.phase == AlertPhase::Firing)
            keys.insert(s.dedupKey);
    return keys;
}

TEST(ConsoleEvaluator, FiresTheDemoIncidentsLatencyAndErrorAlertsWhenNoServerRunsAsVigilctlWould)
{
    // The README's demo store (150,000 records, as `vigil --demo` builds it),
    // its day ending at a fixed afternoon instant so the traffic is the same
    // on every run; the console is pinned there and its evaluator evaluates
    // at that instant, catching up on the hour before as at every start.
    TempDir dir;
    const std::int64_t at = 1795705200000; // 2026-11-27T15:00:00Z
    const QString db = QString::fromStdString(dir.path("demo.db"));
    const ProcessResult demo = runVigilctl({QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--now"),
                                            QString::number(at)}, 600'000);
    ASSERT_EQ(demo.exitCode, 0) << demo.err;
    const std::string config = dir.path("vigil.toml"); // no [alerts]: the shipped rules, as a new user has
    writeFile(config, "[store]\n");
    const QString reference = QString::fromStdString(dir.path("reference.db"));
    ASSERT_TRUE(QFile::copy(db, reference));

    auto window = std::make_unique<ui::MainWindow>();
    window->setShowIngestSummaries(false);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    QSignalSpy notified(center, &ui::AlertCenter::notified);
    center->setEvaluatorEnabled(true);
    center->config().setConfigFile(QString::fromStdString(config));
    window->context().pinNow(at);
    window->show();
    window->openStore(db);
    auto *page = qobject_cast<ui::AlertsPage *>(window->page(QStringLiteral("alerts")));
    window->showPage(QStringLiteral("alerts"));
    const QString errors = QStringLiteral("vigil/provider-errors/provider=anthropic");
    const QString latency = QStringLiteral("vigil/model-latency/model=gpt-4o-mini-2024-07-18");
    const QString badDeploy = QStringLiteral("vigil/prompt-regression/prompt=answer-question");
    ASSERT_TRUE(waitFor([&] {
        const QStringList firing = page->keysIn(ui::AlertsPage::Section::Firing);
        return firing.contains(errors) && firing.contains(latency) && firing.contains(badDeploy);
    }, 240'000)) << "firing: " << page->keysIn(ui::AlertsPage::Section::Firing).join(QLatin1Char(' ')).toStdString()
                 << "\nproblem: " << center->lastEvaluatorProblem().toStdString();
    // The catch-up writes as it goes: its end is the first tick's answer.
    ASSERT_TRUE(waitFor([&] { return center->evaluationTicks() >= 1; }, 240'000));
    EXPECT_EQ(center->leaseHeld(), std::optional<bool>(true));
    EXPECT_TRUE(center->evaluatorText().startsWith(QStringLiteral("This console evaluates")));
    ASSERT_TRUE(waitFor([&] { return !center->isLoading(); }));
    center->refresh();
    ASSERT_TRUE(waitFor([&] { return !center->isLoading(); }));
    {
        AlertStore store(db.toStdString(), AlertStore::Access::ReadOnly);
        const auto lease = store.lease();
        ASSERT_TRUE(lease);
        EXPECT_EQ(lease->pid, QCoreApplication::applicationPid()) << "this process evaluated";
        AlertHistoryFilter filter;
        filter.dedupKey = errors.toStdString();
        filter.events = {"firing"};
        EXPECT_EQ(store.history(filter).size(), 1u) << "the error burst fired once";
    }

    // The same alerts as the server's evaluator on the same data at the same instant.
    const ProcessResult cli = runVigilctl({QStringLiteral("alerts"), QStringLiteral("evaluate"), QStringLiteral("--catch-up"),
                                           QStringLiteral("--now"), QString::number(at), QStringLiteral("--db"), reference,
                                           QStringLiteral("--config"), QString::fromStdString(config)});
    ASSERT_EQ(cli.exitCode, 0) << cli.err;
    EXPECT_EQ(firingKeys(db.toStdString()), firingKeys(reference.toStdString()));
    std::set<std::string> shown;
    for (const QString &k : page->keysIn(ui::AlertsPage::Section::Firing))
        shown.insert(k.toStdString());
    EXPECT_EQ(shown, firingKeys(reference.toStdString()));

    // The desktop notification (from the tray icon where there is one; the
    // offscreen platform has none, the signal is the same).
    ASSERT_TRUE(waitFor([&] { return !center->notificationsShown().isEmpty(); }));
    const QString said = center->notificationsShown().join(QLatin1Char('\n'));
    EXPECT_TRUE(said.contains(QStringLiteral("provider-errors")) || said.contains(QStringLiteral("alerts firing"))) << said.toStdString();
    EXPECT_EQ(center->statusButton()->text(), QStringLiteral("Alerts: %1 firing · 0 pending").arg(shown.size()))
        << center->statusButton()->text().toStdString();

    // Closing the console lets go of the lease at once.
    window.reset();
    AlertStore store(db.toStdString(), AlertStore::Access::ReadOnly);
    const auto after = store.lease();
    ASSERT_TRUE(after);
    EXPECT_LE(after->expiresAtMs, at) << "released";
}

TEST(ConsoleEvaluator, DoesNotEvaluateWhileAnotherProcessHoldsTheLease)
{
    TempDir dir;
    const std::string db = dir.path("served.db");
    const std::int64_t now = currentTimeMs();
    addTraffic(db, {{now - 30 * kMin, now, 30, "acme", "gpt-4o-mini", "openai", 500, 0.001, 0.5}});
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[alerts]\nevaluate_every = \"5s\"\nlease = \"10s\"\n\n"
                      "[[alerts.rules]]\nname = \"errors\"\ntype = \"error_rate\"\nwindow = \"5m\"\nthreshold = 0.1\n"
                      "for = \"0s\"\nmin_requests = 10\n");

    // The other process: the real vigilctl evaluating as `serve` would.
    QProcess other;
    other.setProgram(vigilctlPath());
    other.setArguments({QStringLiteral("alerts"), QStringLiteral("run"), QStringLiteral("--db"), QString::fromStdString(db),
                        QStringLiteral("--config"), QString::fromStdString(config)});
    other.start();
    ASSERT_TRUE(other.waitForStarted());
    const auto leaseOf = [&] {
        AlertStore store(db, AlertStore::Access::ReadOnly);
        return store.lease();
    };
    ASSERT_TRUE(waitUntil([&] {
        const auto lease = leaseOf();
        return lease && lease->pid == other.processId() && lease->lastEvaluatedAtMs;
    }, 60'000)) << "vigilctl alerts run took the lease";

    auto window = openLive(db, config);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    ASSERT_TRUE(waitFor([&] { return center->evaluationTicks() >= 2; }, 60'000)) << center->lastEvaluatorProblem().toStdString();
    EXPECT_EQ(center->leaseHeld(), std::optional<bool>(false));
    const auto lease = leaseOf();
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease->pid, other.processId()) << "the lease stayed with vigilctl";
    ASSERT_TRUE(waitFor([&] { return center->evaluatorText().contains(QStringLiteral("pid %1").arg(other.processId())); }))
        << center->evaluatorText().toStdString();
    // What the console shows is what vigilctl evaluated.
    ASSERT_TRUE(waitFor([&] {
        auto s = center->snapshot();
        return s && !s->alerts.firing.empty();
    }));

    // vigilctl stops (SIGTERM: it lets go of the lease): the console takes over.
    other.terminate();
    ASSERT_TRUE(other.waitForFinished(30'000));
    ASSERT_TRUE(waitFor([&] { return center->leaseHeld() == std::optional<bool>(true); }, 60'000));
    const auto taken = leaseOf();
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->pid, QCoreApplication::applicationPid());

    // Another store: this one's evaluator stops (off the UI thread) and lets go of the lease.
    const std::string next = dir.path("next.db");
    addTraffic(next, {{now - 10 * kMin, now, 10, "acme", "gpt-4o-mini", "openai", 500, 0.001, 0}});
    window->openStore(QString::fromStdString(next));
    ASSERT_TRUE(waitFor([&] {
        const auto lease = leaseOf();
        return lease && lease->expiresAtMs <= currentTimeMs();
    }, 60'000)) << "the lease of the store left was released";
    ASSERT_TRUE(waitFor([&] { return center->leaseHeld() == std::optional<bool>(true); }, 60'000))
        << "the evaluator runs on the store opened";
}

} // namespace
} // namespace vigil::test
