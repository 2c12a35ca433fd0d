#pragma once

#include <optional>
#include <string>

namespace vigil {

// Small facts about a store kept in its meta table (e.g. "demo" = "1" marks a
// store that `vigilctl demo` may recreate). Throw StoreError.
std::optional<std::string> readStoreMeta(const std::string &storePath, const std::string &key);
void writeStoreMeta(const std::string &storePath, const std::string &key, const std::string &value);

// Removes a store file with its -wal and -shm companions.
bool removeStoreFiles(const std::string &storePath);

} // namespace vigil
