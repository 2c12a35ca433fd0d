#include "server/otlp/span_mapper.h"

#include "record/price_table.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

namespace vigil::otlp {

namespace {

using Attributes = std::unordered_map<std::string_view, const AnyValue *>;

Attributes index(const std::vector<KeyValue> &list)
{
    Attributes out;
    out.reserve(list.size());
    for (const KeyValue &kv : list)
        out[kv.key] = &kv.value;
    return out;
}

const AnyValue *find(const Attributes &a, std::initializer_list<std::string_view> keys)
{
    for (std::string_view key : keys) {
        if (auto it = a.find(key); it != a.end() && it->second->type != AnyValue::Type::Empty)
            return it->second;
    }
    return nullptr;
}

std::string text(const Attributes &a, std::initializer_list<std::string_view> keys)
{
    const AnyValue *v = find(a, keys);
    return v ? v->toText() : std::string();
}

std::optional<std::int64_t> integer(const Attributes &a, std::initializer_list<std::string_view> keys)
{
    const AnyValue *v = find(a, keys);
    if (!v)
        return std::nullopt;
    switch (v->type) {
    case AnyValue::Type::Int: return v->integer >= 0 ? std::optional(v->integer) : std::nullopt;
    case AnyValue::Type::Double: return v->number >= 0 ? std::optional(static_cast<std::int64_t>(v->number)) : std::nullopt;
    case AnyValue::Type::String: {
        char *end = nullptr;
        const long long n = std::strtoll(v->text.c_str(), &end, 10);
        return end && !*end && n >= 0 ? std::optional<std::int64_t>(n) : std::nullopt;
    }
    default: return std::nullopt;
    }
}

std::optional<double> number(const Attributes &a, std::initializer_list<std::string_view> keys)
{
    const AnyValue *v = find(a, keys);
    if (!v)
        return std::nullopt;
    if (v->type == AnyValue::Type::Double)
        return v->number;
    if (v->type == AnyValue::Type::Int)
        return static_cast<double>(v->integer);
    if (v->type == AnyValue::Type::String) {
        char *end = nullptr;
        const double d = std::strtod(v->text.c_str(), &end);
        if (end && !*end)
            return d;
    }
    return std::nullopt;
}

void appendJsonString(std::string &out, std::string_view s)
{
    AnyValue v;
    v.type = AnyValue::Type::String;
    v.text = std::string(s);
    out += v.toJson();
}

// One chat message as the record's input holds it.
struct Message
{
    std::string role;
    std::string contentJson; // JSON value
};

std::string messagesJson(const std::vector<Message> &messages)
{
    std::string out = "[";
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i)
            out += ',';
        out += "{\"role\":";
        appendJsonString(out, messages[i].role);
        out += ",\"content\":";
        out += messages[i].contentJson.empty() ? "null" : messages[i].contentJson;
        out += '}';
    }
    return out + "]";
}

// The text of the current GenAI message format {role, parts: [{type, content}]}:
// text parts joined; other parts kept as JSON so nothing is lost.
std::string partsToContentJson(simdjson::dom::element parts)
{
    std::string textContent;
    bool allText = true;
    for (simdjson::dom::element part : simdjson::dom::array(parts)) {
        std::string_view type, content;
        if (part["type"].get(type) == simdjson::SUCCESS && type == "text" &&
            part["content"].get(content) == simdjson::SUCCESS) {
            if (!textContent.empty())
                textContent += '\n';
            textContent += content;
        } else {
            allText = false;
        }
    }
    if (allText) {
        std::string out;
        appendJsonString(out, textContent);
        return out;
    }
    return simdjson::to_string(parts);
}

