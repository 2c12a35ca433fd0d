// POST /v1/traces over a real socket, every test in both OTLP encodings
// (protobuf and JSON, bodies built by the test from the OTLP specification):
// each attribute convention of docs/OTLP_MAPPING.md and its precedence,
// outcomes, partial success, skipped non-LLM spans, malformed exports, retries.
#include "otlp_builder.h"
#include "raw_http.h"
#include "stored_records.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace vigil::test;
namespace otlp = vigil::test::otlp;

namespace {

constexpr std::int64_t kStartMs = 1795745584123;

struct Sent
{
    HttpResponse response;
    otlp::PartialSuccess partial;
};

class OtlpTraces : public ::testing::TestWithParam<bool>
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");
    InProcessServer server{db};

    bool protobuf() const { return GetParam(); }

    Sent send(const otlp::Export &e, Headers extra = {})
    {
        const std::string body = protobuf() ? otlp::toProtobuf(e) : otlp::toJson(e);
        const auto r = httpPost(server.port(), "/v1/traces", protobuf() ? "application/x-protobuf" : "application/json",
                                body, std::move(extra));
        Sent out;
        EXPECT_TRUE(r) << "no answer";
        if (!r)
            return out;
        out.response = *r;
        EXPECT_EQ(r->header("content-type"), protobuf() ? "application/x-protobuf" : "application/json");
        if (r->status == 200) {
            const auto partial = protobuf() ? otlp::readProtobufResponse(r->body) : otlp::readJsonResponse(r->body);
            EXPECT_TRUE(partial) << "not an ExportTraceServiceResponse: " << r->body;
            if (partial)
                out.partial = *partial;
        }
        return out;
    }

    StoredRecord one(const otlp::Span &span)
    {
        otlp::Export e;
        e.spans = {span};
        const Sent sent = send(e);
        EXPECT_EQ(sent.response.status, 200) << sent.response.body;
        EXPECT_EQ(sent.partial.rejectedSpans, 0) << sent.partial.errorMessage;
        const auto stored = storedRecords(db);
        const auto it = stored.find(span.spanId);
        EXPECT_NE(it, stored.end()) << "span " << span.spanId << " not stored";
        return it == stored.end() ? StoredRecord() : it->second;
    }
};

std::string attributeOf(const StoredRecord &r, const char *key)
{
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(r.attributes)).object();
    const QJsonValue v = o.value(QLatin1String(key));
    return v.isString() ? v.toString().toStdString() : QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact).mid(1).chopped(1).toStdString();
}

const std::string kInputMessages =
    R"([{"role":"user","parts":[{"type":"text","content":"What is the capital of France?"}]}])";
const std::string kOutputMessages =
    R"([{"role":"assistant","parts":[{"type":"text","content":"Paris."}],"finish_reason":"stop"}])";

} // namespace

INSTANTIATE_TEST_SUITE_P(Encodings, OtlpTraces, ::testing::Values(true, false),
                         [](const auto &info) { return info.param ? std::string("Protobuf") : std::string("Json"); });

