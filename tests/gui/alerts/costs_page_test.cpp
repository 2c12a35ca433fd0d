// The Costs page over the incident store: bar colours against the caps,
// the daily total and the projection, overdue reviews, and cap edits
// (refused with the reason, or saved and still there after reopening).
#include "alerts_gui_fixture.h"
#include "gui_test_support.h"
#include "test_support.h"

#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "costs/cap_bar.h"
#include "costs/cap_edit_dialog.h"
#include "costs/costs_page.h"
#include "pages/metric_tile.h"
#include "pages/overview_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "util/format.h"
#include "util/theme.h"

#include "store/cost_cap_store.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>

#include <gtest/gtest.h>

namespace vigil::test {
namespace {

const IncidentStore &incident()
{
    static TempDir *dir = new TempDir;
    static IncidentStore store = buildIncidentStore(dir->path(""));
    return store;
}

ui::CostsPage *costsPage(ui::MainWindow &w)
{
    auto *page = qobject_cast<ui::CostsPage *>(w.page(QStringLiteral("costs")));
    EXPECT_NE(page, nullptr);
    w.showPage(QStringLiteral("costs"));
    EXPECT_TRUE(waitFor([&] { return page->dailyBar()->share() > 0 && !page->tenantsShown().isEmpty(); }));
    return page;
}

int capRow(const QTableWidget *table, const QString &name)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == name)
            return r;
    return -1;
}

TEST(CostsPage, BarsTurnAmberAtTheWarningShareAndRedAtTheCap)
{
    const IncidentStore &s = incident();
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::CostsPage *page = costsPage(*window);
    const ui::StatusColors colours = ui::statusColors(page->palette());

    ui::CapBar *acme = page->tenantBar(QStringLiteral("acme"));   // $5.40 of $20: 27%
    ui::CapBar *beta = page->tenantBar(QStringLiteral("beta"));   // $10.80 of $12.50: 86%
    ui::CapBar *gamma = page->tenantBar(QStringLiteral("gamma")); // $16.20 of $15: 108%
    ASSERT_TRUE(acme && beta && gamma) << page->tenantsShown().join(QLatin1Char(' ')).toStdString();
    EXPECT_NEAR(acme->share(), kAcmeSpend / 20.0, 1e-9);
    EXPECT_NEAR(beta->share(), kBetaSpend / 12.5, 1e-9);
    EXPECT_NEAR(gamma->share(), kGammaSpend / 15.0, 1e-9);
    EXPECT_EQ(acme->level(), CapLevel::Ok);
    EXPECT_EQ(acme->fillColor(), colours.good);
    EXPECT_EQ(beta->level(), CapLevel::Warn);
    EXPECT_EQ(beta->fillColor(), colours.warning);
    EXPECT_EQ(gamma->level(), CapLevel::Over);
    EXPECT_EQ(gamma->fillColor(), colours.bad);
    EXPECT_EQ(page->tenantsShown().constFirst(), QStringLiteral("gamma")) << "most spent first";

    // Exactly at the shares: 80% is amber, 100% is red.
    ui::CapBar probe;
    probe.setValues(80, 100, 0.8, std::nullopt);
    EXPECT_EQ(probe.fillColor(), colours.warning);
    probe.setValues(79.99, 100, 0.8, std::nullopt);
    EXPECT_EQ(probe.fillColor(), colours.good);
    probe.setValues(100, 100, 0.8, std::nullopt);
    EXPECT_EQ(probe.fillColor(), colours.bad);
}

TEST(CostsPage, TheDailyTotalAgainstTheCeilingAndTheProjectedEndOfDay)
{
    const IncidentStore &s = incident();
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::CostsPage *page = costsPage(*window);
    const double total = kAcmeSpend + kBetaSpend + kGammaSpend; // $32.40 of $40: 81%
    EXPECT_NEAR(page->dailyBar()->share(), total / 40.0, 1e-9);
    EXPECT_EQ(page->dailyBar()->level(), CapLevel::Warn);
    EXPECT_TRUE(page->dailyText().startsWith(ui::formatUsd(total) + QStringLiteral(" of the $40.00 daily ceiling")))
        << page->dailyText().toStdString();
    // 3 hours at a steady rate, 12 hours left: five times what was spent.
    EXPECT_TRUE(page->projectionText().contains(ui::formatUsd(kTotalProjected))) << page->projectionText().toStdString();
    EXPECT_TRUE(page->projectionText().contains(QStringLiteral("over the daily ceiling")));

    // The overview's spend tile now has the cap to compare with.
    ASSERT_TRUE(waitFor([&] { return window->context().dailyCapUsd() == std::optional<double>(40.0); }));
    window->showPage(QStringLiteral("overview"));
    ASSERT_TRUE(waitFor([&] {
        return window->overview()->spendTile()->detailText().contains(QStringLiteral("of the $40.00 daily cap"));
    })) << window->overview()->spendTile()->detailText().toStdString();
}

