// What one request may cost the server: bodies that are small on the wire but
// expensive to hold (a gzip bomb, millions of bad lines, millions of empty
// OTLP elements) and a client that pipelines without end while its request
// waits. Each runs against `vigilctl serve` as a child process, whose peak
// memory (VmHWM) is read from /proc; the bounds are loose, what they catch is
// growth with the input (gigabytes), not megabytes.
#include "otlp_builder.h"
#include "raw_http.h"
#include "serve_process.h"
#include "store_probe.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <zlib.h>

#include <atomic>
#include <csignal>
#include <thread>

using namespace vigil::test;
namespace otlp = vigil::test::otlp;

namespace {

constexpr std::int64_t kMiB = 1 << 20;

// A gzip member that inflates to `megabytes` MiB of zeros, built without
// compressing them all: after a full flush deflate starts afresh, so the
// compressed form of each further MiB of zeros is the same bytes.
std::string gzipOfZeros(std::uint32_t megabytes)
{
    const std::string zeros(1 << 20, '\0');
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
    auto run = [&](const std::string &in, int flush) {
        std::string out(in.size() / 100 + 1024, '\0');
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
        z.avail_in = static_cast<uInt>(in.size());
        z.next_out = reinterpret_cast<Bytef *>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        deflate(&z, flush);
        out.resize(out.size() - z.avail_out);
        return out;
    };
    const std::string block = run(zeros, Z_FULL_FLUSH);
    const std::string tail = run(std::string(), Z_FINISH);
    deflateEnd(&z);
    uLong crc = crc32(0, nullptr, 0);
    const uLong crcOfOne = crc32(0, reinterpret_cast<const Bytef *>(zeros.data()), static_cast<uInt>(zeros.size()));
    std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03", 10);
    out.reserve(10 + block.size() * megabytes + tail.size() + 8);
    for (std::uint32_t i = 0; i < megabytes; ++i) {
        out += block;
        crc = crc32_combine(crc, crcOfOne, static_cast<z_off_t>(zeros.size()));
    }
    out += tail;
    const auto size = static_cast<std::uint32_t>((static_cast<std::uint64_t>(megabytes) << 20) & 0xFFFFFFFFu);
    for (const std::uint32_t v : {static_cast<std::uint32_t>(crc), size})
        for (int i = 0; i < 4; ++i)
            out += static_cast<char>((v >> (8 * i)) & 0xFF);
    return out;
}

std::uint64_t inflatedSize(const std::string &gzip)
{
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(gzip.data()));
    z.avail_in = static_cast<uInt>(gzip.size());
    std::string out(1 << 20, '\0');
    std::uint64_t total = 0;
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef *>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        rc = inflate(&z, Z_NO_FLUSH);
        total += out.size() - z.avail_out;
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END ? total : 0;
}

std::string lengthDelimited(int field, const std::string &data)
{
    std::string out(1, static_cast<char>((field << 3) | 2));
    std::size_t n = data.size();
    while (n >= 0x80) {
        out += static_cast<char>((n & 0x7F) | 0x80);
        n >>= 7;
    }
    out += static_cast<char>(n);
    return out + data;
}

class ResourceLimits : public ::testing::Test
{
protected:
    TempDir dir;
    std::string db = dir.path("store.db");
    std::unique_ptr<ServeProcess> serve;
    std::int64_t baseline = 0;

    void start(QStringList extra = {})
    {
        serve = std::make_unique<ServeProcess>(QStringList{QStringLiteral("--db"), QString::fromStdString(db),
                                                           QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                                           QStringLiteral("--quiet")} +
                                                   extra,
                                               dir.path("serve.log"));
        ASSERT_TRUE(serve->waitUntilListening()) << serve->log();
        ASSERT_EQ(httpRequest(serve->port(), "GET", "/healthz")->status, 200);
        baseline = serve->peakMemoryBytes();
    }

    std::int64_t growthMiB() const { return (serve->peakMemoryBytes() - baseline) / kMiB; }

    void expectStillServing()
    {
        const auto health = httpRequest(serve->port(), "GET", "/healthz");
        ASSERT_TRUE(health) << serve->log();
        EXPECT_EQ(health->status, 200);
    }
};

} // namespace

TEST_F(ResourceLimits, GzipBombIsRefusedWithoutInflatingIt)
{
    start(); // default limit: 64 MiB after decompression
    const std::string bomb = gzipOfZeros(2048); // 2 GiB of zeros in ~2 MB
    ASSERT_LT(bomb.size(), 8u << 20);
    ASSERT_EQ(inflatedSize(gzipOfZeros(3)), 3u << 20) << "the bomb is a valid gzip stream";

    RawConnection c(serve->port());
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests",
                                    {{"Content-Type", "application/x-ndjson"}, {"Content-Encoding", "gzip"},
                                     {"Content-Length", std::to_string(bomb.size())}})));
    std::thread sender([&] { c.send(bomb); });
    const auto r = c.read(120000); // generous for a loaded machine; it takes well under a second
    c.close();
    sender.join();
    ASSERT_TRUE(r) << "no answer to the bomb";
    EXPECT_EQ(r->status, 413) << r->body;
    EXPECT_NE(r->body.find("decompressed"), std::string::npos) << r->body;
    // Inflating it whole would take 2 GiB; the limit stops it at 64 MiB.
    EXPECT_LT(growthMiB(), 400);
    EXPECT_EQ(StoreProbe(db).requestCount(), 0);
    expectStillServing();
}

