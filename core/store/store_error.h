#pragma once

#include <stdexcept>
#include <string>

namespace vigil {

enum class StoreErrorKind {
    NotFound,       // no store at the path (readers never create one)
    NotWritable,    // permissions, read-only file system, cannot create
    Locked,         // another process held the write lock past the busy timeout
    NewerSchema,    // written by a newer Vigil: refused, never touched
    NotAVigilStore, // some other SQLite file, or not SQLite at all
    DiskFull,       // no space (or file size limit) while writing
    Corrupt,
    Io,
    Other,
};

// The one exception type the store's public API throws. The message names the
// store path and the reason in words an operator can act on.
class StoreError : public std::runtime_error
{
public:
    StoreError(StoreErrorKind kind, const std::string &message)
        : std::runtime_error(message), m_kind(kind)
    {
    }
    StoreErrorKind kind() const { return m_kind; }

private:
    StoreErrorKind m_kind;
};

} // namespace vigil