TEST(CostsPage, TheOverviewsSpendTileCountsTheDayOfTheConfiguredTimeZone)
{
    // In UTC+13 the day began at 11:00 UTC: only the incident store's last
    // hour is "today" there, on the Costs page and on the overview alike.
    const IncidentStore &s = incident();
    TempDir dir;
    std::string config = readFile(s.configPath);
    const std::string utc = "time_zone = \"UTC\"";
    ASSERT_NE(config.find(utc), std::string::npos);
    config.replace(config.find(utc), utc.size(), "time_zone = \"Etc/GMT-13\"");
    const std::string configPath = dir.path("vigil.toml");
    writeFile(configPath, config);
    const double lastHour = 60 * 30 * (0.001 + 0.002 + 0.003); // $10.80
    auto window = openWindow(s.storePath, configPath, kAt);
    ui::CostsPage *page = costsPage(*window);
    EXPECT_TRUE(page->dailyText().startsWith(ui::formatUsd(lastHour) + QStringLiteral(" of the $40.00 daily ceiling")))
        << page->dailyText().toStdString();

    window->showPage(QStringLiteral("overview"));
    ui::MetricTile *tile = window->overview()->spendTile();
    ASSERT_TRUE(waitFor([&] { return tile->valueText() == ui::formatUsd(lastHour); }))
        << tile->valueText().toStdString() << " (the UTC day would be " << ui::formatUsd(kAcmeSpend + kBetaSpend + kGammaSpend).toStdString() << ")";
    EXPECT_EQ(tile->captionText(), QStringLiteral("Spend today (Etc/GMT-13)"));
    EXPECT_TRUE(tile->detailText().contains(QStringLiteral("of the $40.00 daily cap (27"))) << tile->detailText().toStdString();
}

TEST(CostsPage, CapsWithTheirReviewDatesAndOverdueReviewsFlagged)
{
    const IncidentStore &s = incident();
    auto window = openWindow(s.storePath, s.configPath, kAt);
    ui::CostsPage *page = costsPage(*window);
    QTableWidget *caps = page->capsTable();
    const int beta = capRow(caps, QStringLiteral("Tenant beta"));
    const int acme = capRow(caps, QStringLiteral("Tenant acme"));
    const int daily = capRow(caps, QStringLiteral("Daily ceiling (all tenants)"));
    ASSERT_GE(beta, 0);
    ASSERT_GE(acme, 0);
    ASSERT_GE(daily, 0);
    EXPECT_EQ(caps->item(beta, 2)->text(), QStringLiteral("2026-06-01"));
    EXPECT_EQ(caps->item(beta, 4)->text(), QStringLiteral("review overdue")) << "172 days before Nov 20";
    EXPECT_EQ(caps->item(acme, 2)->text(), QStringLiteral("2026-10-01"));
    EXPECT_EQ(caps->item(acme, 4)->text(), QStringLiteral("ok")) << "50 days";
    EXPECT_EQ(caps->item(daily, 4)->text(), QStringLiteral("ok"));
    EXPECT_TRUE(caps->item(beta, 3)->text().startsWith(QStringLiteral("vigil.toml:")))
        << "where the cap is set: " << caps->item(beta, 3)->text().toStdString();
    EXPECT_TRUE(caps->item(beta, 3)->toolTip().startsWith(QString::fromStdString(s.configPath) + QLatin1Char(':')));
    EXPECT_TRUE(page->reviewText().contains(QStringLiteral("review overdue"))) << page->reviewText().toStdString();
    EXPECT_FALSE(page->reviewText().contains(QStringLiteral("acme")));
}

