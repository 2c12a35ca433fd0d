#pragma once

namespace vigil::sql {
class Database;
}

namespace vigil {

// Registers vigil_sketch_merge(a, b) on a connection: the rollup upsert merges
// an existing row's latency sketch with a batch's in one statement.
void registerSketchFunctions(sql::Database &db);

} // namespace vigil
