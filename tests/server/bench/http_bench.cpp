// HTTP ingest benchmark: `vigilctl serve` as a child process on a fresh store,
// driven by keep-alive clients over 127.0.0.1 posting NDJSON batches of
// unique records.
//
//   1. throughput: C clients post back to back for S seconds -> records/s
//   2. latency: the same clients post at half that rate on a fixed schedule
//      (open loop; a late answer delays the next send, and the delay is
//      counted, so queueing is not hidden) -> p50/p99/max response time
//
//   vigil_http_bench [--batch 100,1000] [--clients 4] [--seconds 20]
//                    [--payload BYTES] [--keep DIR]
//
// The vigilctl it starts is the one built beside it.
//
// Prints a table and one JSON line per batch size. Not a CTest test: the
// figures go to docs/PERFORMANCE.md with the command and the machine.
#include "raw_http.h"
#include "serve_process.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace vigil::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kIdDigits = 12;
constexpr int kTsDigits = 13; // epoch milliseconds until the year 2286

// One request body whose request ids can be renumbered in place: each record
// holds a fixed-width run of digits at a known offset.
class BatchTemplate
{
public:
    BatchTemplate(int records, int payloadBytes)
    {
        static const char *const models[] = {"gpt-4o-mini-2024-07-18", "claude-3-5-sonnet-20241022", "gpt-4o",
                                              "llama-3.1-70b-instruct"};
        static const char *const tenants[] = {"acme", "globex", "initech", "umbrella", "hooli"};
        const std::string payload(static_cast<std::size_t>(payloadBytes), 'o');
        for (int i = 0; i < records; ++i) {
            char line[1024];
            const int n = std::snprintf(
                line, sizeof line,
                R"({"ts":%s,"request_id":"bench-%s","tenant":"%s","model":"%s","provider":"openai",)"
                R"("prompt_name":"summarize","prompt_version":"3f9c2ab","latency_ms":%.1f,"input_tokens":%d,)"
                R"("output_tokens":%d,"outcome":"%s")",
                std::string(kTsDigits, '0').c_str(), std::string(kIdDigits, '0').c_str(), tenants[i % 5], models[i % 4],
                50.0 + (i * 7919) % 3000, 200 + i % 900, 20 + i % 300, i % 50 == 7 ? "error" : "ok");
            std::string record(line, static_cast<std::size_t>(n));
            m_idOffsets.push_back(m_body.size() + record.find("bench-") + 6);
            m_tsOffsets.push_back(m_body.size() + record.find("\"ts\":") + 5);
            if (payloadBytes)
                record += R"(,"output":")" + payload + '"';
            m_body += record + "}\n";
        }
    }

    // The body with ids first, first+1, ... and timestamps ending at `nowMs`,
    // one millisecond apart: a live exporter sends calls that just finished,
    // so the store sees them in time order, as it does in production.
    const std::string &number(std::int64_t first, std::int64_t nowMs)
    {
        char digits[32];
        const auto n = static_cast<std::int64_t>(m_idOffsets.size());
        for (std::int64_t i = 0; i < n; ++i) {
            std::snprintf(digits, sizeof digits, "%0*lld", kIdDigits, static_cast<long long>(first + i));
            std::memcpy(m_body.data() + m_idOffsets[i], digits, kIdDigits);
            std::snprintf(digits, sizeof digits, "%0*lld", kTsDigits, static_cast<long long>(nowMs - n + i));
            std::memcpy(m_body.data() + m_tsOffsets[i], digits, kTsDigits);
        }
        return m_body;
    }
    std::size_t records() const { return m_idOffsets.size(); }
    std::size_t bytes() const { return m_body.size(); }

private:
    std::string m_body;
    std::vector<std::size_t> m_idOffsets;
    std::vector<std::size_t> m_tsOffsets;
};

struct Totals
{
    std::int64_t requests = 0;
    std::int64_t records = 0;
    std::int64_t failures = 0;
    std::vector<double> latenciesMs;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(rank, 1) - 1];
}

