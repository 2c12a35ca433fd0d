#include "record/price_table.h"
#include "record/record_parser.h"

#include <gtest/gtest.h>
#include <simdjson.h>

using namespace vigil;

namespace {

const std::string kValid =
    R"({"ts":"2026-11-27T02:13:04.123Z","request_id":"req_01HZX3","tenant":"acme","model":"gpt-4o-mini","provider":"openai","prompt_name":"summarize","prompt_version":"3f9c2ab","latency_ms":812.4,"input_tokens":1234,"output_tokens":210,"cost_usd":0.000311,"retrieval_hits":4,"outcome":"ok","input":"Summarize ...","output":"The ...","retrieval_context":["doc 1 ...","doc 2 ..."],"action":"email_sent"})";

struct Parsed
{
    bool ok;
    Record record;
    ParseError error;
};

Parsed parse(const std::string &line, const PriceTable *prices = &PriceTable::builtin())
{
    RecordParser parser(prices);
    Parsed p;
    p.ok = parser.parseText(line, p.record, p.error);
    return p;
}

// Replaces `"field":value` in kValid; an empty replacement drops the field.
std::string with(const std::string &field, const std::string &replacement,
                 const std::string &base = kValid)
{
    std::string line = base;
    const std::string key = "\"" + field + "\":";
    const auto start = line.find(key);
    EXPECT_NE(start, std::string::npos) << field;
    auto end = start + key.size();
    int depth = 0;
    bool inString = false;
    for (; end < line.size(); ++end) {
        const char c = line[end];
        if (inString) {
            if (c == '\\')
                ++end;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '[' || c == '{')
            ++depth;
        else if (c == ']' || c == '}') {
            if (depth == 0)
                break;
            --depth;
        } else if (c == ',' && depth == 0)
            break;
    }
    if (replacement.empty()) {
        const bool trailingComma = end < line.size() && line[end] == ',';
        line.erase(start, end - start + (trailingComma ? 1 : 0));
        if (!trailingComma && line[start - 1] == ',')
            line.erase(start - 1, 1);
    } else {
        line.replace(start, end - start, key + replacement);
    }
    return line;
}

} // namespace

TEST(RecordParser, ParsesTheSpecExample)
{
    const Parsed p = parse(kValid);
    ASSERT_TRUE(p.ok) << p.error.message();
    const Record &r = p.record;
    EXPECT_EQ(r.tsMs, 1795745584123);
    EXPECT_EQ(r.requestId, "req_01HZX3");
    EXPECT_EQ(r.tenant, "acme");
    EXPECT_EQ(r.model, "gpt-4o-mini");
    EXPECT_EQ(r.provider, "openai");
    EXPECT_EQ(r.promptName, "summarize");
    EXPECT_EQ(r.promptVersion, "3f9c2ab");
    EXPECT_DOUBLE_EQ(r.latencyMs, 812.4);
    EXPECT_EQ(r.inputTokens, 1234);
    EXPECT_EQ(r.outputTokens, 210);
    EXPECT_DOUBLE_EQ(*r.costUsd, 0.000311);
    EXPECT_EQ(r.costSource, CostSource::Reported);
    EXPECT_EQ(r.retrievalHits, 4);
    EXPECT_EQ(r.outcome, Outcome::Ok);
    EXPECT_EQ(r.inputJson, "\"Summarize ...\"");
    EXPECT_EQ(r.output, "The ...");
    EXPECT_EQ(r.retrievalContextJson, R"(["doc 1 ...","doc 2 ..."])");
    EXPECT_EQ(r.actionJson, "\"email_sent\"");
    EXPECT_TRUE(r.attributesJson.empty());
}

TEST(RecordParser, TimestampsAsEpochMillisecondsOrAnyOffset)
{
    EXPECT_EQ(parse(with("ts", "1795745584123")).record.tsMs, 1795745584123);
    EXPECT_EQ(parse(with("ts", "1795745584123.9")).record.tsMs, 1795745584123);
    EXPECT_EQ(parse(with("ts", "\"2026-11-27T03:13:04.123+01:00\"")).record.tsMs, 1795745584123);
}

