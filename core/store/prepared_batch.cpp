#include "store/prepared_batch.h"

#include <algorithm>
#include <functional>
#include <unordered_map>
#include <utility>

namespace vigil {

namespace {

bool sameLabels(const Record &a, const Record &b)
{
    return a.tenant == b.tenant && a.model == b.model && a.provider == b.provider &&
           a.promptName == b.promptName && a.promptVersion == b.promptVersion;
}

std::size_t labelHash(const Record &r)
{
    const std::hash<std::string_view> h;
    std::size_t x = h(r.tenant);
    for (std::string_view field : {std::string_view(r.model), std::string_view(r.provider),
                                   std::string_view(r.promptName), std::string_view(r.promptVersion)})
        x ^= h(field) + 0x9e3779b97f4a7c15ULL + (x << 6) + (x >> 2);
    return x;
}

// Gives every record the slot of its label set, without building a string per
// record: most batches repeat a few hundred label sets thousands of times.
void assignSlots(const WriteBatch &batch, PreparedBatch &out)
{
    const auto &records = batch.records;
    out.slots.reserve(records.size());
    std::unordered_map<std::size_t, std::uint32_t> slotByHash;
    auto addLabel = [&](std::size_t record) {
        out.labels.push_back({labelKey(records[record]), record});
        return static_cast<std::uint32_t>(out.labels.size() - 1);
    };
    for (std::size_t i = 0; i < records.size(); ++i) {
        const Record &r = records[i];
        const auto [it, inserted] = slotByHash.try_emplace(labelHash(r), 0);
        std::uint32_t slot = 0;
        if (inserted) {
            slot = it->second = addLabel(i);
        } else if (sameLabels(records[out.labels[it->second].record], r)) {
            slot = it->second;
        } else {
            // A hash collision: find the label set the slow way.
            const auto match = std::find_if(out.labels.begin(), out.labels.end(), [&](const auto &l) {
                return sameLabels(records[l.record], r);
            });
            slot = match != out.labels.end()
                       ? static_cast<std::uint32_t>(match - out.labels.begin())
                       : addLabel(i);
        }
        out.slots.push_back(slot);
    }
}

// The cells of one bucket size. Records are added to their cell in batch order,
// exactly as RollupAccumulator would add them, so the sums come out the same.
void buildRollup(const WriteBatch &batch, const std::vector<std::uint32_t> &slots,
                 std::int64_t bucketMs, PreparedBatch::Rollup &out)
{
    struct Entry
    {
        std::int64_t bucket;
        std::uint32_t slot;
        std::uint32_t record;
        auto key() const { return std::tie(bucket, slot, record); }
    };
    const auto &records = batch.records;
    std::vector<Entry> entries(records.size());
    for (std::size_t i = 0; i < records.size(); ++i)
        entries[i] = {floorTo(records[i].tsMs, bucketMs), slots[i], static_cast<std::uint32_t>(i)};
    // Logs come mostly in time order: often sorted already.
    if (!std::is_sorted(entries.begin(), entries.end(),
                        [](const Entry &a, const Entry &b) { return a.key() < b.key(); }))
        std::sort(entries.begin(), entries.end(),
                  [](const Entry &a, const Entry &b) { return a.key() < b.key(); });

    std::string encoded;
    std::vector<std::pair<std::string_view, std::uint64_t>> errorCounts;
    for (std::size_t begin = 0; begin < entries.size();) {
        const Entry &first = entries[begin];
        std::size_t end = begin;
        RollupCell totals;
        errorCounts.clear();
        for (; end < entries.size() && entries[end].bucket == first.bucket &&
               entries[end].slot == first.slot;
             ++end) {
            const Record &r = records[entries[end].record];
            totals.add(r);
            if (r.errorType.empty())
                continue;
            const auto known = std::find_if(errorCounts.begin(), errorCounts.end(),
                                            [&](const auto &e) { return e.first == r.errorType; });
            if (known != errorCounts.end())
                ++known->second;
            else
                errorCounts.emplace_back(r.errorType, 1);
        }
        totals.sketch.encodeTo(encoded);
        totals.sketch = LatencySketch();
        PreparedBatch::Cell &cell = out.cells.emplace_back();
        cell.bucket = first.bucket;
        cell.slot = first.slot;
        cell.sketchBegin = static_cast<std::uint32_t>(out.sketches.size());
        cell.sketchSize = static_cast<std::uint32_t>(encoded.size());
        cell.totals = std::move(totals);
        out.sketches += encoded;
        std::sort(errorCounts.begin(), errorCounts.end());
        for (const auto &[type, count] : errorCounts)
            out.errors.push_back({first.bucket, first.slot, std::string(type), count});
        begin = end;
    }
}

} // namespace

std::string labelKey(const Record &r)
{
    std::string key;
    key.reserve(r.tenant.size() + r.model.size() + r.provider.size() + r.promptName.size() +
                r.promptVersion.size() + 4);
    key.append(r.tenant).append(1, '\x1f').append(r.model).append(1, '\x1f');
    key.append(r.provider).append(1, '\x1f').append(r.promptName).append(1, '\x1f');
    key.append(r.promptVersion);
    return key;
}

PreparedBatch prepareBatch(const WriteBatch &batch)
{
    PreparedBatch prepared;
    assignSlots(batch, prepared);
    buildRollup(batch, prepared.slots, kMinuteMs, prepared.minutes);
    buildRollup(batch, prepared.slots, kHourMs, prepared.hours);
    return prepared;
}

} // namespace vigil
