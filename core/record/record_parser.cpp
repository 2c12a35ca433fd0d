#include "record/record_parser.h"

#include "record/price_table.h"
#include "record/timestamp.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

namespace vigil {

static_assert(kParsePadding >= simdjson::SIMDJSON_PADDING);

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const char *typeName(element_type type)
{
    switch (type) {
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::STRING: return "a string";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
    }
    return "something else";
}

bool isNumber(element_type t)
{
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE;
}

std::size_t utf8Length(std::string_view s)
{
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

// The fields of the spec; everything else goes to `attributes`.
enum class Field {
    Ts, RequestId, Tenant, Model, LatencyMs, Outcome, Provider, PromptName, PromptVersion,
    InputTokens, OutputTokens, CostUsd, RetrievalHits, ErrorType, User, TraceId, SessionId,
    Input, Output, RetrievalContext, Action
};

const std::unordered_map<std::string_view, Field> &knownFields()
{
    static const std::unordered_map<std::string_view, Field> fields = {
        {"ts", Field::Ts}, {"request_id", Field::RequestId}, {"tenant", Field::Tenant},
        {"model", Field::Model}, {"latency_ms", Field::LatencyMs}, {"outcome", Field::Outcome},
        {"provider", Field::Provider}, {"prompt_name", Field::PromptName},
        {"prompt_version", Field::PromptVersion}, {"input_tokens", Field::InputTokens},
        {"output_tokens", Field::OutputTokens}, {"cost_usd", Field::CostUsd},
        {"retrieval_hits", Field::RetrievalHits}, {"error_type", Field::ErrorType},
        {"user", Field::User}, {"trace_id", Field::TraceId}, {"session_id", Field::SessionId},
        {"input", Field::Input}, {"output", Field::Output},
        {"retrieval_context", Field::RetrievalContext}, {"action", Field::Action}};
    return fields;
}

class RecordBuilder
{
public:
    RecordBuilder(Record &out, ParseError &error, const std::string *defaultTenant = nullptr)
        : m_out(out), m_error(error), m_defaultTenant(defaultTenant)
    {
    }

    bool build(element root)
    {
        if (root.type() != element_type::OBJECT)
            return fail("not_an_object", std::string("a record must be a JSON object, got ") +
                                             typeName(root.type()));
        m_out = Record();
        std::string attributes;
        bool seenTs = false, seenRequestId = false, seenTenant = false, seenModel = false,
             seenLatency = false, seenOutcome = false;
        for (auto [key, value] : simdjson::dom::object(root)) {
            const auto it = knownFields().find(key);
            if (it == knownFields().end()) {
                attributes += attributes.empty() ? "{" : ",";
                appendJsonString(attributes, key);
                attributes += ':';
                attributes += simdjson::to_string(value);
                continue;
            }
            const bool isNull = value.type() == element_type::NULL_VALUE;
            switch (it->second) {
            case Field::Ts:
                if (!readTs(value))
                    return false;
                seenTs = true;
                break;
            case Field::RequestId:
                if (!readString(key, value, m_out.requestId))
                    return false;
                if (const auto n = utf8Length(m_out.requestId); n < 1 || n > 128)
                    return fail("invalid_value", "request_id must be 1 to 128 characters, got " +
                                                     std::to_string(n));
                seenRequestId = true;
                break;
            case Field::Tenant:
                if (!readNonEmptyString(key, value, m_out.tenant))
                    return false;
                seenTenant = true;
                break;
            case Field::Model:
                if (!readNonEmptyString(key, value, m_out.model))
                    return false;
                seenModel = true;
                break;
            case Field::LatencyMs: {
                double v = 0;
                if (!readNumber(key, value, v))
                    return false;
                if (!(v >= 0) || !std::isfinite(v))
                    return fail("invalid_value", "latency_ms must be a number >= 0");
                m_out.latencyMs = v;
                seenLatency = true;
                break;
            }
            case Field::Outcome: {
                std::string text;
                if (!readString(key, value, text))
                    return false;
                const auto outcome = outcomeFromName(text);
                if (!outcome)
                    return fail("invalid_value",
                                "outcome must be one of ok, error, timeout, fallback, refused, "
                                "blocked; got \"" + text.substr(0, 40) + "\"");
                m_out.outcome = *outcome;
                seenOutcome = true;
                break;
            }
            case Field::Provider:
                if (!isNull && !readString(key, value, m_out.provider))
                    return false;
                break;
            case Field::PromptName:
                if (!isNull && !readString(key, value, m_out.promptName))
                    return false;
                break;
            case Field::PromptVersion:
                if (!isNull && !readString(key, value, m_out.promptVersion))
                    return false;
                break;
            case Field::InputTokens:
                if (!isNull && !readCount(key, value, m_out.inputTokens))
                    return false;
                break;
            case Field::OutputTokens:
                if (!isNull && !readCount(key, value, m_out.outputTokens))
                    return false;
                break;
            case Field::RetrievalHits:
                if (!isNull && !readCount(key, value, m_out.retrievalHits))
                    return false;
                break;
            case Field::CostUsd:
                if (!isNull) {
                    double v = 0;
                    if (!readNumber(key, value, v))
                        return false;
                    if (!(v >= 0) || !std::isfinite(v))
                        return fail("invalid_value", "cost_usd must be a number >= 0");
                    m_out.costUsd = v;
                }
                break;
            case Field::ErrorType:
                if (!isNull && !readString(key, value, m_out.errorType))
                    return false;
                break;
            case Field::User:
                if (!isNull && !readString(key, value, m_out.user))
                    return false;
                break;
            case Field::TraceId:
                if (!isNull && !readString(key, value, m_out.traceId))
                    return false;
                break;
            case Field::SessionId:
                if (!isNull && !readString(key, value, m_out.sessionId))
                    return false;
                break;
            case Field::Input:
                if (!isNull && !readInput(value))
                    return false;
                break;
            case Field::Output:
                if (!isNull) {
                    std::string text;
                    if (!readString(key, value, text))
                        return false;
                    m_out.output = std::move(text);
                }
                break;
            case Field::RetrievalContext:
                if (!isNull && !readRetrievalContext(value))
                    return false;
                break;
            case Field::Action:
                if (isNull)
                    break;
                if (value.type() != element_type::STRING && value.type() != element_type::OBJECT)
                    return wrongType(key, "a string or an object", value);
                m_out.actionJson = simdjson::to_string(value);
                break;
            }
        }
        if (!seenTs)
            return missing("ts");
        if (!seenRequestId)
            return missing("request_id");
        if (!seenTenant) {
            if (!m_defaultTenant || m_defaultTenant->empty())
                return missing("tenant");
            m_out.tenant = *m_defaultTenant;
        }
        if (!seenModel)
            return missing("model");
        if (!seenLatency)
            return missing("latency_ms");
        if (!seenOutcome)
            return missing("outcome");
        if (!attributes.empty())
            m_out.attributesJson = attributes + "}";
        return true;
    }

private:
    bool fail(const char *reason, std::string detail)
    {
        m_error.reason = reason;
        m_error.detail = std::move(detail);
        return false;
    }
    bool missing(const char *field)
    {
        return fail("missing_field", std::string("required field ") + field + " is missing");
    }
    bool wrongType(std::string_view key, const char *expected, element value)
    {
        return fail("wrong_type", std::string(key) + " must be " + expected + ", got " +
                                      typeName(value.type()));
    }

    bool readString(std::string_view key, element value, std::string &out)
    {
        if (value.type() == element_type::NULL_VALUE)
            return fail("missing_field", std::string("required field ") + std::string(key) +
                                             " is null");
        std::string_view s;
        if (value.get(s) != simdjson::SUCCESS)
            return wrongType(key, "a string", value);
        out.assign(s);
        return true;
    }
    bool readNonEmptyString(std::string_view key, element value, std::string &out)
    {
        if (!readString(key, value, out))
            return false;
        if (out.empty())
            return fail("invalid_value", std::string(key) + " must not be empty");
        return true;
    }
    bool readNumber(std::string_view key, element value, double &out)
    {
        if (value.type() == element_type::NULL_VALUE)
            return fail("missing_field", std::string("required field ") + std::string(key) +
                                             " is null");
        if (!isNumber(value.type()))
            return wrongType(key, "a number", value);
        out = double(value);
        return true;
    }
    bool readCount(std::string_view key, element value, std::optional<std::int64_t> &out)
    {
        switch (value.type()) {
        case element_type::INT64: {
            const std::int64_t v = value.get_int64();
            if (v < 0)
                return fail("invalid_value", std::string(key) + " must be an integer >= 0");
            out = v;
            return true;
        }
        case element_type::UINT64:
            return fail("invalid_value", std::string(key) + " is too large");
        case element_type::DOUBLE: {
            const double v = value.get_double();
            if (v < 0 || v != std::floor(v) || v > 9.0e18)
                return fail("invalid_value", std::string(key) + " must be an integer >= 0");
            out = static_cast<std::int64_t>(v);
            return true;
        }
        default:
            return wrongType(key, "an integer", value);
        }
    }
    bool readTs(element value)
    {
        if (value.type() == element_type::STRING) {
            std::string_view s = value.get_string();
            const auto ms = parseRfc3339Ms(s);
            if (!ms)
                return fail("invalid_value", "ts \"" + std::string(s.substr(0, 64)) +
                                                 "\" is not an RFC 3339 time");
            m_out.tsMs = *ms;
            return true;
        }
        if (isNumber(value.type())) {
            const double v = double(value);
            // Year 0 .. 9999 in milliseconds.
            if (!std::isfinite(v) || v < -62167219200000.0 || v > 253402300799999.0)
                return fail("invalid_value", "ts is out of range for epoch milliseconds");
            m_out.tsMs = static_cast<std::int64_t>(std::floor(v));
            return true;
        }
        if (value.type() == element_type::NULL_VALUE)
            return fail("missing_field", "required field ts is null");
        return wrongType("ts", "an RFC 3339 string or epoch milliseconds", value);
    }
    bool readInput(element value)
    {
        if (value.type() == element_type::STRING) {
            m_out.inputJson = simdjson::to_string(value);
            return true;
        }
        if (value.type() != element_type::ARRAY)
            return wrongType("input", "a string or an array of chat messages", value);
        std::size_t index = 0;
        for (element message : simdjson::dom::array(value)) {
            if (message.type() != element_type::OBJECT)
                return fail("wrong_type", "input[" + std::to_string(index) +
                                              "] must be a chat message object {role, content}");
            std::string_view role;
            if (message["role"].get(role) != simdjson::SUCCESS)
                return fail("invalid_value",
                            "input[" + std::to_string(index) + "] needs a string role");
            ++index;
        }
        m_out.inputJson = simdjson::to_string(value);
        return true;
    }
    bool readRetrievalContext(element value)
    {
        if (value.type() != element_type::ARRAY)
            return wrongType("retrieval_context", "an array of strings or objects", value);
        std::size_t index = 0;
        for (element item : simdjson::dom::array(value)) {
            if (item.type() != element_type::STRING && item.type() != element_type::OBJECT)
                return fail("wrong_type", "retrieval_context[" + std::to_string(index) +
                                              "] must be a string or an object, got " +
                                              typeName(item.type()));
            ++index;
        }
        m_out.retrievalContextJson = simdjson::to_string(value);
        return true;
    }

    static void appendJsonString(std::string &out, std::string_view s)
    {
        out += '"';
        for (char c : s) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
                    out += buf;
                } else {
                    out += c;
                }
            }
        }
        out += '"';
    }

    Record &m_out;
    ParseError &m_error;
    const std::string *m_defaultTenant;
};

} // namespace

