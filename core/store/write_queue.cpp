#include "store/write_queue.h"

#include "audit/canonical_hash.h"
#include "audit/redaction.h"
#include "store/batch_writer.h"
#include "store/connection.h"
#include "store/prepared_batch.h"

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
    bool groupable = false;
    PreparedBatch prepared; // the batch's label slots and rollup cells, from the submitting thread
};

constexpr std::size_t kGroupMaxBatches = 256;
constexpr std::size_t kGroupMaxRecords = 32768;

// Keeps the WAL bounded without stalling the writer. Past a threshold a
// background connection copies the log back into the database (PASSIVE, on
// the other core) while the writer goes on. When that pass is done the writer
// copies the few frames committed meanwhile (short) and the next transaction
// starts the log over from its beginning. One cycle at a time: a second pass
// racing the writer's would only make both give up.
class Checkpointer
{
public:
    // Opened before the writer starts: opening later could wait behind a
    // writer that holds the lock nearly all the time.
    explicit Checkpointer(const std::string &path)
        : m_db(openConnection(path, ConnectionRole::Maintenance))
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
    // Writer thread: the WAL holds `pages` after a commit.
    void walSize(int pages, int threshold)
    {
        if (pages < threshold || m_state.load() != State::Idle)
            return;
        {
            std::lock_guard lock(m_mutex);
            m_state = State::Copying;
        }
        m_cv.notify_all();
    }
    // Writer thread: true once the background pass is done; the writer then
    // finishes the cycle and calls cycleDone().
    bool backgroundPassDone() const { return m_state.load() == State::Copied; }
    void cycleDone() { m_state = State::Idle; }

private:
    enum class State { Idle, Copying, Copied };

    void run()
    {
        std::unique_lock lock(m_mutex);
        while (true) {
            m_cv.wait(lock, [this] { return m_stop || m_state.load() == State::Copying; });
            if (m_stop)
                return;
            lock.unlock();
            // A failed pass only delays the checkpoint; commits are unaffected.
            sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                      nullptr);
            lock.lock();
            m_state = State::Copied;
        }
    }

    sql::Database m_db;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::atomic<State> m_state{State::Idle};
};

// Runs on the submitting thread (a parser or the HTTP thread), not the writer:
// redaction first, then the SHA-256 of each record's canonical form for the
// audit chain.
void prepare(WriteBatch &batch, const Redactor *redactor)
{
    if (redactor)
        redactor->redact(batch);
    for (Record &r : batch.records) {
        if (r.rowHash.empty())
            r.rowHash = recordRowHash(r, r.redacted);
    }
}

} // namespace

struct WriteQueue::Impl
{
    Options options;
    std::shared_ptr<const Redactor> redactor;
    BatchWriter writer;
    Checkpointer checkpointer;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::deque<Job> jobs;
    // Committed jobs are freed by the next submitter: tens of thousands of
    // string frees per batch are work the writer thread should not do.
    std::vector<Job> retired;
    bool inFlight = false;
    bool stopping = false;
    std::atomic<std::int64_t> lastCommit{0};
    std::thread thread;

