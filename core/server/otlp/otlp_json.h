#pragma once

#include "server/otlp/otlp_model.h"

#include <string>
#include <string_view>

namespace vigil::otlp {

// Decodes an ExportTraceServiceRequest in the OTLP/JSON mapping: lowerCamelCase
// (snake_case also accepted), hex trace and span ids, 64-bit integers as
// strings or numbers, enums as numbers (or their names). `*tooLarge` as in
// decodeTraceExportProtobuf.
bool decodeTraceExportJson(std::string_view body, TraceExport &out, std::string &error, bool *tooLarge = nullptr);

std::string encodeExportResponseJson(std::int64_t rejectedSpans, const std::string &errorMessage);
std::string encodeStatusJson(int code, const std::string &message);

} // namespace vigil::otlp