TEST_F(ResourceLimits, MillionsOfBadLinesKeepTheQuarantineAndMemoryBounded)
{
    start();
    std::string body = recordLine("good-before") + "\n";
    for (int i = 0; i < 1'000'000; ++i)
        body += "x\n";
    body += recordLine("good-after") + "\n";
    const auto r = httpPost(serve->port(), "/v1/requests", "application/x-ndjson", body);
    ASSERT_TRUE(r) << serve->log();
    EXPECT_EQ(r->status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).object();
    EXPECT_EQ(answer.value(QStringLiteral("accepted")).toInteger(), 2);
    EXPECT_EQ(answer.value(QStringLiteral("rejected")).toInteger(), 1'000'000) << "every bad line is counted";
    EXPECT_EQ(answer.value(QStringLiteral("errors")).toArray().size(), 100);

    // Every bad line counted, the first ones kept with their text, the rest
    // summarised in one entry, not a million rows.
    const auto quarantine = StoreProbe(db).quarantine();
    ASSERT_GT(quarantine.size(), 100u);
    EXPECT_LE(quarantine.size(), 1001u);
    EXPECT_EQ(quarantine.front().raw, "x");
    EXPECT_EQ(quarantine.back().reason, "too_many_errors");
    EXPECT_NE(quarantine.back().detail.find(std::to_string(1'000'000 - (quarantine.size() - 1))), std::string::npos)
        << quarantine.back().detail;
    EXPECT_EQ(StoreProbe(db).requestCount(), 2);
    EXPECT_LT(growthMiB(), 300);

    // The metrics still count every rejected line.
    const auto metrics = httpRequest(serve->port(), "GET", "/metrics");
    ASSERT_TRUE(metrics);
    EXPECT_NE(metrics->body.find("vigil_records_rejected_total{reason=\"invalid_json\"} 1000000\n"), std::string::npos)
        << metrics->body;
    expectStillServing();
}

TEST_F(ResourceLimits, OtlpExportOfMillionsOfEmptyElementsIs413)
{
    start();
    // 6 million empty spans: 12 MB of protobuf that would decode into
    // gigabytes of span values.
    std::string spans;
    spans.reserve(12'000'000);
    for (int i = 0; i < 6'000'000; ++i)
        spans += std::string("\x12\x00", 2);
    const std::string protobuf = lengthDelimited(1, lengthDelimited(2, spans));
    const auto r = httpPost(serve->port(), "/v1/traces", "application/x-protobuf", protobuf);
    ASSERT_TRUE(r) << serve->log();
    EXPECT_EQ(r->status, 413);
    EXPECT_NE(r->body.find("smaller"), std::string::npos) << r->body;

    // One span with millions of empty attributes, in JSON.
    std::string attributes;
    for (int i = 0; i < 2'000'000; ++i)
        attributes += i ? R"(,{"key":"k"})" : R"({"key":"k"})";
    const std::string json =
        R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"0000000000000001","attributes":[)" + attributes + "]}]}]}]}";
    const auto j = httpPost(serve->port(), "/v1/traces", "application/json", json);
    ASSERT_TRUE(j) << serve->log();
    EXPECT_EQ(j->status, 413) << j->body.substr(0, 200);
    EXPECT_LT(growthMiB(), 1024);
    expectStillServing();
}

TEST_F(ResourceLimits, ManyRejectedSpansKeepTheQuarantineBounded)
{
    start();
    // 50,000 LLM spans without a start time: each is rejected.
    std::string model = lengthDelimited(1, "gen_ai.request.model") + lengthDelimited(2, lengthDelimited(1, "gpt-4o"));
    std::string spans;
    for (int i = 0; i < 50'000; ++i) {
        std::string id(8, '\0');
        for (int b = 0; b < 4; ++b)
            id[static_cast<std::size_t>(4 + b)] = static_cast<char>((i + 1) >> (8 * (3 - b)));
        spans += lengthDelimited(2, lengthDelimited(2, id) + lengthDelimited(9, model));
    }
    const auto r = httpPost(serve->port(), "/v1/traces", "application/x-protobuf",
                            lengthDelimited(1, lengthDelimited(2, spans)));
    ASSERT_TRUE(r) << serve->log();
    ASSERT_EQ(r->status, 200);
    const auto partial = otlp::readProtobufResponse(r->body);
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->rejectedSpans, 50'000);
    const auto quarantine = StoreProbe(db).quarantine();
    EXPECT_LE(quarantine.size(), 1001u);
    EXPECT_EQ(quarantine.back().reason, "too_many_errors");
}

TEST_F(ResourceLimits, EndlessPipeliningIsHeldBackWhileARequestWaits)
{
    start();
    // The first request waits for the store (locked by another process);
    // meanwhile the client keeps sending. The server must leave those bytes
    // in the socket (TCP flow control stops the client) rather than read
    // them all into memory.
    auto holder = std::make_unique<StoreProbe>(db);
    holder->database().exec("BEGIN IMMEDIATE");
    RawConnection c(serve->port());
    ASSERT_TRUE(c.send(requestBytes("POST", "/v1/requests", {{"Content-Type", "application/x-ndjson"}},
                                    recordLine("waits") + "\n")));
    std::atomic<std::int64_t> sent{0};
    std::atomic<bool> stop{false};
    const std::string flood = requestBytes("GET", "/healthz") + std::string(1 << 20, ' ');
    std::thread sender([&] {
        while (!stop && sent < (1ll << 30) && c.send(flood))
            sent += static_cast<std::int64_t>(flood.size());
    });
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const std::int64_t sentWhileWaiting = sent;
    const std::int64_t growth = growthMiB();
    stop = true;
    holder->database().exec("ROLLBACK");
    holder.reset();
    const auto first = c.read(60000);
    c.close();
    sender.join();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_LT(sentWhileWaiting, 256 * kMiB) << "the server kept reading while the request waited";
    EXPECT_LT(growth, 128) << "MiB";
    expectStillServing();
}
