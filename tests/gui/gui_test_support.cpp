#include "gui_test_support.h"

#include "test_support.h"

#include "ingest/file_ingester.h"
#include "record/price_table.h"
#include "record/timestamp.h"
#include "store/write_queue.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QThread>

#include <gtest/gtest.h>

#include <memory>

namespace vigil::test {

void buildStore(const std::string &storePath, const std::string &logPath, const std::string &content)
{
    writeFile(logPath, content);
    WriteQueue queue(storePath);
    FileIngestOptions options;
    options.prices = &PriceTable::builtin();
    FileIngester ingester(queue, options);
    std::atomic<bool> cancel{false};
    const IngestSummary summary = ingester.run(logPath, cancel);
    ASSERT_FALSE(summary.storeError.has_value());
    ASSERT_TRUE(summary.fileErrors.empty());
}

const GuiStore &sharedStore()
{
    static TempDir *dir = new TempDir; // kept for the whole run
    static GuiStore store = [] {
        GuiStore s{dir->path("shared.db"), dir->path("shared.ndjson")};
        const ProcessResult r = runVigilctl({QStringLiteral("generate"), QStringLiteral("--out"),
                                             QString::fromStdString(s.logPath), QStringLiteral("--records"),
                                             QStringLiteral("40000"), QStringLiteral("--since"), QStringLiteral("24h"),
                                             QStringLiteral("--now"), QString::number(kNowMs), QStringLiteral("--incident"),
                                             QStringLiteral("--malformed"), QStringLiteral("0.001"),
                                             QStringLiteral("--payload"), QStringLiteral("200-400")});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        WriteQueue queue(s.storePath);
        FileIngestOptions options;
        options.prices = &PriceTable::builtin();
        FileIngester ingester(queue, options);
        std::atomic<bool> cancel{false};
        const IngestSummary summary = ingester.run(s.logPath, cancel);
        EXPECT_FALSE(summary.storeError.has_value());
        EXPECT_GT(summary.records, 39000);
        return s;
    }();
    return store;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(5);
    }
    return true;
}

QJsonObject vigilctlJson(const std::string &storePath, const QStringList &args)
{
    QStringList all = args;
    all << QStringLiteral("--json") << QStringLiteral("--db") << QString::fromStdString(storePath);
    const ProcessResult r = runVigilctl(all);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return QJsonDocument::fromJson(QByteArray::fromStdString(r.out)).object();
}

QString rfc3339(std::int64_t ms)
{
    return QString::fromStdString(formatRfc3339Ms(ms));
}

} // namespace vigil::test