TEST_P(OtlpTraces, CurrentGenAiConvention)
{
    otlp::Span s = otlp::span("00f067aa0ba902b7", kStartMs, 812.345,
                              {{"gen_ai.operation.name", "chat"},
                               {"gen_ai.provider.name", "openai"},
                               {"gen_ai.request.model", "gpt-4o"},
                               {"gen_ai.response.model", "gpt-4o-2024-08-06"},
                               {"gen_ai.usage.input_tokens", 1234},
                               {"gen_ai.usage.output_tokens", 210},
                               {"gen_ai.conversation.id", "conv-17"},
                               {"gen_ai.system_instructions", R"([{"type":"text","content":"Be brief."}])"},
                               {"gen_ai.input.messages", kInputMessages},
                               {"gen_ai.output.messages", kOutputMessages},
                               {"gen_ai.request.temperature", 0.25}});
    s.parentSpanId = "1111111111111111";
    const StoredRecord r = one(s);
    EXPECT_EQ(r.requestId, "00f067aa0ba902b7");
    EXPECT_EQ(r.traceId, "5b8efff798038103d269b633813fc60c");
    EXPECT_EQ(r.tsMs, kStartMs);
    EXPECT_NEAR(r.latencyMs, 812.345, 1e-6);
    EXPECT_EQ(r.model, "gpt-4o-2024-08-06") << "the response model names what actually ran";
    EXPECT_EQ(r.provider, "openai");
    EXPECT_EQ(r.inputTokens, 1234);
    EXPECT_EQ(r.outputTokens, 210);
    EXPECT_EQ(r.sessionId, "conv-17");
    EXPECT_EQ(r.tenant, "default");
    EXPECT_EQ(r.outcome, "ok");
    EXPECT_EQ(r.input, R"([{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of France?"}])");
    EXPECT_EQ(r.output, "Paris.");
    ASSERT_TRUE(r.costUsd) << "computed from the price table";
    EXPECT_GT(*r.costUsd, 0);
    // Unmapped attributes and span facts are kept.
    EXPECT_EQ(attributeOf(r, "gen_ai.operation.name"), "chat");
    EXPECT_EQ(attributeOf(r, "gen_ai.request.temperature"), "0.25");
    EXPECT_EQ(attributeOf(r, "otel.span_name"), "chat");
    EXPECT_EQ(attributeOf(r, "otel.scope"), "vigil-test");
    EXPECT_EQ(attributeOf(r, "service.name"), "test-service");
    EXPECT_EQ(attributeOf(r, "otel.parent_span_id"), "1111111111111111");
    EXPECT_EQ(r.attributes.find("gen_ai.input.messages"), std::string::npos) << "content is not duplicated";
}

TEST_P(OtlpTraces, DeprecatedGenAiAttributesAndPerMessageEvents)
{
    otlp::Span s = otlp::span("00f067aa0ba902b8", kStartMs, 99.5,
                              {{"gen_ai.system", "anthropic"},
                               {"gen_ai.request.model", "claude-3-5-sonnet-20241022"},
                               {"gen_ai.usage.prompt_tokens", 40},
                               {"gen_ai.usage.completion_tokens", 8}});
    s.events = {{"gen_ai.system.message", 0, {{"content", "You are terse."}}},
                {"gen_ai.user.message", 0, {{"content", "Hi"}}},
                {"gen_ai.choice", 0,
                 {{"index", 0}, {"finish_reason", "stop"},
                  {"message", otlp::Value::kvlist({{"role", "assistant"}, {"content", "Hello."}})}}}};
    const StoredRecord r = one(s);
    EXPECT_EQ(r.model, "claude-3-5-sonnet-20241022");
    EXPECT_EQ(r.provider, "anthropic");
    EXPECT_EQ(r.inputTokens, 40);
    EXPECT_EQ(r.outputTokens, 8);
    EXPECT_EQ(r.input, R"([{"role":"system","content":"You are terse."},{"role":"user","content":"Hi"}])");
    EXPECT_EQ(r.output, "Hello.");
}

TEST_P(OtlpTraces, InferenceDetailsEvent)
{
    otlp::Span s = otlp::span("00f067aa0ba902b9", kStartMs, 1500,
                              {{"gen_ai.provider.name", "openai"}, {"gen_ai.request.model", "gpt-4o-mini"}});
    s.events = {{"gen_ai.client.inference.operation.details", static_cast<std::uint64_t>(kStartMs) * 1000000,
                 {{"gen_ai.input.messages", kInputMessages}, {"gen_ai.output.messages", kOutputMessages}}}};
    const StoredRecord r = one(s);
    EXPECT_EQ(r.input, R"([{"role":"user","content":"What is the capital of France?"}])");
    EXPECT_EQ(r.output, "Paris.");
}

