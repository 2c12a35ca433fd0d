#pragma once

#include "record/parse_error.h"
#include "record/record.h"
#include "server/otlp/otlp_model.h"

#include <optional>
#include <string>
#include <vector>

namespace vigil {
class PriceTable;
}

namespace vigil::otlp {

// Turns OTLP spans into request-log records, reading the GenAI conventions in
// use today, newest first: OpenTelemetry GenAI (current and deprecated
// attributes, the inference details event and the older per-message events),
// OpenInference, OpenLLMetry and Langfuse. docs/OTLP_MAPPING.md is the full
// table. A span without any model attribute is not an LLM call: skipped,
// not rejected.
class SpanMapper final
{
public:
    struct Options
    {
        const PriceTable *prices = nullptr;
        std::optional<std::string> boundTenant; // from the caller's token
    };

    struct Result
    {
        std::vector<Record> records;
        std::vector<std::pair<ParseError, std::string>> rejected; // reason, span id
        std::size_t skipped = 0;   // not LLM calls
        std::vector<std::string> foreignTenants; // tenant.id values a bound token may not send
    };

    explicit SpanMapper(Options options) : m_options(std::move(options)) {}
    Result map(const TraceExport &exported) const;

private:
    Options m_options;
};

} // namespace vigil::otlp
