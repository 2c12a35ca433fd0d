// The Prompts page over a real repository and store: the list and history
// match git's own log, the figures per version match the records, the diff
// of two versions is shown, and both models pass QAbstractItemModelTester.
#include "prompts_world.h"

#include "gui_test_support.h"

#include "prompts/prompt_list_model.h"
#include "prompts/prompts_page.h"
#include "prompts/side_by_side_view.h"
#include "prompts/version_history_model.h"

#include "metrics/percentile.h"

#include <QAbstractItemModelTester>
#include <QTableView>
#include <QTest>

#include "shell/console_context.h"
#include "util/format.h"
#include "util/time_range.h"
#include <QLineEdit>
#include <QPushButton>
#include <gtest/gtest.h>

namespace vigil::test {
namespace {

using namespace vigil::ui;

// QAbstractItemModelTester reports through the "qt.modeltest" category in Warning mode.
class ModelTesterWarnings
{
public:
    ModelTesterWarnings() { s_previous = qInstallMessageHandler(&ModelTesterWarnings::handle); s_messages.clear(); }
    ~ModelTesterWarnings() { qInstallMessageHandler(s_previous); }
    const QStringList &messages() const { return s_messages; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        if (type != QtDebugMsg && type != QtInfoMsg && context.category && qstrcmp(context.category, "qt.modeltest") == 0)
            s_messages << message;
        else if (s_previous)
            s_previous(type, context, message);
    }
    static inline QtMessageHandler s_previous = nullptr;
    static inline QStringList s_messages;
};

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    for (const QString &line : QString::fromStdString(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        out.push_back(line.toStdString());
    return out;
}

TEST(PromptsPage, ListAndHistoryMatchTheRepository)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;

    const PromptListModel &prompts = page.promptModel();
    ASSERT_EQ(prompts.rowCount(), 2);
    EXPECT_EQ(prompts.row(0)->name, "classify");
    EXPECT_EQ(prompts.row(1)->name, "summarize");
    EXPECT_EQ(prompts.row(1)->path, "prompts/summarize.txt");
    EXPECT_EQ(prompts.row(1)->versionCount, 3u);
    EXPECT_EQ(prompts.row(0)->versionCount, 1u);
    EXPECT_EQ(prompts.data(prompts.index(1, PromptListModel::ActiveVersion)).toString(), QStringLiteral("none"));
    EXPECT_TRUE(page.locationLine().contains(QString::fromStdString(world.repoPath))) << page.locationLine().toStdString();
    EXPECT_TRUE(page.locationLine().contains(QStringLiteral("the store")));

    // git log of the file, by the git binary: SHA, author, author time, subject.
    const auto log = lines(git(world.repoPath, {QStringLiteral("log"), QStringLiteral("--format=%H|%an|%at|%s"),
                                                QStringLiteral("--"), QStringLiteral("prompts/summarize.txt")}));
    const VersionHistoryModel &history = page.historyModel();
    ASSERT_EQ(log.size(), 3u);
    ASSERT_GE(history.rowCount(), 3);
    for (std::size_t i = 0; i < log.size(); ++i) {
        const QStringList fields = QString::fromStdString(log[i]).split(QLatin1Char('|'));
        const PromptVersion *v = history.version(static_cast<int>(i));
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(QString::fromStdString(v->sha), fields[0]);
        EXPECT_EQ(QString::fromStdString(v->shortSha), fields[0].left(7));
        EXPECT_EQ(QString::fromStdString(v->author), fields[1]);
        EXPECT_EQ(v->dateMs, fields[2].toLongLong() * 1000);
        EXPECT_EQ(QString::fromStdString(v->subject), fields[3]);
        EXPECT_EQ(history.data(history.index(static_cast<int>(i), VersionHistoryModel::Version)).toString(), fields[0].left(7));
        EXPECT_EQ(history.data(history.index(static_cast<int>(i), VersionHistoryModel::Subject)).toString(), fields[3]);
    }
    EXPECT_EQ(history.version(0)->sha, world.summarizeC);
    EXPECT_EQ(history.version(2)->sha, world.summarizeA);
    // Nothing activated yet: no row is marked, and no rollback is offered.
    for (int row = 0; row < 3; ++row)
        EXPECT_TRUE(history.data(history.index(row, VersionHistoryModel::State)).toString().isEmpty());
    EXPECT_FALSE(page.rollbackButton()->isEnabled());
    EXPECT_TRUE(page.activeLine().contains(QStringLiteral("no version activated")));
}

TEST(PromptsPage, FiguresPerVersionMatchTheRecords)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    const VersionHistoryModel &history = w.page->historyModel();