TEST(CostsPage, ACapEditIsValidatedAndAGoodOneIsSavedAndStillThereAfterReopening)
{
    TempDir dir;
    const std::string db = dir.path("caps.db");
    ASSERT_TRUE(QFile::copy(QString::fromStdString(incident().storePath), QString::fromStdString(db)));
    auto window = openWindow(db, incident().configPath, kAt);
    ui::CostsPage *page = costsPage(*window);
    QSignalSpy saved(page, &ui::CostsPage::capSaved);

    ui::CapEditDialog *dialog = page->openCapEditor(CapScope::Tenant, QStringLiteral("acme"));
    ASSERT_NE(dialog, nullptr);
    auto *amount = dialog->findChild<QLineEdit *>(QStringLiteral("amount"));
    QPushButton *save = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Save);
    EXPECT_EQ(amount->text(), QStringLiteral("20.00")) << "starts from the cap in force";

    amount->setText(QStringLiteral("lots"));
    save->click();
    EXPECT_TRUE(dialog->errorText().contains(QStringLiteral("not an amount"))) << dialog->errorText().toStdString();
    amount->setText(QStringLiteral("-5"));
    save->click();
    EXPECT_FALSE(dialog->errorText().isEmpty());
    EXPECT_TRUE(dialog->isVisible()) << "a refused edit keeps the dialog open";
    amount->setText(QStringLiteral("250"));
    dialog->findChild<QDateEdit *>(QStringLiteral("reviewedOn"))->setDate(QDate(2027, 1, 1));
    save->click();
    EXPECT_TRUE(dialog->errorText().contains(QStringLiteral("future"))) << dialog->errorText().toStdString();
    EXPECT_EQ(saved.count(), 0) << "nothing reached the store";
    EXPECT_TRUE(CostCapStore(db, CostCapStore::Access::ReadOnly).overrides().empty());

    // The store refuses what the dialog cannot know (the same rules, checked again there).
    page->saveCap(CapScope::Tenant, QStringLiteral("acme"), 2e9, QDate(2026, 11, 20), QStringLiteral("typo"));
    ASSERT_TRUE(waitFor([&] { return saved.count() == 1; }));
    EXPECT_FALSE(saved.at(0).at(0).toBool());
    EXPECT_FALSE(saved.at(0).at(1).toString().isEmpty());

    dialog->findChild<QDateEdit *>(QStringLiteral("reviewedOn"))->setDate(QDate(2026, 11, 19));
    dialog->findChild<QLineEdit *>(QStringLiteral("reason"))->setText(QStringLiteral("acme signed the bigger plan"));
    save->click();
    ASSERT_TRUE(waitFor([&] { return saved.count() == 2; }));
    EXPECT_TRUE(saved.at(1).at(0).toBool()) << saved.at(1).at(1).toString().toStdString();
    ASSERT_TRUE(waitFor([&] {
        const int row = capRow(page->capsTable(), QStringLiteral("Tenant acme"));
        return row >= 0 && page->capsTable()->item(row, 1)->text() == QStringLiteral("$250.00");
    }));
    const int row = capRow(page->capsTable(), QStringLiteral("Tenant acme"));
    EXPECT_EQ(page->capsTable()->item(row, 2)->text(), QStringLiteral("2026-11-19"));
    EXPECT_TRUE(page->capsTable()->item(row, 3)->text().startsWith(QStringLiteral("set by "))) << page->capsTable()->item(row, 3)->text().toStdString();
    EXPECT_NEAR(page->tenantBar(QStringLiteral("acme"))->share(), kAcmeSpend / 250.0, 1e-9);

    // Reopen the store: the cap is the stored one.
    window->openStore(QString::fromStdString(db));
    ui::AlertCenter *center = ui::AlertCenter::of(*window);
    ASSERT_TRUE(waitFor([&] { return window->context().hasStore() && center->snapshot() != nullptr; }));
    ASSERT_TRUE(waitFor([&] {
        const int r = capRow(page->capsTable(), QStringLiteral("Tenant acme"));
        return r >= 0 && page->capsTable()->item(r, 1)->text() == QStringLiteral("$250.00");
    }));
    const auto overrides = CostCapStore(db, CostCapStore::Access::ReadOnly).overrides();
    ASSERT_EQ(overrides.size(), 1u);
    EXPECT_EQ(overrides[0].tenant, "acme");
    EXPECT_EQ(overrides[0].usd, 250.0);
    EXPECT_EQ(overrides[0].reason, "acme signed the bigger plan");
}

} // namespace
} // namespace vigil::test
