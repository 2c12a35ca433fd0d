#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// One active prompt as the deploy manifest lists it.
struct ManifestEntry
{
    std::string name;
    std::string sha;
    std::string path;                   // the file in the repository
    std::int64_t activatedAtMs = 0;
    std::string by;                     // "user@host"
    std::optional<std::string> reason;
    std::optional<std::string> content; // nothing when the repository no longer has it
};

inline constexpr const char *kManifestFileName = "prompts.lock.json";

// prompts.lock.json: {"format":1,"prompts":{"NAME":{"sha","path","activated_at",
// "by","reason","content"}}}, names sorted, so the same active set is always
// the same bytes.
std::string manifestJson(const std::vector<ManifestEntry> &entries);

// Writes the manifest of a deploy folder atomically: a temporary file in the
// same folder, fsync, rename over prompts.lock.json, fsync the folder. A
// reader (or a crash at any instant) sees the old complete file or the new
// complete file, never a torn one. Throws PromptError(DeployUnwritable)
// naming the folder and the system's reason.
class ManifestWriter final
{
public:
    explicit ManifestWriter(std::string folder);

    const std::string &folder() const { return m_folder; }
    std::string path() const;

    // Creates the folder when missing and proves it writable (a probe file is
    // created, synced and removed), so a switch can be refused before anything changes.
    void checkWritable() const;
    void write(const std::string &content) const;

private:
    std::string m_folder;
};

// Holds an exclusive lock (flock) on the deploy folder's lock file while
// alive, so two switches at once publish their manifests in commit order.
class DeployFolderLock final
{
public:
    explicit DeployFolderLock(const std::string &folder); // throws PromptError(DeployUnwritable)
    ~DeployFolderLock();
    DeployFolderLock(const DeployFolderLock &) = delete;
    DeployFolderLock &operator=(const DeployFolderLock &) = delete;

private:
    int m_fd = -1;
};

} // namespace vigil
