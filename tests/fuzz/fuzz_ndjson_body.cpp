// libFuzzer target: a POST /v1/requests body through RecordParser, the way
// the endpoint reads it: line by line as NDJSON (with and without the
// padding guarantee), and whole as a JSON array or object.
#include "fuzz_prices.h"
#include "record/record_parser.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view body(reinterpret_cast<const char *>(data), size);
    vigil::RecordParser parser(&vigil::fuzz::prices());
    if (size && data[0] & 1)
        parser.setDefaultTenant("bound-tenant");

    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string_view::npos)
            end = body.size();
        std::string_view line = body.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        vigil::Record record;
        vigil::ParseError error;
        parser.parseText(line, record, error);
        // parseLine reads up to kParsePadding bytes past the line: give it a
        // copy with exactly that much, so ASan sees any read beyond.
        std::string padded(line);
        padded.append(vigil::kParsePadding, '\0');
        parser.parseLine(std::string_view(padded.data(), line.size()), record, error);
    }
    std::size_t results = 0;
    parser.parseJsonBody(body, [&results](vigil::ParseResult &&) { ++results; });
    return 0;
}
