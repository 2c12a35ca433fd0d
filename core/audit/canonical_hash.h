#pragma once

#include "record/record.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

inline constexpr std::size_t kHashSize = 32; // SHA-256

std::string sha256(std::string_view data);

// The canonical form of values: each field a type tag and its bytes (text
// length-prefixed, numbers as 8 little-endian bytes, doubles by their bits),
// so equal values always give equal bytes and different ones never collide.
class CanonicalWriter final
{
public:
    void null();
    void integer(std::int64_t v);
    void real(double v);
    void text(std::string_view v);
    void textOrNull(std::string_view v) { v.empty() ? null() : text(v); }
    template <typename T> void optional(const std::optional<T> &v)
    {
        if (!v)
            null();
        else if constexpr (std::is_floating_point_v<T>)
            real(*v);
        else
            integer(*v);
    }
    const std::string &bytes() const { return m_out; }

private:
    std::string m_out;
};

// SHA-256 of a record as it is stored: the same value whether computed from
// the parsed Record at ingest or from the stored row when verifying.
std::string recordRowHash(const Record &record, bool redacted);

// The content of a batch's chain link from its stored rows' hashes (in row id
// order): the SHA-256 of them in order, then of them sorted, so a verifier can
// tell rows that were reordered from rows that were changed.
std::string batchLinkContent(std::vector<std::string> rowHashesInIdOrder);

// SHA-256 of an operator-log entry as stored.
struct OperatorLogEntry;
std::string operatorEntryHash(const OperatorLogEntry &entry);

// A chain link's hash: SHA-256 over the previous link's hash and this link.
std::string chainLinkHash(const std::string &previousHash, std::int64_t seq, int kind, std::int64_t ref,
                          std::int64_t items, const std::string &content);

inline constexpr int kChainBatch = 1;
inline constexpr int kChainOperator = 2;

} // namespace vigil
