#pragma once
// Internal to store/: the part of committing a batch that needs no database.

#include "store/rollup_accumulator.h"
#include "store/write_batch.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// A batch's label sets and rollup cells, worked out before the batch reaches
// the writer thread (WriteQueue does it on the submitting thread) so that the
// one writer thread spends its time on SQL only.
//
// The cells assume every record is new. The writer learns which records were
// duplicates only when it inserts them; if any were, it recomputes the cells
// from the records it stored, so the rollups stay exact either way.
struct PreparedBatch
{
    // One distinct (tenant, model, provider, prompt name, prompt version).
    struct Label
    {
        std::string key;        // the five fields joined by U+001F: the writer's cache key
        std::size_t record = 0; // index of a record carrying it
    };
    // One rollup row's increment. Its sketch is kept encoded in `sketches`;
    // totals.sketch stays empty.
    struct Cell
    {
        std::int64_t bucket = 0;
        std::uint32_t slot = 0; // into labels
        std::uint32_t sketchBegin = 0, sketchSize = 0;
        RollupCell totals;
    };
    struct ErrorCell
    {
        std::int64_t bucket = 0;
        std::uint32_t slot = 0;
        std::string errorType;
        std::uint64_t count = 0;
    };
    struct Rollup
    {
        std::vector<Cell> cells; // ascending (bucket, slot)
        std::vector<ErrorCell> errors;
        std::string sketches;    // the cells' encoded sketches, back to back
        std::string_view sketch(const Cell &cell) const
        {
            return std::string_view(sketches).substr(cell.sketchBegin, cell.sketchSize);
        }
    };

    std::vector<Label> labels;
    std::vector<std::uint32_t> slots; // per record: its index into labels
    Rollup minutes, hours;
};

PreparedBatch prepareBatch(const WriteBatch &batch);

// The writer's cache key for a record's labels.
std::string labelKey(const Record &record);

} // namespace vigil
