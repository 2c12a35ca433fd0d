#pragma once
// The Audit page tests' store: a few thousand calls with ties in time and
// latency, chat inputs with every kind of turn, retrieval documents, actions,
// shared traces and sessions, planted search words and a planted e-mail
// address that redaction masks. Built once per test binary with the real
// ingest (FileIngester through a WriteQueue with a Redactor).

#include "store/audit_reader.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vigil::ui {
class AuditTableModel;
}

namespace vigil::test {

inline constexpr int kAuditCalls = 3000;
inline constexpr std::int64_t kAuditSpanMs = 2 * 3600 * 1000; // the calls span the two hours before kNowMs

struct AuditStore
{
    std::string storePath;
    std::vector<AuditRow> rows; // every stored call with its payload, oldest first (the reference)
    std::vector<std::string> zebrafishIds;   // "zebrafish" in their output
    std::vector<std::string> blueHarborIds;  // the phrase "blue harbor" in their retrieval context
    std::vector<std::string> redactedIds;    // had an e-mail address in their input
};

const AuditStore &auditStore();
// A private copy of the shared store (for tests that change it).
void copyAuditStore(const std::string &to);

// The request ids a brute-force pass over every stored call gives for a
// filter (without search) and order.
std::vector<std::string> bruteForceIds(const AuditStore &store, const AuditFilter &filter, AuditSort sort);

// Fetches every chunk of the model (waiting on the event loop); the ids in table order.
std::vector<std::string> fetchAllIds(ui::AuditTableModel &model, int timeoutMs = 120'000);
std::vector<std::string> loadedIds(const ui::AuditTableModel &model);

const AuditRow *storedCall(const AuditStore &store, const std::string &requestId);

} // namespace vigil::test
