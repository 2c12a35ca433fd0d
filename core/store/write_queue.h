#pragma once

#include "store/store_error.h"
#include "store/write_batch.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace vigil {

class Redactor;

struct BatchOutcome
{
    std::optional<BatchResult> result; // set when committed
    std::optional<StoreError> error;   // set when not
    bool ok() const { return result.has_value(); }
};

using BatchCallback = std::function<void(const BatchOutcome &)>;
using AbortToken = std::shared_ptr<std::atomic<bool>>;

// The process's one writer thread. Batches are committed in submission order;
// each callback runs on the writer thread after its batch committed (or
// failed). A bounded queue gives backpressure: submit() blocks, trySubmit()
// gives up. A batch whose AbortToken is set is not committed, and a failed
// batch sets its token, so a source never commits past a failed batch.
//
// The WAL is kept bounded without stalling ingest: past a threshold a
// background connection copies it back into the database between commits.
class WriteQueue final
{
public:
    struct Options
    {
        std::size_t capacity = 4;
        int checkpointPages = 16384; // 256 MiB of 16 KiB pages
    };

    // Opens (creating if needed) the store; throws StoreError.
    explicit WriteQueue(const std::string &storePath);
    WriteQueue(const std::string &storePath, Options options);
    // Commits everything queued, checkpoints the WAL, stops the threads.
    ~WriteQueue();
    WriteQueue(const WriteQueue &) = delete;
    WriteQueue &operator=(const WriteQueue &) = delete;

    void submit(WriteBatch batch, BatchCallback done, AbortToken abort = {});
    bool trySubmit(WriteBatch &batch, BatchCallback &done, std::chrono::milliseconds wait,
                   AbortToken abort = {});
    // For many small independent batches (HTTP requests): consecutive ones
    // are committed together in one transaction (group commit), each
    // callback still told its own result. False when still full after `wait`.
    bool trySubmitGrouped(WriteBatch &batch, BatchCallback &done, std::chrono::milliseconds wait);
    // Blocks until every batch submitted so far has been committed or failed.
    void drain();

    // Redaction rules applied to every batch before it is queued (on the
    // submitting thread). Set before the first submit.
    void setRedactor(std::shared_ptr<const Redactor> redactor);

    std::size_t depth() const;
    std::size_t capacity() const;
    const std::string &storePath() const;
    std::int64_t lastCommitMs() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Submits and waits: for callers without their own pipeline.
BatchOutcome commitNow(WriteQueue &queue, WriteBatch batch);

} // namespace vigil