TEST(RecordParser, InputAsChatMessages)
{
    const std::string messages =
        R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":null,"tool_calls":[{"id":"t1"}]},{"role":"tool","content":"42"}])";
    const Parsed p = parse(with("input", messages));
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(p.record.inputJson, messages);
    // Every element must be a message with a role.
    EXPECT_EQ(parse(with("input", R"(["just text"])")).error.reason, "wrong_type");
    EXPECT_EQ(parse(with("input", R"([{"content":"no role"}])")).error.reason, "invalid_value");
    EXPECT_EQ(parse(with("input", "42")).error.reason, "wrong_type");
}

TEST(RecordParser, UnknownFieldsAreKeptAsAttributes)
{
    std::string line = kValid;
    line.insert(line.size() - 1, R"(,"region":"eu-west-1","nested":{"a":[1,2,{"b":null}]},"n":1.5,"flag":true,"x\"y":"q")");
    const Parsed p = parse(line);
    ASSERT_TRUE(p.ok) << p.error.message();
    const auto doc = simdjson::padded_string(p.record.attributesJson);
    simdjson::dom::parser parser;
    const simdjson::dom::element attributes = parser.parse(doc);
    EXPECT_EQ(std::string_view(attributes["region"]), "eu-west-1");
    EXPECT_EQ(int64_t(attributes["nested"]["a"].at(1)), 2);
    EXPECT_DOUBLE_EQ(double(attributes["n"]), 1.5);
    EXPECT_TRUE(bool(attributes["flag"]));
    EXPECT_EQ(std::string_view(attributes["x\"y"]), "q");
}

TEST(RecordParser, CostIsComputedWhenAbsentAndRemembered)
{
    const Parsed p = parse(with("cost_usd", ""));
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(p.record.costSource, CostSource::Computed);
    const double expected = *PriceTable::builtin().cost("gpt-4o-mini", 1234, 210);
    EXPECT_DOUBLE_EQ(*p.record.costUsd, expected);

    // Unknown model or no tokens: no cost rather than a wrong one.
    const Parsed unknown = parse(with("cost_usd", "", with("model", "\"my-finetune\"")));
    ASSERT_TRUE(unknown.ok);
    EXPECT_EQ(unknown.record.costSource, CostSource::Unknown);
    EXPECT_FALSE(unknown.record.costUsd.has_value());
    const Parsed noTokens = parse(with("cost_usd", "", with("input_tokens", "", with("output_tokens", ""))));
    ASSERT_TRUE(noTokens.ok);
    EXPECT_EQ(noTokens.record.costSource, CostSource::Unknown);
    const Parsed noCost = parse(with("cost_usd", ""), nullptr);
    EXPECT_EQ(noCost.record.costSource, CostSource::Unknown);
    EXPECT_FALSE(noCost.record.costUsd.has_value());
}

TEST(RecordParser, NullOptionalFieldsAreAbsent)
{
    const Parsed p = parse(with("provider", "null"));
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_TRUE(p.record.provider.empty());
    EXPECT_FALSE(parse(with("retrieval_hits", "null")).record.retrievalHits.has_value());
}

// Every bad-input kind of the spec: not JSON, a missing required field, a
// field of the wrong type; plus values outside their domain.
TEST(RecordParser, RejectsInvalidJson)
{
    for (const std::string &bad : {std::string("{\"ts\":"), std::string("not json"),
                                   kValid.substr(0, kValid.size() - 1), kValid + "}",
                                   std::string("{\"a\":1,}"), std::string("{'a':1}"), kValid + " x"}) {
        const Parsed p = parse(bad);
        EXPECT_FALSE(p.ok) << bad;
        EXPECT_EQ(p.error.reason, "invalid_json") << bad;
    }
}

TEST(RecordParser, RejectsNonObjects)
{
    for (const char *bad : {"[1,2]", "\"text\"", "42", "null"}) {
        const Parsed p = parse(bad);
        EXPECT_EQ(p.error.reason, "not_an_object") << bad;
    }
}

