// The Alerts page over a store whose alert rows the real evaluator wrote:
// the lists by state, acknowledge and silence (who, when, why), the runbook
// and the dashboard focus of a selection, the notification_failed banner,
// and the alert markers on the dashboard's charts.
#include "alerts_gui_fixture.h"
#include "gui_test_support.h"
#include "test_support.h"

#include "alerts/alert_action_dialog.h"
#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "alerts/alert_format.h"
#include "alerts/alerts_page.h"
#include "charts/time_chart_view.h"
#include "pages/dashboard_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/format.h"

#include "alerts/alert_evaluator.h"
#include "alerts/outbox_dispatcher.h"
#include "audit/actor.h"
#include "store/alert_store.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTcpServer>
#include <QTextBrowser>
#include <QToolButton>
#include <QTreeWidget>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <set>

namespace vigil::test {
namespace {

using Section = ui::AlertsPage::Section;

const IncidentStore &incident()
{
    static TempDir *dir = new TempDir;
    static IncidentStore store = buildIncidentStore(dir->path(""));
    return store;
}

// A copy of the incident store, for tests that write to it.
IncidentStore incidentCopy(const TempDir &dir)
{
    IncidentStore s = incident();
    const std::string path = dir.path("copy.db");
    EXPECT_TRUE(QFile::copy(QString::fromStdString(s.storePath), QString::fromStdString(path)));
    s.storePath = path;
    return s;
}

ui::AlertsPage *alertsPage(ui::MainWindow &w)
{
    return qobject_cast<ui::AlertsPage *>(w.page(QStringLiteral("alerts")));
}

std::set<std::string> keysInPhase(const std::string &storePath, AlertPhase phase)
{
    AlertStore store(storePath, AlertStore::Access::ReadOnly);
    std::set<std::string> keys;
    for (const AlertState &s : store.states())
        if (s.phase == phase)
            keys.insert(s.dedupKey);
    return keys;
}

std::set<std::string> toSet(const QStringList &keys)
{
    std::set<std::string> out;
    for (const QString &k : keys)
        out.insert(k.toStdString());
    return out;
}

std::string actorName()
{
    const Actor a = currentActor();
    return a.user + "@" + a.host;
}

TEST(AlertsPage, ListsFiringPendingAndResolvedAsTheEvaluatorLeftThem)
{
    const IncidentStore &s = incident();
    const auto firing = keysInPhase(s.storePath, AlertPhase::Firing);
    const auto pending = keysInPhase(s.storePath, AlertPhase::Pending);
    // The evaluator saw what the traffic holds.
    ASSERT_TRUE(firing.count("vigil/provider-errors/provider=google")) << "google's errors fire";
    ASSERT_TRUE(firing.count("vigil/model-latency/model=gemini-1.5-pro"));
    ASSERT_TRUE(firing.count("vigil/tenant-spend/tenant=gamma,level=page")) << "gamma is over its cap";
    ASSERT_FALSE(firing.count("vigil/provider-errors/provider=anthropic")) << "anthropic's burst ended";
    ASSERT_TRUE(pending.count("vigil/gemini-slow-for-an-hour")) << "its `for` has not run out";

    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::AlertsPage *page = alertsPage(*window);
    ASSERT_NE(page, nullptr);
    window->showPage(QStringLiteral("alerts"));
    ASSERT_TRUE(waitFor([&] { return !page->keysIn(Section::Firing).isEmpty(); }));

    EXPECT_EQ(toSet(page->keysIn(Section::Firing)), firing);
    EXPECT_EQ(toSet(page->keysIn(Section::Pending)), pending);
    EXPECT_TRUE(page->keysIn(Section::Silenced).isEmpty());
    const QStringList resolved = page->keysIn(Section::Resolved);
    EXPECT_TRUE(resolved.contains(QStringLiteral("vigil/provider-errors/provider=anthropic"))) << resolved.join(QLatin1Char(' ')).toStdString();

    // A row: rule and group, severity, since, value against threshold.
    QTreeWidgetItem *row = page->itemFor(Section::Firing, QStringLiteral("vigil/provider-errors/provider=google"));
    ASSERT_NE(row, nullptr);
    EXPECT_EQ(row->text(0), QStringLiteral("provider-errors · provider=google"));
    EXPECT_EQ(row->text(1), QStringLiteral("critical"));
    EXPECT_EQ(row->text(3), QStringLiteral("30.00%")) << "30% of google's calls fail";
    EXPECT_EQ(row->text(4), QStringLiteral("10.00%"));
    AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
    const auto google = store.state("vigil/provider-errors/provider=google");
    ASSERT_TRUE(google);
    EXPECT_TRUE(row->text(2).startsWith(ui::formatDateTime(google->firingSinceMs))) << row->text(2).toStdString();
    QTreeWidgetItem *latency = page->itemFor(Section::Firing, QStringLiteral("vigil/model-latency/model=gemini-1.5-pro"));
    ASSERT_NE(latency, nullptr);
    EXPECT_EQ(latency->text(3), QStringLiteral("5400 ms")) << "p95 of 4500..5400 ms";
    EXPECT_EQ(latency->text(4), QStringLiteral("3000 ms"));
    // Critical first.
    EXPECT_EQ(page->keysIn(Section::Firing).constFirst().contains(QStringLiteral("model-latency")), false);

    // The status bar counts them.
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    EXPECT_EQ(center->statusButton()->text(),
              QStringLiteral("Alerts: %1 firing · %2 pending").arg(firing.size()).arg(pending.size()));
    EXPECT_TRUE(page->failedBannerText().isEmpty());
}

TEST(AlertsPage, AcknowledgeAndSilenceRecordWhoWhenAndWhyAndTheListFollows)
{
    TempDir dir;
    const IncidentStore s = incidentCopy(dir);
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::AlertsPage *page = alertsPage(*window);
    window->showPage(QStringLiteral("alerts"));
    const QString key = QStringLiteral("vigil/provider-errors/provider=google");
    ASSERT_TRUE(waitFor([&] { return page->itemFor(Section::Firing, key) != nullptr; }));

    // Acknowledge through the dialog.
    ASSERT_TRUE(page->selectAlert(Section::Firing, key));
    ui::AlertActionDialog *ack = page->openActionDialog(false);
    ASSERT_NE(ack, nullptr);
    ack->findChild<QLineEdit *>(QStringLiteral("reason"))->setText(QStringLiteral("failing over to openai"));
    QSignalSpy done(page, &ui::AlertsPage::actionFinished);
    ack->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    ASSERT_TRUE(waitFor([&] { return done.count() == 1; }));
    EXPECT_TRUE(done.at(0).at(0).toBool()) << done.at(0).at(1).toString().toStdString();
    {
        AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
        const auto state = store.state(key.toStdString());
        ASSERT_TRUE(state && state->acknowledged);
        EXPECT_EQ(state->acknowledged->by, actorName());
        EXPECT_EQ(state->acknowledged->reason, "failing over to openai");
        EXPECT_EQ(state->acknowledged->atMs, kAt) << "the console's (pinned) now";
    }
    ASSERT_TRUE(waitFor([&] {
        QTreeWidgetItem *row = page->itemFor(Section::Firing, key);
        return row && row->text(5).startsWith(QStringLiteral("acknowledged by ") + QString::fromStdString(actorName()));
    }));
    bool ackInHistory = false;
    for (int i = 0; i < page->historyTree()->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *h = page->historyTree()->topLevelItem(i);
        ackInHistory = ackInHistory || (h->text(1) == QStringLiteral("acknowledged") && h->text(4) == QString::fromStdString(actorName()) &&
                                        h->text(5) == QStringLiteral("failing over to openai"));
    }
    EXPECT_TRUE(ackInHistory);

    // A silence needs a reason: the dialog will not send one without.
    ui::AlertActionDialog *silence = page->openActionDialog(true);
    ASSERT_NE(silence, nullptr);
    QPushButton *ok = silence->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled());
    silence->findChild<QLineEdit *>(QStringLiteral("reason"))->setText(QStringLiteral("provider maintenance window"));
    EXPECT_TRUE(ok->isEnabled());
    auto *duration = silence->findChild<QComboBox *>(QStringLiteral("duration"));
    duration->setCurrentIndex(duration->findText(QStringLiteral("2 hours")));
    done.clear();
    ok->click();
    ASSERT_TRUE(waitFor([&] { return done.count() == 1; }));
    EXPECT_TRUE(done.at(0).at(0).toBool()) << done.at(0).at(1).toString().toStdString();
    {
        AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
        const auto silences = store.silences(kAt);
        ASSERT_EQ(silences.size(), 1u);
        EXPECT_EQ(silences[0].target, key.toStdString());
        EXPECT_EQ(silences[0].by, actorName());
        EXPECT_EQ(silences[0].reason, "provider maintenance window");
        EXPECT_EQ(silences[0].startsAtMs, kAt);
        EXPECT_EQ(silences[0].endsAtMs, kAt + 2 * 3'600'000LL);
    }
    ASSERT_TRUE(waitFor([&] { return page->keysIn(Section::Silenced).contains(key); }));
    EXPECT_FALSE(page->keysIn(Section::Firing).contains(key));
    EXPECT_TRUE(page->itemFor(Section::Silenced, key)->text(5).contains(QStringLiteral("provider maintenance window")));