struct RecordParser::Impl
{
    const PriceTable *prices = nullptr;
    std::string defaultTenant;
    simdjson::dom::parser parser;
    std::string scratch;

    bool fromElement(simdjson::simdjson_result<element> parsed, Record &out, ParseError &error)
    {
        if (parsed.error() != simdjson::SUCCESS) {
            error.reason = parsed.error() == simdjson::UTF8_ERROR ? "invalid_utf8" : "invalid_json";
            error.detail = simdjson::error_message(parsed.error());
            return false;
        }
        if (!RecordBuilder(out, error, &defaultTenant).build(parsed.value_unsafe()))
            return false;
        fillCost(out);
        return true;
    }

    void fillCost(Record &record) const
    {
        if (record.costUsd) {
            record.costSource = CostSource::Reported;
            return;
        }
        if (prices) {
            if (auto cost = prices->cost(record.model, record.inputTokens, record.outputTokens)) {
                record.costUsd = cost;
                record.costSource = CostSource::Computed;
                return;
            }
        }
        record.costSource = CostSource::Unknown;
    }
};

RecordParser::RecordParser(const PriceTable *prices) : m_impl(std::make_unique<Impl>())
{
    m_impl->prices = prices;
}

RecordParser::~RecordParser() = default;

void RecordParser::setDefaultTenant(std::string tenant)
{
    m_impl->defaultTenant = std::move(tenant);
}

