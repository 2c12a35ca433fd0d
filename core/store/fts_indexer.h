#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace vigil {

// The full-text index is filled by a follow-up pass, not by the writer:
// indexing 1-3 KB of text per record would halve ingest. Each pass indexes
// the records committed since the last one, in small transactions (about
// 50 ms each, so the writer never waits long), and remembers how far it got.
// `vigilctl ingest` runs it after ingesting, `vigilctl serve` and the console
// run it in the background, and a search catches up first.
class FtsIndexer final
{
public:
    explicit FtsIndexer(const std::string &storePath); // throws StoreError
    ~FtsIndexer();
    FtsIndexer(const FtsIndexer &) = delete;
    FtsIndexer &operator=(const FtsIndexer &) = delete;

    struct Progress
    {
        std::int64_t indexed = 0;   // in this pass
        std::int64_t remaining = 0; // records still to index
    };
    // Indexes what is missing; returns the records indexed. Throws StoreError.
    std::int64_t catchUp(const std::atomic<bool> *cancel = nullptr,
                         const std::function<void(const Progress &)> &progress = {});
    std::int64_t pending();
    // Sleep between two index transactions, as long as the last one held the
    // write lock and at least `minimum`: for a pass that runs beside an ingest
    // writer (serve), which SQLite's unfair lock would otherwise keep waiting.
    void yieldBetweenTransactions(std::chrono::milliseconds minimum) { m_yield = minimum; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::chrono::milliseconds m_yield{0};
};

} // namespace vigil
