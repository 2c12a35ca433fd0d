#include "store/sketch_sql_function.h"

#include "metrics/latency_sketch.h"
#include "store/sqlite_handle.h"

namespace vigil {

namespace {

std::string_view blobArg(sqlite3_value *value)
{
    const auto *data = static_cast<const char *>(sqlite3_value_blob(value));
    return {data, static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

void sketchMerge(sqlite3_context *context, int argc, sqlite3_value **argv)
{
    LatencySketch merged;
    for (int i = 0; i < argc; ++i) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
            continue;
        if (!merged.mergeEncoded(blobArg(argv[i]))) {
            sqlite3_result_error(context, "vigil_sketch_merge: damaged latency sketch", -1);
            return;
        }
    }
    const std::string out = merged.encode();
    sqlite3_result_blob64(context, out.data(), out.size(), SQLITE_TRANSIENT);
}

} // namespace

void registerSketchFunctions(sql::Database &db)
{
    const int rc = sqlite3_create_function_v2(db.handle(), "vigil_sketch_merge", 2,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                              &sketchMerge, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        db.fail(rc, "register vigil_sketch_merge");
}

} // namespace vigil