    // Brute force over the records the world wrote, by version.
    const std::map<std::string, const StampedRecords *> byVersion = {
        {world.summarizeA, &world.records[0]}, {world.summarizeB, &world.records[1]}, {world.summarizeC, &world.records[2]}};
    for (int row = 0; row < 3; ++row) {
        const PromptVersion *v = history.version(row);
        const VersionMetrics *m = history.metrics(row);
        ASSERT_TRUE(v && m);
        const StampedRecords &expected = *byVersion.at(v->sha);
        std::vector<double> latencies = expected.latencies;
        const auto p95 = nearestRankPercentile(latencies, 95);
        std::size_t failed = 0, fallbacks = 0;
        for (const std::string &o : expected.outcomes) {
            failed += o == "error" || o == "timeout";
            fallbacks += o == "fallback";
        }
        const double n = static_cast<double>(expected.latencies.size());
        EXPECT_EQ(m->requests, expected.latencies.size()) << v->shortSha;
        ASSERT_TRUE(m->p95Ms);
        EXPECT_NEAR(*m->p95Ms, *p95, *p95 * 0.01) << v->shortSha;
        EXPECT_DOUBLE_EQ(m->errorRate, static_cast<double>(failed) / n) << v->shortSha;
        EXPECT_DOUBLE_EQ(m->fallbackRate, static_cast<double>(fallbacks) / n) << v->shortSha;
        ASSERT_TRUE(m->meanCostUsd);
        EXPECT_NEAR(*m->meanCostUsd, expected.costUsd, 1e-9);
        // And as the table writes them.
        EXPECT_EQ(history.data(history.index(row, VersionHistoryModel::Requests)).toString(),
                  QString::number(expected.latencies.size()));
        EXPECT_EQ(history.data(history.index(row, VersionHistoryModel::ErrorRate)).toString(),
                  formatPercent(static_cast<double>(failed) / n));
        EXPECT_EQ(history.data(history.index(row, VersionHistoryModel::P95)).toString(), formatMs(m->p95Ms));
    }
    // The version serving now is the one the records saw last (C).
    EXPECT_TRUE(w.page->activeLine().contains(QStringLiteral("Serving in the records: <b>%1</b>")
                                                  .arg(QString::fromStdString(world.summarizeC.substr(0, 7)))))
        << w.page->activeLine().toStdString();

    // A range with none of the records: every version at zero.
    w.window.context().setRange(TimeRange::custom(world.recordsEndMs - 48 * 3600'000LL, world.recordsEndMs - 47 * 3600'000LL));
    ASSERT_TRUE(waitFor([&] {
        const HistorySnapshot *h = history.snapshot();
        return h && h->window.toMs == world.recordsEndMs - 47 * 3600'000LL && !w.page->isLoading();
    }));
    for (int row = 0; row < 3; ++row)
        EXPECT_EQ(history.metrics(row)->requests, 0u);
    EXPECT_EQ(history.data(history.index(0, VersionHistoryModel::P95)).toString(), QStringLiteral("-"));
}

TEST(PromptsPage, DiffOfTwoVersionsAndOfOneAgainstTheActive)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    PromptsWindow w(world);
    PromptsPage &page = *w.page;

