#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace vigil {

enum class EditOp : std::uint8_t { Equal, Delete, Insert };

// A run of one operation: Equal covers a[aBegin, aBegin+length) and
// b[bBegin, ...); Delete only a, Insert only b.
struct EditRun
{
    EditOp op = EditOp::Equal;
    std::size_t aBegin = 0;
    std::size_t bBegin = 0;
    std::size_t length = 0;
};

// The shortest edit script between two sequences of token ids (Myers'
// O(ND) algorithm in linear space, with common prefix and suffix trimmed).
// `workBudget` bounds the work on pathological inputs (two long, wholly
// different sequences): a part that exceeds it is reported as replaced
// rather than searched further, so the answer stays correct, only less
// minimal. Returns false when `cancel` was set (the runs are then partial).
bool diffSequences(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b,
                   std::vector<EditRun> &runs, const std::atomic<bool> *cancel = nullptr,
                   std::uint64_t workBudget = 50'000'000);

} // namespace vigil
