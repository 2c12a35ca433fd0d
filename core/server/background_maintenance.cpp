#include "server/background_maintenance.h"

#include "audit/actor.h"
#include "metrics/time_window.h"
#include "store/chain_verifier.h"
#include "store/fts_indexer.h"
#include "store/store_error.h"

#include <utility>

namespace vigil {

BackgroundMaintenance::BackgroundMaintenance(Options options) : m_options(std::move(options))
{
    m_thread = std::thread([this] { run(); });
}

BackgroundMaintenance::~BackgroundMaintenance()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cancel = true;
    m_wake.notify_all();
    m_thread.join();
}

void BackgroundMaintenance::dataCommitted()
{
    {
        std::lock_guard lock(m_mutex);
        m_dirty = true;
    }
    m_wake.notify_all();
}

void BackgroundMaintenance::run()
{
    using Clock = std::chrono::steady_clock;
    auto log = [this](const std::string &line) {
        if (m_options.log)
            m_options.log(line);
    };
    // The first purge and checkpoint run a minute after start, not at once:
    // a restart loop should not purge in a loop.
    auto nextPurge = Clock::now() + std::chrono::minutes(1);
    auto nextCheckpoint = Clock::now() + std::chrono::minutes(1);
    std::int64_t lastCommitSeen = -1;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, m_options.indexDelay, [this] { return m_stop; });
        if (m_stop)
            break;
        bool dirty = std::exchange(m_dirty, false);
        lock.unlock();
        if (m_options.lastCommitMs) {
            const std::int64_t commit = m_options.lastCommitMs();
            dirty = dirty || commit != lastCommitSeen;
            lastCommitSeen = commit;
        }
        try {
            if (dirty) {
                FtsIndexer indexer(m_options.storePath);
                indexer.yieldBetweenTransactions(std::chrono::milliseconds(20)); // ingest goes first
                const std::int64_t n = indexer.catchUp(&m_cancel);
                if (n > 0)
                    log("search index: " + std::to_string(n) + " records indexed");
            }
            if (m_options.retention && Clock::now() >= nextPurge) {
                nextPurge = Clock::now() + m_options.purgeEvery;
                const PurgeSummary s = Retention(m_options.storePath)
                                           .purge(*m_options.retention, currentTimeMs(), currentActor(), &m_cancel);
                if (s.records || s.rollupRows || s.quarantineRows)
                    log("retention: purged " + std::to_string(s.records) + " records, " +
                        std::to_string(s.rollupRows) + " rollup rows, " + std::to_string(s.quarantineRows) +
                        " quarantined lines");
            }
            if (Clock::now() >= nextCheckpoint) {
                nextCheckpoint = Clock::now() + m_options.checkpointEvery;
                const ExternalCheckpoint c = recordChainCheckpoint(m_options.storePath, "periodic");
                log("audit chain: checkpoint at link " + std::to_string(c.seq));
            }
        } catch (const StoreError &e) {
            // Housekeeping failing must not stop the server; it tries again.
            log(std::string("maintenance: ") + e.what());
        }
        lock.lock();
    }
}

} // namespace vigil