double cpuSeconds(qint64 pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14 || i == 15)
            ticks += std::stod(field);
        if (i == 15)
            break;
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// C clients, each on one keep-alive connection, for `seconds`. With
// `requestsPerSecond` > 0 each client sends on a fixed schedule.
Totals drive(std::uint16_t port, int clients, double seconds, int records, int payload, double requestsPerSecond,
             std::atomic<std::int64_t> &nextId)
{
    Totals totals;
    std::mutex mutex;
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&, c] {
            BatchTemplate batch(records, payload);
            Totals mine;
            auto connection = std::make_unique<RawConnection>(port);
            const double interval = requestsPerSecond > 0 ? clients / requestsPerSecond : 0;
            auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval * c / clients));
            while (true) {
                if (interval > 0) {
                    if (due >= end)
                        break;
                    std::this_thread::sleep_until(due);
                } else if (Clock::now() >= end) {
                    break;
                }
                const auto sent = interval > 0 ? due : Clock::now();
                const std::int64_t first = nextId.fetch_add(static_cast<std::int64_t>(records));
                const std::string &body = batch.number(first, QDateTime::currentMSecsSinceEpoch());
                bool ok = connection->connected() &&
                          connection->send(requestBytes("POST", "/v1/requests",
                                                        {{"Content-Type", "application/x-ndjson"}}, body));
                const auto response = ok ? connection->read(120000) : std::nullopt;
                ok = response && response->status == 200;
                const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
                ++mine.requests;
                if (ok) {
                    mine.records += records;
                    mine.latenciesMs.push_back(ms);
                } else {
                    ++mine.failures;
                    connection = std::make_unique<RawConnection>(port);
                }
                if (response && response->closesConnection())
                    connection = std::make_unique<RawConnection>(port);
                due += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval));
            }
            std::lock_guard lock(mutex);
            totals.requests += mine.requests;
            totals.records += mine.records;
            totals.failures += mine.failures;
            totals.latenciesMs.insert(totals.latenciesMs.end(), mine.latenciesMs.begin(), mine.latenciesMs.end());
        });
    }
    for (std::thread &t : threads)
        t.join();
    return totals;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("HTTP ingest benchmark for vigilctl serve"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("batch"), QStringLiteral("Records per request, comma-separated (100,1000)."), QStringLiteral("n"), QStringLiteral("100,1000")});
    parser.addOption({QStringLiteral("clients"), QStringLiteral("Concurrent keep-alive clients (4)."), QStringLiteral("n"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Length of each phase (20)."), QStringLiteral("s"), QStringLiteral("20")});
    parser.addOption({QStringLiteral("payload"), QStringLiteral("Bytes of output text per record (0)."), QStringLiteral("bytes"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("keep"), QStringLiteral("Put the stores in DIR and keep them."), QStringLiteral("dir")});
    parser.process(app);
    const int clients = parser.value(QStringLiteral("clients")).toInt();
    const double seconds = parser.value(QStringLiteral("seconds")).toDouble();
    const int payload = parser.value(QStringLiteral("payload")).toInt();

    QTemporaryDir temp;
    const QString folder = parser.isSet(QStringLiteral("keep")) ? parser.value(QStringLiteral("keep")) : temp.path();
    std::printf("%-8s %-6s %12s %10s %10s %10s %10s %12s %9s\n", "records", "phase", "records/s", "req/s", "p50 ms", "p99 ms",
                "max ms", "server cpu", "failures");
    for (const QString &b : parser.value(QStringLiteral("batch")).split(QLatin1Char(','))) {
        const int records = b.toInt();
        const std::string db = QString(folder + QStringLiteral("/bench-%1.db").arg(records)).toStdString();
        ServeProcess serve({QStringLiteral("--db"), QString::fromStdString(db), QStringLiteral("--listen"),
                            QStringLiteral("127.0.0.1:0"), QStringLiteral("--quiet")},
                           QString(folder + QStringLiteral("/serve-%1.log").arg(records)).toStdString());
        if (!serve.waitUntilListening()) {
            std::fprintf(stderr, "vigilctl serve did not start:\n%s\n", serve.log().c_str());
            return 3;
        }
        std::atomic<std::int64_t> nextId{0};
        drive(serve.port(), clients, std::min(3.0, seconds), records, payload, 0, nextId); // warm-up

        double cpu = cpuSeconds(serve.pid());
        const Totals full = drive(serve.port(), clients, seconds, records, payload, 0, nextId);
        const double fullCpu = cpuSeconds(serve.pid()) - cpu;
        const double rate = static_cast<double>(full.records) / seconds;
        auto row = [&](const char *phase, const Totals &t, double serverCpu) {
            std::printf("%-8d %-6s %12.0f %10.1f %10.2f %10.2f %10.2f %10.2f s %9lld\n", records, phase,
                        static_cast<double>(t.records) / seconds, static_cast<double>(t.requests) / seconds,
                        percentile(t.latenciesMs, 50), percentile(t.latenciesMs, 99), percentile(t.latenciesMs, 100),
                        serverCpu, static_cast<long long>(t.failures));
            std::fflush(stdout);
        };
        row("max", full, fullCpu);

        const double halfRequestsPerSecond = rate / 2 / records;
        cpu = cpuSeconds(serve.pid());
        const Totals half = drive(serve.port(), clients, seconds, records, payload, halfRequestsPerSecond, nextId);
        const double halfCpu = cpuSeconds(serve.pid()) - cpu;
        row("half", half, halfCpu);
        std::printf("{\"records_per_request\":%d,\"clients\":%d,\"seconds\":%.0f,\"body_bytes\":%zu,"
                    "\"max_records_per_s\":%.0f,\"max_p50_ms\":%.2f,\"max_p99_ms\":%.2f,"
                    "\"half_records_per_s\":%.0f,\"half_p50_ms\":%.2f,\"half_p99_ms\":%.2f,\"half_max_ms\":%.2f,"
                    "\"server_cpu_s_per_million\":%.2f,\"failures\":%lld}\n",
                    records, clients, seconds, BatchTemplate(records, payload).bytes(), rate,
                    percentile(full.latenciesMs, 50), percentile(full.latenciesMs, 99),
                    static_cast<double>(half.records) / seconds, percentile(half.latenciesMs, 50),
                    percentile(half.latenciesMs, 99), percentile(half.latenciesMs, 100),
                    fullCpu / (static_cast<double>(full.records) / 1e6),
                    static_cast<long long>(full.failures + half.failures));
        serve.sendSignal(SIGTERM);
        serve.waitForExit(120000);
    }
    return 0;
}
