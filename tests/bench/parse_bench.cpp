// Parse-only throughput: the production simdjson RecordParser against the
// QJsonDocument baseline, on the same lines held in memory.
// Usage: vigil_parse_bench FILE [--lines N]
#include "qjson_record_parser.h"

#include "record/price_table.h"
#include "record/record_parser.h"

#include <QCoreApplication>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: vigil_parse_bench FILE [max-lines]\n");
        return 2;
    }
    const std::size_t maxLines = argc > 2 ? std::stoul(argv[2]) : 200000;
    std::ifstream in(argv[1]);
    std::vector<std::string> lines;
    std::string line;
    std::size_t bytes = 0;
    while (lines.size() < maxLines && std::getline(in, line)) {
        bytes += line.size() + 1;
        line.reserve(line.size() + vigil::kParsePadding);
        lines.push_back(line);
    }
    using Clock = std::chrono::steady_clock;
    auto measure = [&](auto &&parse) {
        std::size_t ok = 0;
        const auto t0 = Clock::now();
        for (const auto &l : lines)
            ok += parse(l);
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        return std::make_pair(ok, s);
    };
    vigil::RecordParser parser(&vigil::PriceTable::builtin());
    vigil::Record record;
    vigil::ParseError error;
    // Warm up, then measure each twice and keep the better run.
    measure([&](const std::string &l) { return parser.parseText(l, record, error); });
    double simd = 1e9, qjson = 1e9;
    std::size_t okSimd = 0, okQjson = 0;
    for (int i = 0; i < 2; ++i) {
        auto [a, s] = measure([&](const std::string &l) { return parser.parseLine(l, record, error); });
        okSimd = a;
        simd = std::min(simd, s);
        auto [b, q] = measure([&](const std::string &l) { return vigil::bench::parseWithQJson(l, record); });
        okQjson = b;
        qjson = std::min(qjson, q);
    }
    const double n = static_cast<double>(lines.size());
    std::printf("{\"lines\":%zu,\"bytes\":%zu,\"simdjson_records_per_s\":%.0f,\"simdjson_mb_per_s\":%.1f,"
                "\"qjson_records_per_s\":%.0f,\"qjson_mb_per_s\":%.1f,\"ratio\":%.2f,\"parsed_simdjson\":%zu,"
                "\"parsed_qjson\":%zu}\n",
                lines.size(), bytes, n / simd, static_cast<double>(bytes) / simd / 1e6, n / qjson,
                static_cast<double>(bytes) / qjson / 1e6, qjson / simd, okSimd, okQjson);
    return 0;
}
