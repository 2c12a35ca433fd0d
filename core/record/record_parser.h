#pragma once

#include "record/parse_error.h"
#include "record/record.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vigil {

class PriceTable;

// Readable bytes the parser may touch past the end of a line (simdjson reads
// ahead in blocks); the bytes' content does not matter.
inline constexpr std::size_t kParsePadding = 64;

using ParseResult = std::variant<Record, ParseError>;

// Turns request-log-v1 JSON into validated Records. Not thread-safe: one
// parser per thread (it owns simdjson's reusable buffers).
class RecordParser final
{
public:
    // `prices` fills in cost_usd when a record has none; may be null.
    explicit RecordParser(const PriceTable *prices = nullptr);
    ~RecordParser();
    RecordParser(const RecordParser &) = delete;
    RecordParser &operator=(const RecordParser &) = delete;

    // Records without a tenant get this one instead of being refused (a token
    // bound to a tenant supplies it).
    void setDefaultTenant(std::string tenant);

    // One NDJSON line without its line end. Requires kParsePadding readable
    // bytes after line.data() + line.size().
    bool parseLine(std::string_view line, Record &out, ParseError &error);

    // Same, for text without the padding guarantee (copies it).
    bool parseText(std::string_view text, Record &out, ParseError &error);

    // A JSON body holding one record object or an array of them: one result per
    // element. A body that is not JSON at all yields one invalid_json error.
    std::vector<ParseResult> parseJsonBody(std::string_view body);
    // Same, handing over one result at a time: a big array of small elements
    // never has all its results in memory at once.
    void parseJsonBody(std::string_view body, const std::function<void(ParseResult &&)> &each);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