TEST_P(OtlpTraces, NewestConventionWinsWhenSeveralAreSet)
{
    const StoredRecord r = one(otlp::span("00f067aa0ba902ba", kStartMs, 10,
                                          {{"gen_ai.provider.name", "azure.ai.openai"},
                                           {"gen_ai.system", "openai"},
                                           {"llm.provider", "someone"},
                                           {"gen_ai.request.model", "gpt-4o"},
                                           {"llm.model_name", "not-this"},
                                           {"gen_ai.usage.input_tokens", 5},
                                           {"gen_ai.usage.prompt_tokens", 500},
                                           {"llm.token_count.prompt", 5000},
                                           {"gen_ai.usage.output_tokens", 6},
                                           {"llm.token_count.completion", 600},
                                           {"gen_ai.prompt.name", "summarize"},
                                           {"langfuse.observation.prompt.name", "lf-name"},
                                           {"traceloop.prompt.key", "tl-key"},
                                           {"gen_ai.conversation.id", "conv"},
                                           {"session.id", "sess"},
                                           {"tenant.id", "span-tenant"}}));
    EXPECT_EQ(r.provider, "azure.ai.openai");
    EXPECT_EQ(r.model, "gpt-4o");
    EXPECT_EQ(r.inputTokens, 5);
    EXPECT_EQ(r.outputTokens, 6);
    EXPECT_EQ(r.promptName, "summarize");
    EXPECT_EQ(r.sessionId, "conv");
    EXPECT_EQ(r.tenant, "span-tenant");
}

TEST_P(OtlpTraces, OpenInferenceConvention)
{
    const StoredRecord r = one(otlp::span("00f067aa0ba902bb", kStartMs, 230.5,
                                          {{"openinference.span.kind", "LLM"},
                                           {"llm.model_name", "mistral-large-latest"},
                                           {"llm.provider", "mistralai"},
                                           {"llm.token_count.prompt", 321},
                                           {"llm.token_count.completion", 12},
                                           {"llm.prompt_template.version", "v7"},
                                           {"input.value", "Summarise this."},
                                           {"output.value", "Done."},
                                           {"session.id", "sess-9"},
                                           {"user.id", "user-4"},
                                           {"retrieval.documents.0.document.id", "d1"},
                                           {"retrieval.documents.0.document.content", "first document"},
                                           {"retrieval.documents.1.document.content", "second document"}}));
    EXPECT_EQ(r.model, "mistral-large-latest");
    EXPECT_EQ(r.provider, "mistralai");
    EXPECT_EQ(r.inputTokens, 321);
    EXPECT_EQ(r.outputTokens, 12);
    EXPECT_EQ(r.promptVersion, "v7");
    EXPECT_EQ(r.input, "\"Summarise this.\"");
    EXPECT_EQ(r.output, "Done.");
    EXPECT_EQ(r.sessionId, "sess-9");
    EXPECT_EQ(r.user, "user-4");
    EXPECT_EQ(r.retrievalHits, 2);
    EXPECT_EQ(r.retrievalContext, R"(["first document","second document"])");
    EXPECT_EQ(attributeOf(r, "openinference.span.kind"), "LLM");
}

TEST_P(OtlpTraces, OpenInferenceIndexedMessages)
{
    const StoredRecord r = one(otlp::span("00f067aa0ba902bc", kStartMs, 5,
                                          {{"llm.model_name", "gpt-4o-mini"},
                                           {"llm.input_messages.1.message.role", "user"},
                                           {"llm.input_messages.1.message.content", "second"},
                                           {"llm.input_messages.0.message.role", "system"},
                                           {"llm.input_messages.0.message.content", "first"},
                                           {"llm.output_messages.0.message.role", "assistant"},
                                           {"llm.output_messages.0.message.content", "reply"},
                                           {"input.value", "ignored: the messages are richer"}}));
    EXPECT_EQ(r.input, R"([{"role":"system","content":"first"},{"role":"user","content":"second"}])");
    EXPECT_EQ(r.output, "reply");
}

