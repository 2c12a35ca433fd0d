// Ingest from the window: open files, drop them, follow one; progress, the
// summary with the quarantined lines by reason, and the pages catching up.
#include "gui_test_support.h"
#include "test_support.h"

#include "ingest/ingest_controller.h"
#include "ingest/ingest_status_widget.h"
#include "ingest/ingest_summary_dialog.h"
#include "ingest/quarantine_dialog.h"
#include "models/quarantine_model.h"
#include "pages/metric_tile.h"
#include "pages/overview_page.h"
#include "shell/console_context.h"
#include "shell/main_window.h"
#include "shell/status_fields.h"

#include "store/metrics_reader.h"

#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QUrl>

#include <gtest/gtest.h>

#include <memory>

namespace vigil::test {
namespace {

using namespace vigil::ui;

class IngestTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        window = std::make_unique<MainWindow>();
        window->context().pinNow(kNowMs);
        window->resize(1300, 850);
        window->show();
        QSignalSpy opened(window.get(), &MainWindow::storeOpened);
        window->openStore(QString::fromStdString(dir.path("store.db")), OpenMode::CreateIfMissing);
        ASSERT_TRUE(waitFor([&] { return opened.count() == 1; }));
    }

    // `good` records in the last 10 minutes before kNowMs, then bad lines.
    std::string logWith(int good, const std::string &prefix)
    {
        std::string text;
        for (int i = 0; i < good; ++i)
            text += recordLine(prefix + std::to_string(i), kNowMs - 10 * 60'000 + i * 1000, 100 + i, "acme",
                               i % 10 == 0 ? "error" : "ok") + "\n";
        text += "{\"ts\": 1795745584123, \"request_id\": \"broken\"\n"; // not JSON
        text += "{\"ts\":1795745584123,\"tenant\":\"acme\"}\n";           // fields missing
        text += "{\"ts\":1795745584123,\"request_id\":\"x\",\"tenant\":\"acme\",\"model\":\"m\",\"latency_ms\":\"slow\",\"outcome\":\"ok\"}\n";
        return text;
    }

    TempDir dir;
    std::unique_ptr<MainWindow> window;
};

TEST_F(IngestTest, OpenedFilesAreIngestedWithASummaryOfTheQuarantine)
{
    const std::string log = dir.path("app.ndjson");
    writeFile(log, logWith(50, "a"));
    QSignalSpy summaries(window.get(), &MainWindow::ingestSummaryShown);
    window->ingestFiles({QString::fromStdString(log)});
    ASSERT_TRUE(waitFor([&] { return summaries.count() == 1; }));
    auto *summary = summaries.front().front().value<IngestSummaryDialog *>();
    ASSERT_NE(summary, nullptr);
    EXPECT_TRUE(summary->headline().contains(QStringLiteral("50 records stored"))) << summary->headline().toStdString();
    EXPECT_TRUE(summary->headline().contains(QStringLiteral("3 lines quarantined"))) << summary->headline().toStdString();
    // The reasons listed are the reasons the store recorded.
    QuarantineReader reader(dir.path("store.db"));
    std::map<std::string, std::int64_t> stored = reader.countByReason({});
    QList<QPair<QString, qint64>> expected;
    for (const auto &[reason, count] : stored)
        expected.append({QString::fromStdString(reason), count});
    EXPECT_EQ(summary->reasons(), expected);
    EXPECT_GE(stored.size(), 2u);

    // "Show quarantined lines" lists exactly those lines, with their raw text.
    summary->showQuarantined();
    QuarantineDialog *lines = nullptr;
    ASSERT_TRUE(waitFor([&] {
        lines = window->findChild<QuarantineDialog *>();
        return lines && !lines->isLoading() && lines->model()->rowCount() > 0;
    }));
    EXPECT_EQ(lines->model()->rowCount(), 3);
    bool sawBroken = false;
    for (int row = 0; row < 3; ++row)
        sawBroken = sawBroken || lines->model()->lineAt(row)->raw.find("broken") != std::string::npos;
    EXPECT_TRUE(sawBroken);

    // The pages catch up: the overview counts the new records.
    OverviewPage *overview = window->overview();
    ASSERT_TRUE(waitFor([&] { return overview->snapshot() && overview->snapshot()->current.requests == 50; }));
    EXPECT_EQ(overview->requestsTile()->valueText(), QStringLiteral("50"));
    ASSERT_TRUE(waitFor([&] { return window->statusFields()->recordsText() == QStringLiteral("50 records"); }, 30'000))
        << window->statusFields()->recordsText().toStdString();
}

TEST_F(IngestTest, DroppedFilesAreIngested)
{
    const std::string a = dir.path("a.jsonl"), b = dir.path("b.ndjson");
    writeFile(a, logWith(20, "a"));
    writeFile(b, logWith(30, "b"));
    window->setShowIngestSummaries(false);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QString::fromStdString(a)), QUrl::fromLocalFile(QString::fromStdString(b))});
    const QPoint centre = window->rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window.get(), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window.get(), &drop);
    ASSERT_EQ(window->ingest().jobIds().size(), 1);
    const int id = window->ingest().jobIds().front();
    EXPECT_EQ(window->ingest().job(id)->files.size(), 2);
    ASSERT_TRUE(waitFor([&] { return !window->ingest().busy(); }));
    EXPECT_EQ(window->ingest().job(id)->summary.records, 50);
    EXPECT_EQ(MetricsReader(dir.path("store.db")).totalRequests(), 50);
}

