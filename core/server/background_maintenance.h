#pragma once

#include "store/retention.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace vigil {

// The store's housekeeping for a long-running process (`vigilctl serve`, the
// console), on its own thread: the search index's follow-up pass soon after
// new data, the retention purge once a day, and a chain checkpoint every hour.
// Each runs in small transactions of its own, so ingest never waits long.
class BackgroundMaintenance final
{
public:
    struct Options
    {
        std::string storePath;
        std::optional<RetentionPolicy> retention; // no purge when unset
        std::chrono::milliseconds indexDelay{2000};
        std::chrono::hours purgeEvery{24};
        std::chrono::hours checkpointEvery{1};
        std::function<void(const std::string &)> log; // one line per event
        // When data was last committed (WriteQueue::lastCommitMs): a change
        // means records to index. Unset: dataCommitted() is the only hint.
        std::function<std::int64_t()> lastCommitMs;
    };

    explicit BackgroundMaintenance(Options options);
    ~BackgroundMaintenance(); // stops after the step in progress
    BackgroundMaintenance(const BackgroundMaintenance &) = delete;
    BackgroundMaintenance &operator=(const BackgroundMaintenance &) = delete;

    // New records were committed: index them soon.
    void dataCommitted();

private:
    void run();

    Options m_options;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_dirty = true;
    std::atomic<bool> m_cancel{false};
    std::thread m_thread;
};

} // namespace vigil