TEST_P(OtlpTraces, OpenLLMetryConvention)
{
    const StoredRecord r = one(otlp::span("00f067aa0ba902bd", kStartMs, 77,
                                          {{"gen_ai.system", "openai"},
                                           {"gen_ai.request.model", "gpt-3.5-turbo"},
                                           {"gen_ai.response.model", "gpt-3.5-turbo-0125"},
                                           {"llm.request.type", "chat"},
                                           {"gen_ai.usage.prompt_tokens", 14},
                                           {"gen_ai.usage.completion_tokens", 3},
                                           {"traceloop.prompt.key", "greeting"},
                                           {"traceloop.prompt.version", "4"},
                                           {"gen_ai.prompt.0.role", "system"},
                                           {"gen_ai.prompt.0.content", "Be nice."},
                                           {"gen_ai.prompt.1.role", "user"},
                                           {"gen_ai.prompt.1.content", "Hello"},
                                           {"gen_ai.completion.0.role", "assistant"},
                                           {"gen_ai.completion.0.content", "Hi there"}}));
    EXPECT_EQ(r.model, "gpt-3.5-turbo-0125");
    EXPECT_EQ(r.provider, "openai");
    EXPECT_EQ(r.inputTokens, 14);
    EXPECT_EQ(r.outputTokens, 3);
    EXPECT_EQ(r.promptName, "greeting");
    EXPECT_EQ(r.promptVersion, "4");
    EXPECT_EQ(r.input, R"([{"role":"system","content":"Be nice."},{"role":"user","content":"Hello"}])");
    EXPECT_EQ(r.output, "Hi there");
    EXPECT_EQ(attributeOf(r, "llm.request.type"), "chat");
    EXPECT_EQ(r.attributes.find("gen_ai.prompt.0"), std::string::npos);
}

TEST_P(OtlpTraces, LangfuseConvention)
{
    const StoredRecord r = one(otlp::span("00f067aa0ba902be", kStartMs, 640,
                                          {{"langfuse.observation.type", "generation"},
                                           {"gen_ai.request.model", "gpt-4o"},
                                           {"langfuse.observation.prompt.name", "support-answer"},
                                           {"langfuse.observation.prompt.version", 12},
                                           {"langfuse.user.id", "u-77"},
                                           {"langfuse.session.id", "s-88"},
                                           {"gen_ai.usage.input_tokens", 100},
                                           {"gen_ai.usage.output_tokens", 50},
                                           {"gen_ai.usage.cost", 0.0125},
                                           {"langfuse.observation.input", R"([{"role":"user","content":"help"}])"},
                                           {"langfuse.observation.output", "sure"}}));
    EXPECT_EQ(r.promptName, "support-answer");
    EXPECT_EQ(r.promptVersion, "12");
    EXPECT_EQ(r.user, "u-77");
    EXPECT_EQ(r.sessionId, "s-88");
    ASSERT_TRUE(r.costUsd);
    EXPECT_DOUBLE_EQ(*r.costUsd, 0.0125) << "a reported cost is kept, not recomputed";
    EXPECT_EQ(r.output, "sure");
    EXPECT_NE(r.input.find("help"), std::string::npos) << r.input;
}

TEST_P(OtlpTraces, TenantFromTheSpanThenTheResourceThenDefault)
{
    otlp::Export e;
    e.resourceAttributes.push_back({"tenant.id", "resource-tenant"});
    e.spans = {otlp::span("0000000000000a01", kStartMs, 1, {{"gen_ai.request.model", "m"}, {"tenant.id", "span-tenant"}}),
               otlp::span("0000000000000a02", kStartMs, 1, {{"gen_ai.request.model", "m"}})};
    ASSERT_EQ(send(e).response.status, 200);
    otlp::Export bare;
    bare.spans = {otlp::span("0000000000000a03", kStartMs, 1, {{"gen_ai.request.model", "m"}})};
    ASSERT_EQ(send(bare).response.status, 200);
    const auto stored = storedRecords(db);
    ASSERT_EQ(stored.size(), 3u);
    EXPECT_EQ(stored.at("0000000000000a01").tenant, "span-tenant");
    EXPECT_EQ(stored.at("0000000000000a02").tenant, "resource-tenant");
    EXPECT_EQ(stored.at("0000000000000a03").tenant, "default");
}

