#pragma once

#include "record/parse_error.h"
#include "record/record.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// A line or body part that failed validation, kept for the operator.
struct QuarantineEntry
{
    std::string source;          // file path, or "http POST /v1/requests from 127.0.0.1"
    std::optional<std::int64_t> line;       // 1-based line number in the source
    std::optional<std::int64_t> byteOffset; // offset of the line's first byte
    ParseError error;
    std::string rawPrefix;       // the first 4 KiB of the raw input
    std::int64_t rawSize = 0;    // the raw input's full size in bytes

    static constexpr std::size_t kRawPrefixLimit = 4096;
};

// Where a file source stands after a batch: committed in the same transaction
// as the batch's records, so a restart resumes exactly after the last commit.
struct SourcePosition
{
    std::string path;
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t headLength = 0; // bytes covered by headHash
    std::string headHash;        // identifies the file's content across renames
    std::int64_t offset = 0;     // next byte to read (uncompressed for .gz)
    std::int64_t line = 0;       // lines consumed so far
};

struct WriteBatch
{
    std::string source;
    std::vector<Record> records;
    std::vector<QuarantineEntry> quarantined;
    std::optional<SourcePosition> position;
};

struct BatchResult
{
    std::int64_t batchId = 0;
    std::int64_t accepted = 0;   // new records stored
    std::int64_t duplicates = 0; // records whose request_id was already stored
    std::int64_t quarantined = 0;
    std::int64_t committedAtMs = 0;
};

} // namespace vigil
