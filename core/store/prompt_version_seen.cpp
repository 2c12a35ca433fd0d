#include "store/prompt_version_seen.h"

#include "store/connection.h"

namespace vigil {

std::vector<StampedVersionSeen> promptVersionsSeen(const std::string &storePath, const std::string &promptName)
{
    try {
        sql::Database db = openConnection(storePath, ConnectionRole::Reader);
        // One pass over the (ts, label_id) covering index for the prompt's labels.
        sql::Statement s(db, "SELECT l.prompt_version, min(r.ts), max(r.ts), count(*) FROM requests r "
                             "JOIN labels l ON l.id = r.label_id WHERE l.prompt_name = ?1 "
                             "GROUP BY l.prompt_version ORDER BY min(r.ts)");
        s.bindText(1, promptName);
        std::vector<StampedVersionSeen> out;
        while (s.step()) {
            out.push_back({std::string(s.columnText(0)), s.columnInt(1), s.columnInt(2),
                           static_cast<std::uint64_t>(s.columnInt(3))});
        }
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, storePath);
    }
}

} // namespace vigil
