#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct QuarantinedLine
{
    std::int64_t id = 0;
    std::int64_t receivedAtMs = 0;
    std::string source;
    std::optional<std::int64_t> line;
    std::optional<std::int64_t> byteOffset;
    std::string reason;
    std::string detail;
    std::string raw;          // at most the first 4 KiB
    std::int64_t rawSize = 0; // the whole line's size
};

// Reads the quarantine: what was refused, from where, and why.
class QuarantineReader final
{
public:
    explicit QuarantineReader(const std::string &storePath); // throws StoreError
    ~QuarantineReader();
    QuarantineReader(const QuarantineReader &) = delete;
    QuarantineReader &operator=(const QuarantineReader &) = delete;

    struct Filter
    {
        std::optional<std::string> source;
        std::optional<std::string> reason;
        std::optional<std::int64_t> sinceMs; // received at or after
        std::int64_t limit = 100;
    };
    // Newest first.
    std::vector<QuarantinedLine> list(const Filter &filter);
    std::optional<QuarantinedLine> get(std::int64_t id);
    std::int64_t count(const Filter &filter);
    std::map<std::string, std::int64_t> countByReason(const Filter &filter);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