// Parses gen_ai.input.messages / gen_ai.output.messages (a JSON string, or an
// array value) into messages. Older flat {role, content} objects work too.
bool parseGenAiMessages(const AnyValue &value, std::vector<Message> &out)
{
    const std::string json = value.type == AnyValue::Type::String ? value.text : value.toJson();
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(json).get(root) != simdjson::SUCCESS || root.type() != simdjson::dom::element_type::ARRAY)
        return false;
    for (simdjson::dom::element m : simdjson::dom::array(root)) {
        Message message;
        std::string_view role;
        if (m["role"].get(role) == simdjson::SUCCESS)
            message.role = std::string(role);
        simdjson::dom::element parts, content;
        if (m["parts"].get(parts) == simdjson::SUCCESS && parts.type() == simdjson::dom::element_type::ARRAY)
            message.contentJson = partsToContentJson(parts);
        else if (m["content"].get(content) == simdjson::SUCCESS)
            message.contentJson = simdjson::to_string(content);
        out.push_back(std::move(message));
    }
    return !out.empty();
}

std::string contentJson(const AnyValue *v)
{
    if (!v)
        return {};
    if (v->type == AnyValue::Type::String) {
        std::string out;
        appendJsonString(out, v->text);
        return out;
    }
    return v->toJson();
}

// Indexed flat messages: <prefix>.<N>.<roleKey> / <prefix>.<N>.<contentKey>
// (OpenLLMetry gen_ai.prompt.N.*, OpenInference llm.input_messages.N.message.*).
std::vector<Message> indexedMessages(const std::vector<KeyValue> &attributes, std::string_view prefix,
                                     std::string_view roleKey, std::string_view contentKey)
{
    std::map<int, Message> byIndex;
    for (const KeyValue &kv : attributes) {
        std::string_view key = kv.key;
        if (key.size() <= prefix.size() + 1 || key.substr(0, prefix.size()) != prefix || key[prefix.size()] != '.')
            continue;
        key.remove_prefix(prefix.size() + 1);
        const auto dot = key.find('.');
        if (dot == std::string_view::npos || dot == 0)
            continue;
        int index = 0;
        bool digits = true;
        for (char c : key.substr(0, dot)) {
            digits = digits && std::isdigit(static_cast<unsigned char>(c));
            index = index * 10 + (c - '0');
        }
        if (!digits)
            continue;
        const std::string_view rest = key.substr(dot + 1);
        if (rest == roleKey)
            byIndex[index].role = kv.value.toText();
        else if (rest == contentKey)
            byIndex[index].contentJson = contentJson(&kv.value);
    }
    std::vector<Message> out;
    for (auto &[i, m] : byIndex)
        out.push_back(std::move(m));
    return out;
}

// The text of an output: the first message's content when it is a string.
std::string outputText(const std::vector<Message> &messages)
{
    std::string text;
    for (const Message &m : messages) {
        if (m.contentJson.empty())
            continue;
        simdjson::dom::parser parser;
        simdjson::dom::element e;
        if (parser.parse(m.contentJson).get(e) != simdjson::SUCCESS)
            continue;
        if (!text.empty())
            text += '\n';
        std::string_view s;
        if (e.get(s) == simdjson::SUCCESS)
            text += s;
        else
            text += m.contentJson;
    }
    return text;
}

bool looksLikeTimeout(std::string_view s)
{
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("timeout") != std::string::npos || lower.find("timed out") != std::string::npos ||
           lower.find("deadline") != std::string::npos;
}

bool isAllZeroHex(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}

// Attribute keys the mapping consumes; the rest land in the record's attributes.
const std::set<std::string_view> &consumedKeys()
{
    static const std::set<std::string_view> keys = {
        "gen_ai.request.model", "gen_ai.response.model", "llm.model_name", "llm.request.model",
        "llm.response.model", "gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system",
        "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt",
        "llm.usage.prompt_tokens", "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
        "llm.token_count.completion", "llm.usage.completion_tokens", "gen_ai.usage.cost",
        "llm.cost.total", "gen_ai.prompt.name", "gen_ai.prompt.version",
        "langfuse.observation.prompt.name", "langfuse.observation.prompt.version",
        "traceloop.prompt.key", "traceloop.prompt.version", "llm.prompt_template.version",
        "tenant.id", "user.id", "enduser.id", "langfuse.user.id", "gen_ai.conversation.id",
        "session.id", "langfuse.session.id", "error.type", "gen_ai.input.messages",
        "gen_ai.output.messages", "gen_ai.system_instructions", "input.value", "output.value",
        "langfuse.observation.input", "langfuse.observation.output"};
    return keys;
}

