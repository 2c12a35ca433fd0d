#pragma once

#include "server/otlp/otlp_model.h"

#include <string>
#include <string_view>

namespace vigil::otlp {

// Decodes an ExportTraceServiceRequest (application/x-protobuf). Unknown
// fields are skipped; nesting deeper than 32 levels is refused. Returns false
// with `error` on malformed input, and with `*tooLarge` set as well when the
// export holds more than kMaxExportElements.
bool decodeTraceExportProtobuf(std::string_view body, TraceExport &out, std::string &error,
                               bool *tooLarge = nullptr);

// ExportTraceServiceResponse, with partial_success when spans were rejected.
std::string encodeExportResponseProtobuf(std::int64_t rejectedSpans, const std::string &errorMessage);
// google.rpc.Status, the body of an OTLP error response.
std::string encodeStatusProtobuf(int code, const std::string &message);

} // namespace vigil::otlp
