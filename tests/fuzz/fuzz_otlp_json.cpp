// libFuzzer target: an OTLP/JSON trace export through the decoder and the
// SpanMapper (every convention), then the response encoding.
#include "fuzz_prices.h"
#include "server/otlp/otlp_json.h"
#include "server/otlp/span_mapper.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char *>(data), size);
    vigil::otlp::TraceExport exported;
    std::string error;
    bool tooLarge = false;
    if (!vigil::otlp::decodeTraceExportJson(body, exported, error, &tooLarge)) {
        vigil::otlp::encodeStatusJson(3, error);
        return 0;
    }
    vigil::otlp::SpanMapper::Options options;
    options.prices = &vigil::fuzz::prices();
    if (size && data[size - 1] & 1)
        options.boundTenant = "acme";
    const auto result = vigil::otlp::SpanMapper(options).map(exported);
    std::string message;
    for (const auto &[reason, spanId] : result.rejected)
        message += reason.message() + spanId;
    vigil::otlp::encodeExportResponseJson(static_cast<std::int64_t>(result.rejected.size()), message);
    return 0;
}