    // A silence the store refuses (too short) says why, and nothing is written.
    done.clear();
    page->silence(QStringLiteral("vigil/model-latency/model=gemini-1.5-pro"), 5'000, QStringLiteral("brief"));
    ASSERT_TRUE(waitFor([&] { return done.count() == 1; }));
    EXPECT_FALSE(done.at(0).at(0).toBool());
    EXPECT_TRUE(done.at(0).at(1).toString().contains(QStringLiteral("1 minute"))) << done.at(0).at(1).toString().toStdString();
    AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
    EXPECT_EQ(store.silences(kAt).size(), 1u);
}

std::string firstHeading(const std::string &runbookFile)
{
    std::ifstream in(std::string(VIGIL_SOURCE_DIR) + "/runbooks/" + runbookFile);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("# ", 0) == 0)
            return line.substr(2);
    return {};
}

TEST(AlertsPage, SelectingAnAlertShowsItsRunbookAndPointsTheDashboardAtIt)
{
    const IncidentStore &s = incident();
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::AlertsPage *page = alertsPage(*window);
    window->showPage(QStringLiteral("alerts"));
    const QString key = QStringLiteral("vigil/provider-errors/provider=google");
    ASSERT_TRUE(waitFor([&] { return page->itemFor(Section::Firing, key) != nullptr; }));

    page->alertTree()->setCurrentItem(page->itemFor(Section::Firing, key)); // as a click does
    const std::string heading = firstHeading("error_rate.md");
    ASSERT_FALSE(heading.empty());
    EXPECT_TRUE(page->runbookView()->toPlainText().contains(QString::fromStdString(heading)))
        << page->runbookView()->toPlainText().left(200).toStdString();

    AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
    const auto google = store.state(key.toStdString());
    ASSERT_TRUE(google);
    const LabelFilter filter = window->context().filter();
    EXPECT_EQ(filter.provider, std::optional<std::string>("google"));
    EXPECT_FALSE(filter.tenant.has_value());
    const TimeWindow focus = window->context().range().resolve(kAt);
    EXPECT_TRUE(window->context().range().isCustom());
    EXPECT_LT(focus.fromMs, google->pendingSinceMs) << "from before the alert began";
    EXPECT_GE(focus.toMs, kAt);

    // Show in dashboard: the dashboard draws that window and those labels.
    page->findChild<QPushButton *>(QStringLiteral("showInDashboardButton"))->click();
    EXPECT_EQ(window->currentPage()->pageId(), QStringLiteral("dashboard"));
    ui::DashboardPage *dashboard = window->dashboard();
    ASSERT_TRUE(waitFor([&] {
        const auto *snap = dashboard->snapshot();
        return snap && snap->request.filter.provider == std::optional<std::string>("google") && !dashboard->isLoading();
    }));
    EXPECT_EQ(dashboard->snapshot()->request.window.toMs, focus.toMs);

    // A resolved alert and another type: its own runbook, its own window.
    window->showPage(QStringLiteral("alerts"));
    ASSERT_TRUE(page->selectAlert(Section::Resolved, QStringLiteral("vigil/provider-errors/provider=anthropic")));
    EXPECT_EQ(window->context().filter().provider, std::optional<std::string>("anthropic"));
    const TimeWindow resolvedFocus = window->context().range().resolve(kAt);
    EXPECT_LT(resolvedFocus.fromMs, kAt - 60 * kMin) << "from before anthropic's burst began";
    EXPECT_LT(resolvedFocus.toMs, kAt) << "to a while after it resolved";
    ASSERT_TRUE(page->selectAlert(Section::Firing, QStringLiteral("vigil/model-latency/model=gemini-1.5-pro")));
    EXPECT_TRUE(page->runbookView()->toPlainText().contains(QString::fromStdString(firstHeading("latency_p95.md"))));
    EXPECT_EQ(window->context().filter().model, std::optional<std::string>("gemini-1.5-pro"));

    // vigil --alert KEY, or a click on the desktop notification: the page, on that alert.
    window->showPage(QStringLiteral("overview"));
    ui::AlertCenter::of(*window)->revealAlert(key);
    EXPECT_EQ(window->currentPage()->pageId(), QStringLiteral("alerts"));
    EXPECT_EQ(page->selectedKey(), key);
    EXPECT_EQ(window->context().filter().provider, std::optional<std::string>("google"));
}

TEST(AlertsPage, AnAlertAskedForBeforeTheStoreIsOpenIsSelectedOnceListed)
{
    const IncidentStore &s = incident();
    auto window = std::make_unique<ui::MainWindow>();
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    center->setEvaluatorEnabled(false);
    center->config().setConfigFile(QString::fromStdString(s.configPath));
    window->context().pinNow(kAt);
    const QString key = QStringLiteral("vigil/model-latency/model=gemini-1.5-pro");
    center->revealAlert(key); // vigil --alert KEY
    window->show();
    window->openStore(QString::fromStdString(s.storePath));
    ui::AlertsPage *page = alertsPage(*window);
    ASSERT_TRUE(waitFor([&] { return page->selectedKey() == key; }, 30'000)) << page->selectedKey().toStdString();
    EXPECT_EQ(window->currentPage()->pageId(), QStringLiteral("alerts"));
    EXPECT_TRUE(page->runbookView()->toPlainText().contains(QString::fromStdString(firstHeading("latency_p95.md"))));
}

TEST(AlertsPage, MarkersOnTheDashboardAtFiringsAndResolutionsInTheRange)
{
    const IncidentStore &s = incident();
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    window->context().setRange(ui::TimeRange::sliding(ui::RangePreset::Last6h));
    AlertStore store(s.storePath, AlertStore::Access::ReadOnly);
    AlertHistoryFilter filter;
    filter.fromMs = kAt - 6 * 3'600'000LL;
    filter.toMs = kAt;
    filter.events = {"firing", "resolved"};
    const auto events = store.history(filter);
    ASSERT_GE(events.size(), 4u);
    ASSERT_TRUE(waitFor([&] { return window->dashboard()->markers().size() == static_cast<qsizetype>(events.size()); }))
        << window->dashboard()->markers().size() << " markers for " << events.size() << " events";
    std::multiset<std::int64_t> expected, shown;
    for (const auto &e : events)
        expected.insert(e.atMs);
    for (const ui::ChartMarker &m : window->dashboard()->markers())
        shown.insert(m.atMs);
    EXPECT_EQ(shown, expected);
    bool firedLabel = false, resolvedLabel = false;
    for (const ui::ChartMarker &m : center->markers()) {
        firedLabel = firedLabel || m.label == QStringLiteral("fired: provider-errors · provider=google");
        resolvedLabel = resolvedLabel || m.label == QStringLiteral("resolved: provider-errors · provider=anthropic");
    }
    EXPECT_TRUE(firedLabel);
    EXPECT_TRUE(resolvedLabel);
    // The charts draw them.
    for (ui::TimeChartView *chart : window->dashboard()->timeCharts())
        EXPECT_EQ(chart->markers().size(), events.size());

    // A range before any of it: no alert markers.
    window->context().setRange(ui::TimeRange::custom(kAt - 3 * 3'600'000LL, kAt - 2 * 3'600'000LL));
    ASSERT_TRUE(waitFor([&] { return window->dashboard()->markers().isEmpty(); }));
}

TEST(AlertsPage, AFailingDestinationRaisesNotificationFailedShownAsARedBanner)
{
    TempDir dir;
    // A destination that refuses every connection: a port we bound and closed.
    quint16 port = 0;
    {
        QTcpServer probe;
        ASSERT_TRUE(probe.listen(QHostAddress::LocalHost));
        port = probe.serverPort();
    }
    qputenv("VIGIL_GUI_TEST_HOOK", QByteArray("http://127.0.0.1:") + QByteArray::number(port) + "/hook");
    qputenv("VIGIL_GUI_TEST_HOOK_KEY", "gui-test-signing-key");
    const std::string config = dir.path("vigil.toml");
    writeFile(config, R"([alerts]
notification_failed_after = "1m"
retry_base_delay = "1s"

[[alerts.destinations]]
name = "ops-hook"
type = "webhook"
url = "env:VIGIL_GUI_TEST_HOOK"
signing_key = "env:VIGIL_GUI_TEST_HOOK_KEY"

[[alerts.rules]]
name = "provider-errors"
type = "error_rate"
group_by = "provider"
window = "5m"
threshold = 0.10
for = "2m"
min_requests = 20
severity = "critical"
)");
    const std::string db = dir.path("failing.db");
    addTraffic(db, {{kAt - 30 * kMin, kAt, 30, "gamma", "gemini-1.5-pro", "google", 600, 0.003, 0.3}});
    const AlertSetup setup = setupFromFile(config);
    std::int64_t clock = kAt - 5 * kMin;
    {
        AlertEvaluator::Options o;
        o.storePath = db;
        o.config = setup.config;
        o.holderId = "gui-test-evaluator";
        o.wallClock = [&clock] { return clock; };
        AlertEvaluator evaluator(o);
        OutboxDispatcher dispatcher({db, setup.config, [&clock] { return clock; }, 1000});
        QSignalSpy attempts(&dispatcher, &OutboxDispatcher::attemptFinished);
        ASSERT_TRUE(evaluator.evaluate(clock).leaseHeld); // pending
        clock += 3 * kMin;
        ASSERT_GT(evaluator.evaluate(clock).notificationsQueued, 0); // firing: the trigger waits in the outbox
        dispatcher.pump();
        ASSERT_TRUE(waitFor([&] { return attempts.count() >= 1; }, 30'000));
        EXPECT_EQ(attempts.at(0).at(2).toString(), QStringLiteral("retry")) << attempts.at(0).at(3).toString().toStdString();
        clock += 2 * kMin; // failing for longer than notification_failed_after
        evaluator.evaluate(clock);
        dispatcher.setPaused(true);
        evaluator.releaseLease();
    }
    ASSERT_EQ(keysInPhase(db, AlertPhase::Firing).count("vigil/notification-failed/destination=ops-hook"), 1u)
        << "the evaluator raised notification_failed";

    auto window = openWindow(db, config, clock);
    ui::AlertsPage *page = alertsPage(*window);
    window->showPage(QStringLiteral("alerts"));
    ASSERT_TRUE(waitFor([&] { return !page->failedBannerText().isEmpty(); }));
    EXPECT_TRUE(page->failedBannerText().contains(QStringLiteral("NOTIFICATIONS ARE FAILING")));
    EXPECT_TRUE(page->failedBannerText().contains(QStringLiteral("ops-hook")));
    EXPECT_TRUE(page->findChild<QLabel *>(QStringLiteral("notificationFailedBanner"))->styleSheet().contains(QStringLiteral("#c62828")));
    EXPECT_TRUE(page->keysIn(Section::Firing).contains(QStringLiteral("vigil/notification-failed/destination=ops-hook")));
}

TEST(AlertsPage, AConfigWithAMistakeIsNamedAndTheLastGoodRulesStay)
{
    const IncidentStore &s = incident();
    TempDir dir;
    const std::string config = dir.path("vigil.toml");
    {
        std::ifstream in(s.configPath);
        std::stringstream text;
        text << in.rdbuf();
        writeFile(config, text.str());
    }
    auto window = openWindow(s.storePath, config, kAt);
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    ui::AlertsPage *page = alertsPage(*window);
    window->showPage(QStringLiteral("alerts"));
    ASSERT_EQ(center->config().setup().config.rules.size(), 4u);
    EXPECT_TRUE(page->configBannerText().isEmpty());

    writeFile(config, "[alerts]\n\n[[alerts.rules]]\nname = \"only\"\ntype = \"error_rate\"\nthreshold = \"lots\"\n");
    center->config().reload(); // the file watcher does this too; no need to wait on it here
    ASSERT_FALSE(center->config().problems().isEmpty());
    const std::string problem = center->config().problems().constFirst().toStdString();
    EXPECT_EQ(problem.rfind(config + ":6:", 0), 0u) << problem;
    EXPECT_EQ(center->config().setup().config.rules.size(), 4u) << "the last good rules stay";
    EXPECT_TRUE(page->configBannerText().contains(QString::fromStdString(config) + QStringLiteral(":6:")))
        << page->configBannerText().toStdString();
    EXPECT_TRUE(center->statusButton()->toolTip().contains(QStringLiteral("last good rules")));
}

} // namespace
} // namespace vigil::test
