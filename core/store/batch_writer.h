#pragma once

#include "store/write_batch.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vigil {

struct PreparedBatch;

// The single write connection of a process. commit() stores one WriteBatch
// in one durable transaction (synchronous=FULL): its new records and payloads,
// the rollup rows they change, its quarantined lines, and its source position.
// Either all of that is committed or nothing is. Not thread-safe: owned by the
// writer thread (WriteQueue) or used by one thread directly.
class BatchWriter final
{
public:
    // Opens or creates the store at `path`; throws StoreError.
    explicit BatchWriter(const std::string &path);
    ~BatchWriter();
    BatchWriter(const BatchWriter &) = delete;
    BatchWriter &operator=(const BatchWriter &) = delete;

    const std::string &path() const;

    // Throws StoreError; on error the store is as it was before the call.
    BatchResult commit(const WriteBatch &batch);
    // Several batches in one transaction (group commit: one fsync for many
    // small HTTP requests). All or none are committed.
    std::vector<BatchResult> commitGroup(const std::vector<const WriteBatch *> &batches);
    // The same with each batch's database-free work (label slots, rollup
    // cells) already done by prepareBatch() (store/prepared_batch.h), e.g. on
    // the submitting thread; prepared[i] must come from batches[i].
    std::vector<BatchResult> commitGroup(const std::vector<const WriteBatch *> &batches,
                                         const std::vector<const PreparedBatch *> &prepared);

    // Called after each commit with the WAL's size in pages (on this thread).
    void setWalSizeObserver(std::function<void(int pages)> observer);
    // Copies the WAL back into the database and truncates it (at idle or exit).
    void checkpointAndTruncate();
    // Copies what it can without waiting for anyone.
    void checkpointPassive();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The stored position of a file source, looked up by device and inode.
std::optional<SourcePosition> readSourcePosition(const std::string &storePath,
                                                 std::uint64_t device, std::uint64_t inode);

} // namespace vigil
