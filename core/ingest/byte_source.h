#pragma once
// ingest/: turning files (and later HTTP bodies) into validated record batches
// for the store: byte sources, line splitting, file identity, the per-file
// ingester with resume and follow, and the run summary.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace vigil {

// A stream of bytes read from an open file descriptor. read() returns the
// number of bytes read, 0 at the (current) end, -1 on error (see error()).
class ByteSource
{
public:
    virtual ~ByteSource() = default;
    virtual long long read(char *buffer, std::size_t size) = 0;
    virtual std::string error() const = 0;
    // Bytes of the file consumed so far (compressed bytes for gzip).
    virtual std::int64_t rawPosition() const = 0;
};

// Reads a plain file from its current offset. More data appended later is
// returned by later read() calls, which is what follow mode relies on.
std::unique_ptr<ByteSource> makePlainSource(int fd);

// Inflates a gzip file (concatenated members included). The fd is read from
// its current offset, which must be the start of the file.
std::unique_ptr<ByteSource> makeGzipSource(int fd);

// True when the first bytes are the gzip magic number.
bool looksGzipped(const char *head, std::size_t size);

} // namespace vigil
