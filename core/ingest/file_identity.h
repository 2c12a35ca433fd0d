#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

// What identifies a log file across runs and renames: device and inode, and a
// hash of its first bytes so that a replaced or truncated-and-rewritten file
// with a recycled inode is not mistaken for the one we read before.
struct FileIdentity
{
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t headLength = 0;
    std::string headHash; // SHA-256 of the first headLength bytes
};

inline constexpr std::int64_t kHeadHashBytes = 1024;

// Identity of an open file; `headLength` = min(size, kHeadHashBytes) unless
// given. Returns nothing when the file cannot be read.
std::optional<FileIdentity> identifyFile(int fd, std::optional<std::int64_t> headLength = {});

// Device and inode of a path (not opened), for noticing rotation.
std::optional<std::pair<std::uint64_t, std::uint64_t>> statPath(const std::string &path);

} // namespace vigil
