#include "audit/text_extract.h"

#include <simdjson.h>

#include <array>

namespace vigil {

namespace {

bool structuralKey(std::string_view key)
{
    static constexpr std::array<std::string_view, 7> keys = {"role", "type", "id", "name",
                                                             "tool_call_id", "finish_reason", "index"};
    for (std::string_view k : keys) {
        if (k == key)
            return true;
    }
    return false;
}

void collect(simdjson::dom::element e, std::string &out)
{
    switch (e.type()) {
    case simdjson::dom::element_type::STRING: {
        std::string_view s = e.get_string();
        if (s.empty())
            return;
        if (!out.empty())
            out += '\n';
        out += s;
        return;
    }
    case simdjson::dom::element_type::ARRAY:
        for (simdjson::dom::element item : simdjson::dom::array(e))
            collect(item, out);
        return;
    case simdjson::dom::element_type::OBJECT:
        for (auto [key, value] : simdjson::dom::object(e)) {
            if (!structuralKey(key))
                collect(value, out);
        }
        return;
    default: return;
    }
}

} // namespace

std::string extractText(std::string_view json)
{
    if (json.empty())
        return {};
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS)
        return std::string(json);
    std::string out;
    collect(root, out);
    return out;
}

} // namespace vigil