bool consumedPrefix(std::string_view key)
{
    for (std::string_view p : {"gen_ai.prompt.", "gen_ai.completion.", "llm.input_messages.",
                               "llm.output_messages.", "retrieval.documents."}) {
        if (key.substr(0, p.size()) == p && key != "gen_ai.prompt.name" && key != "gen_ai.prompt.version")
            return true;
    }
    return false;
}

} // namespace

SpanMapper::Result SpanMapper::map(const TraceExport &exported) const
{
    Result result;
    for (const ResourceSpans &resource : exported.resourceSpans) {
        const Attributes res = index(resource.resourceAttributes);
        for (const ScopeSpans &scope : resource.scopeSpans) {
            for (const Span &span : scope.spans) {
                const Attributes a = index(span.attributes);
                std::string model = text(a, {"gen_ai.response.model", "gen_ai.request.model",
                                             "llm.model_name", "llm.response.model", "llm.request.model"});
                if (model.empty()) {
                    ++result.skipped;
                    continue;
                }
                auto reject = [&](std::string reason, std::string detail) {
                    result.rejected.push_back({ParseError{std::move(reason), std::move(detail)}, span.spanId});
                };
                if (span.spanId.empty() || isAllZeroHex(span.spanId)) {
                    reject("missing_field", "span \"" + span.name + "\" has no span id");
                    continue;
                }
                if (span.startTimeUnixNano == 0) {
                    reject("missing_field", "span " + span.spanId + " has no start time");
                    continue;
                }
                if (span.endTimeUnixNano < span.startTimeUnixNano) {
                    reject("invalid_value", "span " + span.spanId + " ends before it starts");
                    continue;
                }

                Record r;
                r.requestId = span.spanId;
                r.traceId = span.traceId;
                r.model = model;
                r.tsMs = static_cast<std::int64_t>(span.startTimeUnixNano / 1'000'000);
                r.latencyMs = static_cast<double>(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6;
                r.provider = text(a, {"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"});
                if (r.provider.empty())
                    r.provider = text(res, {"gen_ai.provider.name", "gen_ai.system"});

                // Tenant: the span's, then the resource's; a bound token decides.
                std::string tenant = text(a, {"tenant.id"});
                if (tenant.empty())
                    tenant = text(res, {"tenant.id"});
                if (m_options.boundTenant) {
                    if (!tenant.empty() && tenant != *m_options.boundTenant)
                        result.foreignTenants.push_back(tenant);
                    tenant = *m_options.boundTenant;
                }
                r.tenant = tenant.empty() ? "default" : tenant;

                r.inputTokens = integer(a, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
                                            "llm.token_count.prompt", "llm.usage.prompt_tokens"});
                r.outputTokens = integer(a, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                                             "llm.token_count.completion", "llm.usage.completion_tokens"});
                r.costUsd = number(a, {"gen_ai.usage.cost", "llm.cost.total"});
                if (r.costUsd && *r.costUsd < 0)
                    r.costUsd.reset();
                r.promptName = text(a, {"gen_ai.prompt.name", "langfuse.observation.prompt.name",
                                        "traceloop.prompt.key"});
                r.promptVersion = text(a, {"gen_ai.prompt.version", "langfuse.observation.prompt.version",
                                           "traceloop.prompt.version", "llm.prompt_template.version"});
                r.user = text(a, {"user.id", "enduser.id", "langfuse.user.id"});
                r.sessionId = text(a, {"gen_ai.conversation.id", "session.id", "langfuse.session.id"});

                // Outcome.
                const std::string errorType = text(a, {"error.type"});
                const bool failed = span.statusCode == 2 || !errorType.empty();
                r.outcome = Outcome::Ok;
                if (failed) {
                    r.errorType = errorType.empty() ? std::string("error") : errorType;
                    r.outcome = looksLikeTimeout(r.errorType) || looksLikeTimeout(span.statusMessage)
                                    ? Outcome::Timeout : Outcome::Error;
                } else if (const AnyValue *reasons = find(a, {"gen_ai.response.finish_reasons"});
                           reasons && reasons->toJson().find("content_filter") != std::string::npos) {
                    r.outcome = Outcome::Refused;
                    r.errorType = "content_filter";
                }

                // Content: attributes first, then the inference details event,
                // then the older conventions.
                std::vector<Message> input, output;
                std::vector<Message> system;
                auto readDetails = [&](const Attributes &src) {
                    if (const AnyValue *v = find(src, {"gen_ai.system_instructions"}); v && system.empty()) {
                        Message m;
                        m.role = "system";
                        AnyValue wrapped;
                        if (v->type == AnyValue::Type::String) {
                            simdjson::dom::parser p;
                            simdjson::dom::element e;
                            if (p.parse(v->text).get(e) == simdjson::SUCCESS && e.type() == simdjson::dom::element_type::ARRAY)
                                m.contentJson = partsToContentJson(e);
                            else
                                m.contentJson = contentJson(v);
                        } else {
                            m.contentJson = v->toJson();
                        }
                        system.push_back(std::move(m));
                    }
                    if (const AnyValue *v = find(src, {"gen_ai.input.messages"}); v && input.empty())
                        parseGenAiMessages(*v, input);
                    if (const AnyValue *v = find(src, {"gen_ai.output.messages"}); v && output.empty())
                        parseGenAiMessages(*v, output);
                };
                readDetails(a);
                for (const SpanEvent &event : span.events) {
                    if (event.name == "gen_ai.client.inference.operation.details")
                        readDetails(index(event.attributes));
                }
                if (input.empty())
                    input = indexedMessages(span.attributes, "llm.input_messages", "message.role", "message.content");
                if (output.empty())
                    output = indexedMessages(span.attributes, "llm.output_messages", "message.role", "message.content");
                if (input.empty())
                    input = indexedMessages(span.attributes, "gen_ai.prompt", "role", "content");
                if (output.empty())
                    output = indexedMessages(span.attributes, "gen_ai.completion", "role", "content");
                if (input.empty() || output.empty()) {
                    // Older event-per-message conventions.
                    std::vector<Message> eventInput, eventOutput;
                    for (const SpanEvent &event : span.events) {
                        const Attributes ea = index(event.attributes);
                        const AnyValue *content = find(ea, {"content", "gen_ai.event.content"});
                        if (event.name == "gen_ai.system.message" || event.name == "gen_ai.user.message" ||
                            event.name == "gen_ai.assistant.message" || event.name == "gen_ai.tool.message") {
                            const std::string role = event.name.substr(7, event.name.size() - 15);
                            eventInput.push_back({role, contentJson(content)});
                        } else if (event.name == "gen_ai.content.prompt") {
                            eventInput.push_back({"user", contentJson(find(ea, {"gen_ai.prompt"}))});
                        } else if (event.name == "gen_ai.choice") {
                            const AnyValue *message = find(ea, {"message"});
                            std::vector<Message> parsed;
                            if (message && message->type == AnyValue::Type::String)
                                parsed.push_back({"assistant", contentJson(message)});
                            if (message && message->type == AnyValue::Type::KvList) {
                                const Attributes ma = index(message->kvlist);
                                parsed.push_back({"assistant", contentJson(find(ma, {"content"}))});
                            }
                            if (parsed.empty() && content)
                                parsed.push_back({"assistant", contentJson(content)});
                            eventOutput.insert(eventOutput.end(), parsed.begin(), parsed.end());
                        } else if (event.name == "gen_ai.content.completion") {
                            eventOutput.push_back({"assistant", contentJson(find(ea, {"gen_ai.completion"}))});
                        }
                    }
                    if (input.empty())
                        input = std::move(eventInput);
                    if (output.empty())
                        output = std::move(eventOutput);
                }
                if (!system.empty())
                    input.insert(input.begin(), system.begin(), system.end());
                if (!input.empty()) {
                    r.inputJson = messagesJson(input);
                } else if (const AnyValue *v = find(a, {"input.value", "langfuse.observation.input"})) {
                    r.inputJson = contentJson(v);
                }
                if (!output.empty()) {
                    r.output = outputText(output);
                } else if (const AnyValue *v = find(a, {"output.value", "langfuse.observation.output"})) {
                    r.output = v->toText();
                }

                // Retrieved documents (OpenInference).
                const std::vector<Message> documents =
                    indexedMessages(span.attributes, "retrieval.documents", "document.id", "document.content");
                if (!documents.empty()) {
                    std::string context = "[";
                    for (std::size_t i = 0; i < documents.size(); ++i) {
                        if (i)
                            context += ',';
                        context += documents[i].contentJson.empty() ? "\"\"" : documents[i].contentJson;
                    }
                    r.retrievalContextJson = context + "]";
                    r.retrievalHits = static_cast<std::int64_t>(documents.size());
                }

                // Everything else is kept.
                std::string attributes = "{\"otel.span_name\":";
                appendJsonString(attributes, span.name);
                if (!scope.scopeName.empty()) {
                    attributes += ",\"otel.scope\":";
                    appendJsonString(attributes, scope.scopeName);
                }
                if (const std::string service = text(res, {"service.name"}); !service.empty()) {
                    attributes += ",\"service.name\":";
                    appendJsonString(attributes, service);
                }
                if (!span.parentSpanId.empty()) {
                    attributes += ",\"otel.parent_span_id\":";
                    appendJsonString(attributes, span.parentSpanId);
                }
                if (!span.statusMessage.empty()) {
                    attributes += ",\"otel.status_message\":";
                    appendJsonString(attributes, span.statusMessage);
                }
                for (const KeyValue &kv : span.attributes) {
                    if (consumedKeys().count(kv.key) || consumedPrefix(kv.key))
                        continue;
                    attributes += ',';
                    appendJsonString(attributes, kv.key);
                    attributes += ':';
                    attributes += kv.value.toJson();
                }
                r.attributesJson = attributes + "}";

                const auto validUtf8 = [](const std::string &t) {
                    return simdjson::validate_utf8(t.data(), t.size());
                };
                if (!validUtf8(r.model) || !validUtf8(r.tenant) || !validUtf8(r.provider) ||
                    !validUtf8(r.promptName) || !validUtf8(r.promptVersion) || !validUtf8(r.user) ||
                    !validUtf8(r.sessionId) || !validUtf8(r.errorType) || !validUtf8(r.inputJson) ||
                    !validUtf8(r.output.value_or(std::string())) || !validUtf8(r.attributesJson) ||
                    !validUtf8(r.retrievalContextJson)) {
                    reject("invalid_utf8", "span " + span.spanId + " carries text that is not valid UTF-8");
                    continue;
                }
                if (r.requestId.size() > 128 || r.tenant.empty()) {
                    reject("invalid_value", "span " + span.spanId + " has no usable id or tenant");
                    continue;
                }
                if (r.costUsd) {
                    r.costSource = CostSource::Reported;
                } else if (m_options.prices) {
                    r.costUsd = m_options.prices->cost(r.model, r.inputTokens, r.outputTokens);
                    r.costSource = r.costUsd ? CostSource::Computed : CostSource::Unknown;
                }
                result.records.push_back(std::move(r));
            }
        }
    }
    return result;
}

} // namespace vigil::otlp