    Impl(const std::string &path, Options o) : options(o), writer(path), checkpointer(writer.path())
    {
        writer.setWalSizeObserver(
            [this](int pages) { checkpointer.walSize(pages, options.checkpointPages); });
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
            std::vector<Job> group;
            group.push_back(std::move(jobs.front()));
            jobs.pop_front();
            if (group.front().groupable) {
                std::size_t records = group.front().batch.records.size();
                while (!jobs.empty() && jobs.front().groupable && group.size() < kGroupMaxBatches &&
                       records + jobs.front().batch.records.size() <= kGroupMaxRecords) {
                    records += jobs.front().batch.records.size();
                    group.push_back(std::move(jobs.front()));
                    jobs.pop_front();
                }
            }
            inFlight = true;
            lock.unlock();
            changed.notify_all(); // room in the queue
            if (group.size() == 1)
                process(group.front());
            else
                processGroup(group);
            if (checkpointer.backgroundPassDone()) {
                // Copy what was committed during the background pass; the
                // next transaction then restarts the log.
                writer.checkpointPassive();
                checkpointer.cycleDone();
            }
            lock.lock();
            for (Job &job : group) {
                job.done = nullptr; // whatever the callback holds is released now
                retired.push_back(std::move(job));
            }
            if (retired.size() > 2 * options.capacity)
                retired.clear(); // nobody is submitting: free them here after all
            inFlight = false;
            changed.notify_all();
        }
        lock.unlock();
        writer.checkpointAndTruncate();
    }

    void processGroup(std::vector<Job> &group)
    {
        std::vector<const WriteBatch *> batches;
        std::vector<const PreparedBatch *> prepared;
        for (const Job &job : group) {
            batches.push_back(&job.batch);
            prepared.push_back(&job.prepared);
        }
        std::vector<BatchOutcome> outcomes(group.size());
        try {
            const std::vector<BatchResult> results = writer.commitGroup(batches, prepared);
            lastCommit = results.front().committedAtMs;
            for (std::size_t i = 0; i < group.size(); ++i)
                outcomes[i].result = results[i];
        } catch (const StoreError &e) {
            for (auto &o : outcomes)
                o.error = e;
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (group[i].done)
                group[i].done(outcomes[i]);
        }
    }

    void process(Job &job)
    {
        BatchOutcome outcome;
        if (job.abort && job.abort->load()) {
            outcome.error = StoreError(StoreErrorKind::Other, "batch not written: an earlier batch "
                                                              "of the same source failed");
        } else {
            try {
                outcome.result = writer.commitGroup({&job.batch}, {&job.prepared}).front();
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

};

WriteQueue::WriteQueue(const std::string &storePath) : WriteQueue(storePath, Options{}) {}

WriteQueue::WriteQueue(const std::string &storePath, Options options)
    : m_impl(std::make_unique<Impl>(storePath, options))
{
}

WriteQueue::~WriteQueue() = default;

void WriteQueue::submit(WriteBatch batch, BatchCallback done, AbortToken abort)
{
    prepare(batch, m_impl->redactor.get());
    PreparedBatch prepared = prepareBatch(batch);
    std::vector<Job> garbage;
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait(lock, [this] { return m_impl->jobs.size() < m_impl->options.capacity; });
    m_impl->jobs.push_back(
        Job{std::move(batch), std::move(done), std::move(abort), false, std::move(prepared)});
    garbage.swap(m_impl->retired);
    lock.unlock();
    m_impl->changed.notify_all();
    // `garbage` is freed here, on the submitting thread.
}

bool WriteQueue::trySubmit(WriteBatch &batch, BatchCallback &done, std::chrono::milliseconds wait,
                           AbortToken abort)
{
    prepare(batch, m_impl->redactor.get());
    PreparedBatch prepared = prepareBatch(batch);
    std::unique_lock lock(m_impl->mutex);
    if (!m_impl->changed.wait_for(lock, wait, [this] {
            return m_impl->jobs.size() < m_impl->options.capacity;
        }))
        return false;
    m_impl->jobs.push_back(
        Job{std::move(batch), std::move(done), std::move(abort), false, std::move(prepared)});
    std::vector<Job> garbage;
    garbage.swap(m_impl->retired);
    lock.unlock();
    m_impl->changed.notify_all();
    return true;
}

void WriteQueue::drain()
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait(lock, [this] { return m_impl->jobs.empty() && !m_impl->inFlight; });
}

void WriteQueue::setRedactor(std::shared_ptr<const Redactor> redactor)
{
    m_impl->redactor = std::move(redactor);
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

bool WriteQueue::trySubmitGrouped(WriteBatch &batch, BatchCallback &done, std::chrono::milliseconds wait)
{
    prepare(batch, m_impl->redactor.get());
    PreparedBatch prepared = prepareBatch(batch);
    std::unique_lock lock(m_impl->mutex);
    if (!m_impl->changed.wait_for(lock, wait, [this] {
            return m_impl->jobs.size() < m_impl->options.capacity;
        }))
        return false;
    m_impl->jobs.push_back(Job{std::move(batch), std::move(done), {}, true, std::move(prepared)});
    std::vector<Job> garbage;
    garbage.swap(m_impl->retired);
    lock.unlock();
    m_impl->changed.notify_all();
    return true;
}

BatchOutcome commitNow(WriteQueue &queue, WriteBatch batch)
{
    std::promise<BatchOutcome> promise;
    auto future = promise.get_future();
    queue.submit(std::move(batch), [&promise](const BatchOutcome &o) { promise.set_value(o); });
    return future.get();
}

} // namespace vigil