TEST(RecordParser, RejectsEachMissingRequiredField)
{
    for (const char *field : {"ts", "request_id", "tenant", "model", "latency_ms", "outcome"}) {
        const Parsed p = parse(with(field, ""));
        EXPECT_FALSE(p.ok) << field;
        EXPECT_EQ(p.error.reason, "missing_field") << field;
        EXPECT_NE(p.error.detail.find(field), std::string::npos) << p.error.detail;
        EXPECT_EQ(parse(with(field, "null")).error.reason, "missing_field") << field;
    }
}

TEST(RecordParser, RejectsEachWrongType)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"ts", "true"},           {"request_id", "42"},     {"tenant", "[]"},
        {"model", "{}"},          {"latency_ms", "\"812\""}, {"outcome", "1"},
        {"provider", "7"},        {"prompt_name", "false"},  {"prompt_version", "3"},
        {"input_tokens", "\"12\""}, {"output_tokens", "[1]"}, {"cost_usd", "\"0.1\""},
        {"retrieval_hits", "{}"}, {"output", "{\"text\":1}"}, {"retrieval_context", "\"doc\""},
        {"action", "[1]"},        {"input", "true"}};
    for (const auto &[field, value] : cases) {
        const Parsed p = parse(with(field, value));
        EXPECT_FALSE(p.ok) << field;
        EXPECT_EQ(p.error.reason, "wrong_type") << field << " " << p.error.message();
        EXPECT_NE(p.error.detail.find(field), std::string::npos) << p.error.detail;
    }
    // Items of retrieval_context must be strings or objects.
    EXPECT_EQ(parse(with("retrieval_context", "[\"a\",3]")).error.reason, "wrong_type");
}

TEST(RecordParser, RejectsValuesOutsideTheirDomain)
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"outcome", "\"maybe\""},       {"outcome", "\"OK\""},
        {"latency_ms", "-1"},           {"input_tokens", "-5"},
        {"output_tokens", "1.5"},       {"cost_usd", "-0.01"},
        {"retrieval_hits", "-1"},       {"ts", "\"yesterday\""},
        {"ts", "\"2026-11-27T02:13:04\""}, {"request_id", "\"\""},
        {"request_id", "\"" + std::string(129, 'x') + "\""}, {"tenant", "\"\""}, {"model", "\"\""}};
    for (const auto &[field, value] : cases) {
        const Parsed p = parse(with(field, value));
        EXPECT_FALSE(p.ok) << field << "=" << value;
        EXPECT_EQ(p.error.reason, "invalid_value") << field << "=" << value << " " << p.error.message();
    }
    // 128 characters (not bytes) are fine.
    std::string id;
    for (int i = 0; i < 128; ++i)
        id += "\xC3\xA9"; // é
    EXPECT_TRUE(parse(with("request_id", "\"" + id + "\"")).ok);
    // Integral floats count as integers.
    EXPECT_EQ(parse(with("input_tokens", "12.0")).record.inputTokens, 12);
}

TEST(RecordParser, RejectsInvalidUtf8)
{
    for (const std::string &bytes : {std::string("\xC3\x28"), std::string("\xFF"),
                                     std::string("\xED\xA0\x80"), std::string("\xE2\x82")}) {
        const Parsed p = parse(with("tenant", "\"ac" + bytes + "me\""));
        EXPECT_EQ(p.error.reason, "invalid_utf8") << p.error.message();
    }
    // ... also where the spec does not look (an unknown field).
    std::string line = kValid;
    line.insert(line.size() - 1, ",\"note\":\"\xC0\xAF\"");
    EXPECT_EQ(parse(line).error.reason, "invalid_utf8");
}

TEST(RecordParser, JsonBodyAsArrayOrObject)
{
    RecordParser parser(&PriceTable::builtin());
    const auto one = parser.parseJsonBody(kValid);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<Record>(one[0]));
    const auto many = parser.parseJsonBody("[" + kValid + ",{\"ts\":1}," + kValid + "]");
    ASSERT_EQ(many.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<Record>(many[0]));
    EXPECT_EQ(std::get<ParseError>(many[1]).reason, "missing_field");
    EXPECT_TRUE(std::holds_alternative<Record>(many[2]));
    const auto broken = parser.parseJsonBody("[{");
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_EQ(std::get<ParseError>(broken[0]).reason, "invalid_json");
}
