#include "ingest/ingest_controller.h"

#include "metrics/time_window.h"
#include "record/price_table.h"
#include "store/write_queue.h"

#include <QFileInfo>
#include <QThreadPool>

namespace vigil::ui {

IngestController::IngestController(QObject *parent) : QObject(parent) {}

IngestController::~IngestController()
{
    for (auto &[id, running] : m_running)
        running.cancel->store(true);
    for (auto &[id, running] : m_running) {
        if (running.thread.joinable())
            running.thread.join();
    }
    // The writer commits what is queued and checkpoints on destruction; that
    // happens here at the latest, when the window itself goes away.
}

void IngestController::setWriter(std::shared_ptr<WriteQueue> writer, const QString &storePath)
{
    std::shared_ptr<WriteQueue> old = std::move(m_writer);
    m_writer = std::move(writer);
    m_storePath = storePath;
    if (old && old != m_writer) {
        // Closing a writer drains it and checkpoints the log: never on the UI thread.
        QThreadPool::globalInstance()->start([old = std::move(old)]() mutable { old.reset(); });
    }
}

int IngestController::ingest(const QStringList &files)
{
    if (files.isEmpty())
        return 0;
    return addJob(files, false);
}

int IngestController::follow(const QString &file)
{
    return addJob({file}, true);
}

int IngestController::addJob(const QStringList &files, bool follow)
{
    if (!m_writer) {
        Q_EMIT refused(m_storePath.isEmpty() ? tr("No store is open.")
                                             : tr("%1 is open read-only; nothing can be ingested into it.")
                                                   .arg(m_storePath));
        return 0;
    }
    IngestJob job;
    job.id = m_nextId++;
    for (const QString &f : files)
        job.files << QFileInfo(f).absoluteFilePath();
    job.follow = follow;
    m_jobs.emplace(job.id, job);
    Q_EMIT jobAdded(job.id);
    if (follow)
        launch(job.id);
    else
        startNextQueued();
    updateBusy();
    return job.id;
}

void IngestController::startNextQueued()
{
    // Files are read one job at a time: two parsers on a two-core machine only
    // slow each other and the UI down.
    for (const auto &[id, job] : m_jobs) {
        if (!job.follow && (job.state == IngestState::Running))
            return;
    }
    for (const auto &[id, job] : m_jobs) {
        if (!job.follow && job.state == IngestState::Queued) {
            launch(id);
            return;
        }
    }
}

void IngestController::launch(int id)
{
    IngestJob &job = m_jobs.at(id);
    job.state = IngestState::Running;
    job.startedAtMs = currentTimeMs();
    Running &running = m_running[id];
    running.cancel = std::make_shared<std::atomic<bool>>(false);
    std::vector<std::string> files;
    for (const QString &f : job.files)
        files.push_back(f.toStdString());
    // The thread posts to `this`; the destructor joins every thread before
    // `this` goes, and Qt drops posts still queued for a destroyed object.
    running.thread = std::thread([this, id, files, follow = job.follow, writer = m_writer,
                                  cancel = running.cancel]() mutable {
        FileIngestOptions options;
        options.follow = follow;
        options.prices = &PriceTable::builtin();
        FileIngester ingester(*writer, options);
        for (std::size_t i = 0; i < files.size() && !cancel->load(); ++i) {
            const int fileIndex = static_cast<int>(i);
            const IngestSummary summary = ingester.run(files[i], *cancel, [this, id, fileIndex](const IngestProgress &p) {
                QMetaObject::invokeMethod(this, [this, id, fileIndex, p] { onProgress(id, fileIndex, p); },
                                          Qt::QueuedConnection);
            });
            QMetaObject::invokeMethod(this, [this, id, fileIndex, summary] { onFileDone(id, fileIndex, summary); },
                                      Qt::QueuedConnection);
            if (summary.storeError)
                break;
        }
        // Let go of the writer here: if this was its last user, closing it
        // (drain and checkpoint) happens on this thread, not the UI's.
        writer.reset();
        const bool cancelled = cancel->load();
        QMetaObject::invokeMethod(this, [this, id, cancelled] { onJobDone(id, cancelled); }, Qt::QueuedConnection);
    });
    Q_EMIT jobChanged(id);
}

void IngestController::onProgress(int id, int fileIndex, const IngestProgress &progress)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end() || !it->second.active())
        return;
    IngestJob &job = it->second;
    const bool more = progress.records != job.progress.records || fileIndex != job.currentFile;
    job.currentFile = fileIndex;
    job.progress = progress;
    job.state = progress.following ? IngestState::Following : IngestState::Running;
    Q_EMIT jobChanged(id);
    if (more)
        Q_EMIT dataCommitted();
}

void IngestController::onFileDone(int id, int fileIndex, const IngestSummary &summary)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    IngestJob &job = it->second;
    job.summary.merge(summary);
    job.summary.seconds += summary.seconds;
    job.perFile.emplace_back(job.files.value(fileIndex), summary);
    job.progress = {};
    job.currentFile = std::min(fileIndex + 1, static_cast<int>(job.files.size()) - 1);
    Q_EMIT jobChanged(id);
    if (summary.records > 0)
        Q_EMIT dataCommitted();
}

void IngestController::onJobDone(int id, bool cancelled)
{
    if (auto r = m_running.find(id); r != m_running.end()) {
        // The thread's last act was the post that got us here: the join is immediate.
        if (r->second.thread.joinable())
            r->second.thread.join();
        m_running.erase(r);
    }
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    IngestJob &job = it->second;
    job.finishedAtMs = currentTimeMs();
    const bool allFilesFailed = !job.perFile.empty() && job.summary.records == 0 && job.summary.quarantined == 0 &&
                                job.summary.fileErrors.size() >= job.perFile.size();
    if (job.summary.storeError || allFilesFailed)
        job.state = IngestState::Failed;
    else if (cancelled)
        job.state = IngestState::Cancelled;
    else
        job.state = IngestState::Finished;
    Q_EMIT jobChanged(id);
    Q_EMIT jobFinished(id);
    startNextQueued();
    updateBusy();
}

void IngestController::cancel(int id)
{
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    if (auto r = m_running.find(id); r != m_running.end()) {
        r->second.cancel->store(true);
    } else if (it->second.state == IngestState::Queued) {
        it->second.state = IngestState::Cancelled;
        Q_EMIT jobChanged(id);
        Q_EMIT jobFinished(id);
        updateBusy();
    }
}

void IngestController::cancelAll()
{
    for (int id : jobIds())
        cancel(id);
}

const IngestJob *IngestController::job(int id) const
{
    auto it = m_jobs.find(id);
    return it == m_jobs.end() ? nullptr : &it->second;
}

QList<int> IngestController::jobIds() const
{
    QList<int> ids;
    for (const auto &[id, job] : m_jobs)
        ids << id;
    return ids;
}

int IngestController::activeCount() const
{
    int n = 0;
    for (const auto &[id, job] : m_jobs)
        n += job.active() ? 1 : 0;
    return n;
}

bool IngestController::busy() const
{
    return activeCount() > 0;
}

void IngestController::updateBusy()
{
    const bool b = busy();
    if (b != m_busy) {
        m_busy = b;
        Q_EMIT busyChanged(b);
    }
}

} // namespace vigil::ui
