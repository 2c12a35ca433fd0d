#pragma once
// Shared by the audit tests: stores built from NDJSON lines through the real
// WriteQueue, random but reproducible records of every shape the spec allows,
// and raw SQLite connections for tampering and probing.

#include "store/sqlite_handle.h"
#include "store/write_batch.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace vigil {
class Redactor;
}

namespace vigil::test {

using Rng = std::mt19937_64;

inline constexpr std::int64_t kHourMs = 3'600'000;
inline constexpr std::int64_t kDayMs = 86'400'000;

// The NDJSON form of a record object (compact, one line).
std::string toLine(const QJsonObject &record);

// Parses lines with the built-in price table into one batch: valid lines as
// records, the others quarantined (as file ingest would).
WriteBatch batchFromLines(const std::vector<std::string> &lines, const std::string &source = "audit-test");

// Commits each group of lines as its own batch through a WriteQueue (with the
// redactor, when given); fails the test on a store error.
std::vector<BatchResult> commitBatches(const std::string &storePath,
                                       const std::vector<std::vector<std::string>> &batches,
                                       std::shared_ptr<const Redactor> redactor = {});

// A writable connection to an existing store, for tampering and probing.
sql::Database openRaw(const std::string &storePath);

// How random records look.
struct RecordShape
{
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::vector<std::string> tenants{"acme", "globex", "initech", "umbrella", "hooli"};
    std::vector<std::string> words; // payload vocabulary; empty: a built-in one
    int minWords = 3;
    int maxWords = 12;
};

// A record with a random mix of the optional fields (absent, null-ish, empty,
// chat-message input, retrieval objects, actions, extra attributes).
QJsonObject randomRecord(Rng &rng, const std::string &requestId, const RecordShape &shape);

// `count` random words of the shape's vocabulary joined by spaces.
std::string randomText(Rng &rng, const RecordShape &shape);

int uniformInt(Rng &rng, int lo, int hi); // inclusive

// vigilctl arguments for a window that holds every test record.
QStringList wideWindow();

} // namespace vigil::test