    // Two versions: older -> newer, whatever order they were picked in.
    page.selectVersions({QString::fromStdString(world.summarizeC), QString::fromStdString(world.summarizeA)});
    ASSERT_TRUE(waitFor([&] { return page.diff() && page.diff()->newVersion.sha == world.summarizeC && !page.isLoading(); }));
    const DiffSnapshot &diff = *page.diff();
    EXPECT_EQ(diff.oldVersion.sha, world.summarizeA);
    EXPECT_EQ(diff.added, 3u);   // bullets line, words line, numbers line
    EXPECT_EQ(diff.removed, 2u);
    EXPECT_TRUE(page.diffTitle().contains(QStringLiteral("+3 −2"))) << page.diffTitle().toStdString();
    ASSERT_TRUE(page.diffView()->isDiff());
    const auto &rows = page.diffView()->rows();
    // "3 bullet points" -> "5 bullet points": a changed line with only the digit marked.
    const auto changed = std::find_if(rows.begin(), rows.end(), [](const SideBySideRow &r) {
        return r.kind == SideBySideRow::Kind::Changed && r.oldText.find("3 bullet") != std::string::npos;
    });
    ASSERT_NE(changed, rows.end());
    EXPECT_NE(changed->newText.find("5 bullet"), std::string::npos);
    ASSERT_EQ(changed->oldHighlights.size(), 1u);
    EXPECT_EQ(changed->oldText.substr(changed->oldHighlights[0].first,
                                      changed->oldHighlights[0].second - changed->oldHighlights[0].first),
              "3");
    const QString shown = page.diffView()->toPlainText();
    EXPECT_TRUE(shown.contains(QStringLiteral("Keep every number exactly as written."))) << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("Keep each bullet short.")));

    // One version, nothing active: against the version before it.
    page.selectVersions({QString::fromStdString(world.summarizeB)});
    ASSERT_TRUE(waitFor([&] { return page.diff() && page.diff()->newVersion.sha == world.summarizeB && !page.isLoading(); }));
    EXPECT_EQ(page.diff()->oldVersion.sha, world.summarizeA);
    EXPECT_EQ(page.versionEdit()->text(), QString::fromStdString(world.summarizeB.substr(0, 7)));

    // Enter on a version shows its whole text.
    page.versionTable()->setFocus();
    page.versionTable()->setCurrentIndex(page.historyModel().index(0, VersionHistoryModel::Version));
    QTest::keyClick(page.versionTable(), Qt::Key_Return);
    ASSERT_TRUE(waitFor([&] { return !page.diffView()->isDiff() && !page.isLoading(); }));
    EXPECT_TRUE(page.diffView()->toPlainText().contains(QStringLiteral("Summarize the document in 5 bullet points.")));
    EXPECT_TRUE(page.diffTitle().contains(QStringLiteral("the whole text")));
}

TEST(PromptsPage, ModelsPassTheModelTester)
{
    PromptsWorld world;
    world.rememberRepoInStore();
    ModelTesterWarnings warnings;
    PromptsWindow w(world, {});
    QAbstractItemModelTester listTester(const_cast<QAbstractItemModel *>(static_cast<const QAbstractItemModel *>(&w.page->promptModel())),
                                        QAbstractItemModelTester::FailureReportingMode::Warning);
    QAbstractItemModelTester historyTester(
        const_cast<QAbstractItemModel *>(static_cast<const QAbstractItemModel *>(&w.page->historyModel())),
        QAbstractItemModelTester::FailureReportingMode::Warning);
    ASSERT_TRUE(waitFor([&] { return w.page->promptModel().rowCount() == 2 && w.page->historyModel().snapshot() && !w.page->isLoading(); }));
    // Switch prompts, change the range, and back: resets under the testers' eyes.
    w.page->selectPrompt(QStringLiteral("summarize"));
    ASSERT_TRUE(historyShown(*w.page, QStringLiteral("summarize")));
    w.window.context().setRange(TimeRange::sliding(RangePreset::Last6h));
    ASSERT_TRUE(settle(*w.page));
    w.page->selectPrompt(QStringLiteral("classify"));
    ASSERT_TRUE(historyShown(*w.page, QStringLiteral("classify")));
    EXPECT_EQ(w.page->historyModel().rowCount(), 1);
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

} // namespace
} // namespace vigil::test
