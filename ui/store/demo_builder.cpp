#include "store/demo_builder.h"

#include "demo/demo_store.h"

#include <QDir>
#include <QPointer>
#include <QStandardPaths>

namespace vigil::ui {

QString defaultDemoStorePath()
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (folder.isEmpty())
        folder = QDir::homePath() + QStringLiteral("/.local/share/vigil");
    return folder + QStringLiteral("/demo.db");
}

DemoBuilder::DemoBuilder(QObject *parent) : QObject(parent) {}

DemoBuilder::~DemoBuilder()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void DemoBuilder::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void DemoBuilder::start(const QString &storePath, std::int64_t nowMs, std::uint64_t records)
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_done = false;
    // The thread posts to `this`; the destructor joins the thread first, so
    // `this` is alive whenever a post is made. Queued calls still pending at
    // destruction are discarded by Qt.
    m_thread = std::thread([this, cancel = m_cancel, path = storePath.toStdString(), nowMs, records] {
        int lastPercent = -2;
        const auto onProgress = [&](const IngestProgress &p) {
            const int percent = p.bytesTotal > 0 ? static_cast<int>(100 * p.bytesDone / p.bytesTotal) : -1;
            if (percent == lastPercent)
                return; // only visible changes cross to the UI thread
            lastPercent = percent;
            QMetaObject::invokeMethod(this, [this, percent, n = p.records] { Q_EMIT progress(percent, n); },
                                      Qt::QueuedConnection);
        };
        QString error;
        qint64 stored = 0, quarantined = 0;
        try {
            const IngestSummary summary = buildDemoStore({path, nowMs, records}, *cancel, onProgress);
            stored = summary.records;
            quarantined = summary.quarantined;
            if (summary.storeError)
                error = QString::fromUtf8(summary.storeError->what());
            else if (!summary.fileErrors.empty())
                error = QString::fromStdString(summary.fileErrors.front());
            else if (cancel->load())
                error = QStringLiteral("Building the demo store was cancelled.");
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [this, error, path, stored, quarantined] {
                m_done = true;
                Q_EMIT finished(error.isEmpty(), QString::fromStdString(path), error, stored, quarantined);
            },
            Qt::QueuedConnection);
    });
}

} // namespace vigil::ui