TEST_P(OtlpTraces, OutcomesFromStatusErrorTypeAndFinishReasons)
{
    otlp::Export e;
    otlp::Span failed = otlp::span("0000000000000b01", kStartMs, 1, {{"gen_ai.request.model", "m"}});
    failed.statusCode = 2;
    failed.statusMessage = "upstream said no";
    otlp::Span typed = otlp::span("0000000000000b02", kStartMs, 1,
                                  {{"gen_ai.request.model", "m"}, {"error.type", "rate_limit"}});
    otlp::Span timedOut = otlp::span("0000000000000b03", kStartMs, 30000, {{"gen_ai.request.model", "m"}});
    timedOut.statusCode = 2;
    timedOut.statusMessage = "Request timed out";
    otlp::Span filtered = otlp::span("0000000000000b04", kStartMs, 1,
                                     {{"gen_ai.request.model", "m"},
                                      {"gen_ai.response.finish_reasons", otlp::Value::array({"content_filter"})}});
    otlp::Span fine = otlp::span("0000000000000b05", kStartMs, 1, {{"gen_ai.request.model", "m"}});
    fine.statusCode = 1;
    e.spans = {failed, typed, timedOut, filtered, fine};
    ASSERT_EQ(send(e).response.status, 200);
    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.at("0000000000000b01").outcome, "error");
    EXPECT_EQ(stored.at("0000000000000b01").errorType, "error");
    EXPECT_EQ(attributeOf(stored.at("0000000000000b01"), "otel.status_message"), "upstream said no");
    EXPECT_EQ(stored.at("0000000000000b02").outcome, "error");
    EXPECT_EQ(stored.at("0000000000000b02").errorType, "rate_limit");
    EXPECT_EQ(stored.at("0000000000000b03").outcome, "timeout");
    EXPECT_EQ(stored.at("0000000000000b04").outcome, "refused");
    EXPECT_EQ(stored.at("0000000000000b04").errorType, "content_filter");
    EXPECT_EQ(stored.at("0000000000000b05").outcome, "ok");
}

TEST_P(OtlpTraces, NonLlmSpansAreSkippedNotRejected)
{
    otlp::Export e;
    e.spans = {otlp::span("0000000000000c01", kStartMs, 3, {{"db.system", "postgresql"}}),
               otlp::span("0000000000000c02", kStartMs, 900, {{"gen_ai.request.model", "gpt-4o"}}),
               otlp::span("0000000000000c03", kStartMs, 3, {{"http.route", "/checkout"}})};
    const Sent sent = send(e);
    EXPECT_EQ(sent.response.status, 200);
    EXPECT_EQ(sent.partial.rejectedSpans, 0);
    EXPECT_TRUE(sent.partial.errorMessage.empty());
    const auto stored = storedRecords(db);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_TRUE(stored.count("0000000000000c02"));

    // Nothing but non-LLM spans: a plain success, nothing stored or quarantined.
    otlp::Export none;
    none.spans = {otlp::span("0000000000000c04", kStartMs, 3, {{"db.system", "redis"}})};
    const Sent empty = send(none);
    EXPECT_EQ(empty.response.status, 200);
    EXPECT_EQ(empty.response.body, protobuf() ? "" : "{}");
    EXPECT_EQ(StoreProbe(db).requestCount(), 1);
    EXPECT_TRUE(StoreProbe(db).quarantine().empty());
}

TEST_P(OtlpTraces, PartialSuccessNamesTheRejectedSpans)
{
    otlp::Export e;
    otlp::Span noId = otlp::span("0000000000000000", kStartMs, 1, {{"gen_ai.request.model", "m"}});
    noId.name = "anonymous-call";
    otlp::Span noStart = otlp::span("0000000000000d02", 0, 1, {{"gen_ai.request.model", "m"}});
    noStart.startTimeUnixNano = 0;
    otlp::Span backwards = otlp::span("0000000000000d03", kStartMs, 1, {{"gen_ai.request.model", "m"}});
    backwards.endTimeUnixNano = backwards.startTimeUnixNano - 1;
    e.spans = {otlp::span("0000000000000d01", kStartMs, 1, {{"gen_ai.request.model", "m"}}), noId, noStart, backwards,
               otlp::span("0000000000000d05", kStartMs, 2, {{"gen_ai.request.model", "m"}})};
    const Sent sent = send(e);
    ASSERT_EQ(sent.response.status, 200) << sent.response.body;
    EXPECT_EQ(sent.partial.rejectedSpans, 3);
    EXPECT_NE(sent.partial.errorMessage.find("anonymous-call"), std::string::npos) << sent.partial.errorMessage;
    EXPECT_NE(sent.partial.errorMessage.find("0000000000000d02 has no start time"), std::string::npos)
        << sent.partial.errorMessage;
    EXPECT_NE(sent.partial.errorMessage.find("0000000000000d03 ends before it starts"), std::string::npos)
        << sent.partial.errorMessage;

    const auto stored = storedRecords(db);
    EXPECT_EQ(stored.size(), 2u);
    EXPECT_TRUE(stored.count("0000000000000d01") && stored.count("0000000000000d05"));
    const auto quarantine = StoreProbe(db).quarantine();
    ASSERT_EQ(quarantine.size(), 3u);
    for (const auto &q : quarantine)
        EXPECT_EQ(q.source, "POST /v1/traces from 127.0.0.1");
    EXPECT_EQ(quarantine[1].raw, "span 0000000000000d02");
    EXPECT_EQ(quarantine[2].reason, "invalid_value");
}