bool RecordParser::parseLine(std::string_view line, Record &out, ParseError &error)
{
    return m_impl->fromElement(m_impl->parser.parse(line.data(), line.size(), false), out, error);
}

bool RecordParser::parseText(std::string_view text, Record &out, ParseError &error)
{
    return m_impl->fromElement(m_impl->parser.parse(text.data(), text.size(), true), out, error);
}

std::vector<ParseResult> RecordParser::parseJsonBody(std::string_view body)
{
    std::vector<ParseResult> results;
    parseJsonBody(body, [&results](ParseResult &&result) { results.push_back(std::move(result)); });
    return results;
}

void RecordParser::parseJsonBody(std::string_view body, const std::function<void(ParseResult &&)> &each)
{
    auto parsed = m_impl->parser.parse(body.data(), body.size(), true);
    if (parsed.error() != simdjson::SUCCESS) {
        ParseError error{parsed.error() == simdjson::UTF8_ERROR ? "invalid_utf8" : "invalid_json",
                         simdjson::error_message(parsed.error())};
        each(std::move(error));
        return;
    }
    const element root = parsed.value_unsafe();
    auto convert = [&](element e) {
        Record record;
        ParseError error;
        if (RecordBuilder(record, error, &m_impl->defaultTenant).build(e)) {
            m_impl->fillCost(record);
            each(std::move(record));
        } else {
            each(std::move(error));
        }
    };
    if (root.type() == element_type::ARRAY) {
        for (element e : simdjson::dom::array(root))
            convert(e);
    } else {
        convert(root);
    }
}

} // namespace vigil
