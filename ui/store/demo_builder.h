#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

namespace vigil::ui {

// demo.db in the data folder: where `vigilctl demo` puts it too.
QString defaultDemoStorePath();

// Builds the demo store (core's buildDemoStore: a day of traffic ending at
// `nowMs` with the incident in the last hour) on its own thread and reports
// progress on the UI thread.
class DemoBuilder final : public QObject
{
    Q_OBJECT

public:
    explicit DemoBuilder(QObject *parent = nullptr);
    ~DemoBuilder() override; // cancels and waits
    Q_DISABLE_COPY_MOVE(DemoBuilder)

    void start(const QString &storePath, std::int64_t nowMs, std::uint64_t records = 150'000);
    void cancel();
    bool running() const { return m_thread.joinable() && !m_done; }

Q_SIGNALS:
    // percent < 0 while the log is still being generated
    void progress(int percent, qint64 records);
    void finished(bool ok, const QString &storePath, const QString &error, qint64 records, qint64 quarantined);

private:
    std::thread m_thread;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    bool m_done = true;
};

} // namespace vigil::ui
