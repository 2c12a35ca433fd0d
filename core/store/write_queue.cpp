#include "store/write_queue.h"

#include "store/batch_writer.h"
#include "store/connection.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace vigil {

namespace {

struct Job
{
    WriteBatch batch;
    BatchCallback done;
    AbortToken abort;
};

// Copies WAL frames back into the database on its own connection, so the
// writer thread only has to restart the (by then short) log.
class Checkpointer
{
public:
    explicit Checkpointer(const std::string &path) : m_path(path)
    {
        m_thread = std::thread([this] { run(); });
    }
    ~Checkpointer()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }
    void request()
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_busy)
                return;
            m_requested = true;
        }
        m_cv.notify_all();
    }
    // True once after each completed background pass.
    bool takeFinished() { return m_finished.exchange(false); }

private:
    void run()
    {
        std::optional<sql::Database> db;
        std::unique_lock lock(m_mutex);
        while (true) {
            m_cv.wait(lock, [this] { return m_stop || m_requested; });
            if (m_stop)
                return;
            m_requested = false;
            m_busy = true;
            lock.unlock();
            try {
                if (!db)
                    db.emplace(openConnection(m_path, ConnectionRole::Writer));
                sqlite3_wal_checkpoint_v2(db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                          nullptr, nullptr);
            } catch (...) {
                // A failed background pass only delays the checkpoint; the
                // writer's own commits are unaffected.
            }
            m_finished = true;
            lock.lock();
            m_busy = false;
        }
    }

    std::string m_path;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    bool m_requested = false;
    bool m_busy = false;
    std::atomic<bool> m_finished{false};
};

} // namespace

struct WriteQueue::Impl
{
    Options options;
    BatchWriter writer;
    Checkpointer checkpointer;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::deque<Job> jobs;
    bool inFlight = false;
    bool stopping = false;
    std::atomic<std::int64_t> lastCommit{0};
    int walPages = 0;
    std::thread thread;

    Impl(const std::string &path, Options o) : options(o), writer(path), checkpointer(path)
    {
        writer.setWalSizeObserver([this](int pages) {
            walPages = pages;
            if (pages >= options.checkpointPages)
                checkpointer.request();
        });
        thread = std::thread([this] { run(); });
    }

    ~Impl()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
        }
        changed.notify_all();
        thread.join();
    }

    void run()
    {
        std::unique_lock lock(mutex);
        while (true) {
            changed.wait(lock, [this] { return stopping || !jobs.empty(); });
            if (jobs.empty() && stopping)
                break;
            Job job = std::move(jobs.front());
            jobs.pop_front();
            inFlight = true;
            lock.unlock();
            changed.notify_all(); // room in the queue
            process(job);
            if (checkpointer.takeFinished())
                restartWal();
            lock.lock();
            inFlight = false;
            changed.notify_all();
        }
        lock.unlock();
        writer.checkpointAndTruncate();
    }

    void process(Job &job)
    {
        BatchOutcome outcome;
        if (job.abort && job.abort->load()) {
            outcome.error = StoreError(StoreErrorKind::Other, "batch not written: an earlier batch "
                                                              "of the same source failed");
        } else {
            try {
                outcome.result = writer.commit(job.batch);
                lastCommit = outcome.result->committedAtMs;
            } catch (const StoreError &e) {
                outcome.error = e;
                if (job.abort)
                    job.abort->store(true);
            }
        }
        if (job.done)
            job.done(outcome);
    }

    void restartWal()
    {
        // Most frames were copied in the background, so this pass is short; once
        // every frame is back in the database the next transaction starts the
        // log from its beginning (readers permitting) instead of growing it.
        writer.checkpointPassive();
    }
};

WriteQueue::WriteQueue(const std::string &storePath) : WriteQueue(storePath, Options{}) {}

WriteQueue::WriteQueue(const std::string &storePath, Options options)
    : m_impl(std::make_unique<Impl>(storePath, options))
{
}

WriteQueue::~WriteQueue() = default;

void WriteQueue::submit(WriteBatch batch, BatchCallback done, AbortToken abort)
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait(lock, [this] { return m_impl->jobs.size() < m_impl->options.capacity; });
    m_impl->jobs.push_back(Job{std::move(batch), std::move(done), std::move(abort)});
    lock.unlock();
    m_impl->changed.notify_all();
}

bool WriteQueue::trySubmit(WriteBatch &batch, BatchCallback &done, std::chrono::milliseconds wait,
                           AbortToken abort)
{
    std::unique_lock lock(m_impl->mutex);
    if (!m_impl->changed.wait_for(lock, wait, [this] {
            return m_impl->jobs.size() < m_impl->options.capacity;
        }))
        return false;
    m_impl->jobs.push_back(Job{std::move(batch), std::move(done), std::move(abort)});
    lock.unlock();
    m_impl->changed.notify_all();
    return true;
}

void WriteQueue::drain()
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait(lock, [this] { return m_impl->jobs.empty() && !m_impl->inFlight; });
}

std::size_t WriteQueue::depth() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->jobs.size() + (m_impl->inFlight ? 1 : 0);
}

std::size_t WriteQueue::capacity() const
{
    return m_impl->options.capacity;
}

const std::string &WriteQueue::storePath() const
{
    return m_impl->writer.path();
}

std::int64_t WriteQueue::lastCommitMs() const
{
    return m_impl->lastCommit.load();
}

BatchOutcome commitNow(WriteQueue &queue, WriteBatch batch)
{
    std::promise<BatchOutcome> promise;
    auto future = promise.get_future();
    queue.submit(std::move(batch), [&promise](const BatchOutcome &o) { promise.set_value(o); });
    return future.get();
}

} // namespace vigil