TEST_F(IngestTest, AFollowedFileIsIngestedAsItGrowsUntilStopped)
{
    const std::string log = dir.path("live.ndjson");
    writeFile(log, logWith(5, "live"));
    window->setShowIngestSummaries(false);
    window->followFile(QString::fromStdString(log));
    ASSERT_EQ(window->ingest().jobIds().size(), 1);
    const int id = window->ingest().jobIds().front();
    ASSERT_TRUE(waitFor([&] { return window->ingest().job(id)->state == IngestState::Following; }));
    MetricsReader reader(dir.path("store.db"));
    // "Following" means the reader reached the end; the last batch may still be committing.
    EXPECT_TRUE(waitFor([&] { return reader.totalRequests() == 5; })) << reader.totalRequests();
    appendFile(log, recordLine("later-1", kNowMs - 1000) + "\n" + recordLine("later-2", kNowMs - 500) + "\n");
    ASSERT_TRUE(waitFor([&] { return reader.totalRequests() == 7; }));
    // The overview refreshes on its own while data arrives.
    ASSERT_TRUE(waitFor([&] {
        const OverviewSnapshot *s = window->overview()->snapshot();
        return s && s->current.requests == 7;
    }));
    window->ingest().cancel(id);
    ASSERT_TRUE(waitFor([&] { return !window->ingest().busy(); }));
    EXPECT_EQ(window->ingest().job(id)->state, IngestState::Cancelled);
    EXPECT_EQ(window->ingest().job(id)->summary.records, 7);
}

TEST_F(IngestTest, ABigIngestShowsProgressAndCanBeCancelled)
{
    const std::string log = dir.path("big.ndjson");
    const ProcessResult r = runVigilctl({QStringLiteral("generate"), QStringLiteral("--out"), QString::fromStdString(log),
                                         QStringLiteral("--records"), QStringLiteral("400000"), QStringLiteral("--payload"),
                                         QStringLiteral("200-300"), QStringLiteral("--now"), QString::number(kNowMs)});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    window->setShowIngestSummaries(false);
    window->ingestFiles({QString::fromStdString(log)});
    const int id = window->ingest().jobIds().front();
    ASSERT_TRUE(waitFor([&] { return window->ingest().job(id)->progress.records > 0; }));
    EXPECT_TRUE(window->statusFields()->ingestWidget()->isVisible());
    EXPECT_TRUE(window->statusFields()->ingestWidget()->text().startsWith(QStringLiteral("Ingesting big.ndjson")))
        << window->statusFields()->ingestWidget()->text().toStdString();
    window->ingest().cancel(id);
    ASSERT_TRUE(waitFor([&] { return !window->ingest().busy(); }));
    EXPECT_EQ(window->ingest().job(id)->state, IngestState::Cancelled);
    EXPECT_LT(window->ingest().job(id)->summary.records, 400000);
    EXPECT_FALSE(window->statusFields()->ingestWidget()->isVisible());
}

} // namespace
} // namespace vigil::test
