#pragma once

#include "ingest/ingest_job.h"

#include <QObject>

#include <atomic>
#include <map>
#include <memory>
#include <thread>

namespace vigil {
class WriteQueue;
}

namespace vigil::ui {

// Runs the window's ingests: files opened together are read one after another
// on their own thread, followed files each on theirs, all through the one
// WriteQueue of the open store (one writer per process). Progress, the end of
// a job and "records were stored" come back on the UI thread as signals.
class IngestController final : public QObject
{
    Q_OBJECT

public:
    explicit IngestController(QObject *parent = nullptr);
    ~IngestController() override; // cancels every job and waits for it
    Q_DISABLE_COPY_MOVE(IngestController)

    // The writer of the open store; null when the store is read-only or none
    // is open. Running jobs keep the writer they started with.
    void setWriter(std::shared_ptr<WriteQueue> writer, const QString &storePath);
    bool canIngest() const { return m_writer != nullptr; }
    QString storePath() const { return m_storePath; }

    // Returns the job id, or 0 when ingest is not possible (see refused()).
    int ingest(const QStringList &files);
    int follow(const QString &file);
    void cancel(int id);
    void cancelAll();

    const IngestJob *job(int id) const;
    QList<int> jobIds() const; // oldest first
    bool busy() const;
    int activeCount() const;

Q_SIGNALS:
    void jobAdded(int id);
    void jobChanged(int id);
    void jobFinished(int id);
    void dataCommitted(); // records were stored: pages coalesce their refresh
    void busyChanged(bool busy);
    void refused(const QString &reason);

private:
    struct Running
    {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> cancel;
    };

    int addJob(const QStringList &files, bool follow);
    void startNextQueued();
    void launch(int id);
    void onProgress(int id, int fileIndex, const IngestProgress &progress);
    void onFileDone(int id, int fileIndex, const IngestSummary &summary);
    void onJobDone(int id, bool cancelled);
    void updateBusy();

    std::shared_ptr<WriteQueue> m_writer;
    QString m_storePath;
    std::map<int, IngestJob> m_jobs;
    std::map<int, Running> m_running;
    int m_nextId = 1;
    bool m_busy = false;
};

} // namespace vigil::ui
