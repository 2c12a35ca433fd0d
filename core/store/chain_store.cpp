#include "store/chain_store.h"

#include "audit/canonical_hash.h"

namespace vigil {

ChainHead readChainHead(sql::Database &db)
{
    ChainHead head;
    head.hash.assign(kHashSize, '\0');
    sql::Statement last(db, "SELECT seq, hash FROM chain_links ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
        head.seq = last.columnInt(0);
        head.hash = std::string(last.columnBlob(1));
        return head;
    }
    // Every link was compacted into a checkpoint by a purge.
    sql::Statement checkpoint(db, "SELECT seq, hash FROM chain_checkpoints ORDER BY seq DESC LIMIT 1");
    if (checkpoint.step()) {
        head.seq = checkpoint.columnInt(0);
        head.hash = std::string(checkpoint.columnBlob(1));
    }
    return head;
}

std::int64_t appendChainLink(sql::Database &db, int kind, std::int64_t ref, std::int64_t items,
                             const std::string &content, std::int64_t at)
{
    const ChainHead head = readChainHead(db);
    const std::int64_t seq = head.seq + 1;
    const std::string hash = chainLinkHash(head.hash, seq, kind, ref, items, content);
    sql::Statement insert(db, "INSERT INTO chain_links(seq, kind, ref, items, content, hash, at) "
                              "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, seq).bind(2, kind).bind(3, ref).bind(4, items);
    insert.bindBlob(5, content).bindBlob(6, hash).bind(7, at);
    insert.run();
    return seq;
}

} // namespace vigil
