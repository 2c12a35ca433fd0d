#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

// What the records say about one prompt_version string of a prompt.
struct StampedVersionSeen
{
    std::string version;         // as stamped in the records (a SHA prefix, a full SHA, a tag)
    std::int64_t firstSeenMs = 0;
    std::int64_t lastSeenMs = 0;
    std::uint64_t requests = 0;
};

// Every prompt_version stamped on records of `promptName`, with the first and
// last request time and the count, ordered by first seen. Throws StoreError.
std::vector<StampedVersionSeen> promptVersionsSeen(const std::string &storePath, const std::string &promptName);

} // namespace vigil
