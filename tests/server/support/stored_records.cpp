#include "stored_records.h"

#include "store_probe.h"

namespace vigil::test {

namespace {
const char *const kOutcomes[] = {"ok", "error", "timeout", "fallback", "refused", "blocked"};

std::string text(const sql::Statement &s, int column)
{
    return s.isNull(column) ? std::string() : std::string(s.columnText(column));
}
} // namespace

std::map<std::string, StoredRecord> storedRecords(const std::string &path)
{
    StoreProbe probe(path);
    sql::Statement s(probe.database(), R"(SELECT r.request_id, r.ts, l.tenant, l.model, l.provider,
l.prompt_name, l.prompt_version, r.latency_ms, r.outcome, r.input_tokens, r.output_tokens, r.cost_usd,
r.retrieval_hits, r.error_type, r.user, r.trace_id, r.session_id, r.input, r.output,
r.retrieval_context, r.attributes FROM requests r JOIN labels l ON l.id = r.label_id)");
    std::map<std::string, StoredRecord> out;
    while (s.step()) {
        StoredRecord r;
        r.requestId = text(s, 0);
        r.tsMs = s.columnInt(1);
        r.tenant = text(s, 2);
        r.model = text(s, 3);
        r.provider = text(s, 4);
        r.promptName = text(s, 5);
        r.promptVersion = text(s, 6);
        r.latencyMs = s.columnDouble(7);
        const auto outcome = s.columnInt(8);
        r.outcome = outcome >= 0 && outcome < 6 ? kOutcomes[outcome] : "?";
        r.inputTokens = s.columnOptionalInt(9);
        r.outputTokens = s.columnOptionalInt(10);
        r.costUsd = s.columnOptionalDouble(11);
        r.retrievalHits = s.columnOptionalInt(12);
        r.errorType = text(s, 13);
        r.user = text(s, 14);
        r.traceId = text(s, 15);
        r.sessionId = text(s, 16);
        r.input = text(s, 17);
        if (!s.isNull(18))
            r.output = std::string(s.columnText(18));
        r.retrievalContext = text(s, 19);
        r.attributes = text(s, 20);
        out.emplace(r.requestId, std::move(r));
    }
    return out;
}

} // namespace vigil::test