TEST_P(OtlpTraces, AllSpansRejectedIsStillAnExportResponse)
{
    otlp::Export e;
    otlp::Span bad = otlp::span("0000000000000e01", kStartMs, 1, {{"gen_ai.request.model", "m"}});
    bad.startTimeUnixNano = 0;
    e.spans = {bad};
    const Sent sent = send(e);
    EXPECT_EQ(sent.response.status, 200);
    EXPECT_EQ(sent.partial.rejectedSpans, 1);
    EXPECT_FALSE(sent.partial.errorMessage.empty());
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
}

TEST_P(OtlpTraces, RetriedExportIsStoredOnce)
{
    otlp::Export e;
    for (int i = 0; i < 20; ++i) {
        char id[17];
        std::snprintf(id, sizeof id, "%016x", 0xf000 + i);
        e.spans.push_back(otlp::span(id, kStartMs + i, 10 + i, {{"gen_ai.request.model", "gpt-4o-mini"}}));
    }
    ASSERT_EQ(send(e).response.status, 200);
    ASSERT_EQ(send(e).response.status, 200);
    StoreProbe probe(db);
    EXPECT_EQ(probe.requestCount(), 20);
    EXPECT_TRUE(probe.rollupMismatches().empty()) << describeProblems(probe.rollupMismatches());
}

TEST_P(OtlpTraces, GzipExport)
{
    otlp::Export e;
    e.spans = {otlp::span("0000000000000f01", kStartMs, 123.25, {{"gen_ai.request.model", "gpt-4o"}})};
    const std::string body = protobuf() ? otlp::toProtobuf(e) : otlp::toJson(e);
    const auto r = httpPost(server.port(), "/v1/traces", protobuf() ? "application/x-protobuf" : "application/json",
                            gzipBytes(body), {{"Content-Encoding", "gzip"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_NEAR(storedRecords(db).at("0000000000000f01").latencyMs, 123.25, 1e-9);
}

TEST_P(OtlpTraces, MalformedExportIs400WithAStatus)
{
    const std::string garbage = protobuf() ? std::string("\x0a\xff\xff\xff\x0f\x01", 6) : std::string("{\"resourceSpans\": [");
    const auto r = httpPost(server.port(), "/v1/traces", protobuf() ? "application/x-protobuf" : "application/json", garbage);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    if (protobuf()) {
        // google.rpc.Status { int32 code = 1; string message = 2; }: code 3 = INVALID_ARGUMENT.
        ASSERT_GE(r->body.size(), 2u);
        EXPECT_EQ(r->body.substr(0, 2), std::string("\x08\x03", 2));
        EXPECT_NE(r->body.find("malformed protobuf"), std::string::npos);
    } else {
        const QJsonObject status = QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
        EXPECT_EQ(status.value(QStringLiteral("code")).toInt(), 3) << r->body;
        EXPECT_TRUE(status.value(QStringLiteral("message")).toString().startsWith(QStringLiteral("invalid JSON")))
            << r->body;
    }
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
}

TEST(OtlpTracesContentType, OtherTypesAre415)
{
    TempDir dir;
    InProcessServer server(dir.path("store.db"));
    for (const char *type : {"application/x-ndjson", "text/plain", ""}) {
        const auto r = httpPost(server.port(), "/v1/traces", type, "{}");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 415) << type;
    }
    const auto withCharset = httpPost(server.port(), "/v1/traces", "application/json; charset=utf-8", "{}");
    ASSERT_TRUE(withCharset);
    EXPECT_EQ(withCharset->status, 200);
}
