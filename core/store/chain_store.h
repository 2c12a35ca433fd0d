#pragma once
// The hash chain's write side, inside a store transaction (store/ internal).

#include "store/sqlite_handle.h"

#include <string>

namespace vigil {

struct ChainHead
{
    std::int64_t seq = 0;
    std::string hash; // 32 zero bytes before the first link
};

ChainHead readChainHead(sql::Database &db);

// Appends a link after the current head; returns its seq. Must run inside the
// transaction that writes what the link covers.
std::int64_t appendChainLink(sql::Database &db, int kind, std::int64_t ref, std::int64_t items,
                             const std::string &content, std::int64_t at);

} // namespace vigil
