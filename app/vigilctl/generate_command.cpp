// vigilctl generate: deterministic, realistic request logs for demos, tests and benchmarks.
#include "cli.h"
#include "commands.h"
#include "query_options.h"

#include "demo/log_generator.h"

#include <cstdio>
#include <zlib.h>

namespace vigil::cli {

int runGenerate(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Write deterministic request logs (the same options give the same bytes):\n"
        "skewed tenants, five models, prompt versions, lognormal latencies, 1-3 KB of\n"
        "input, output and retrieval text per record, optionally malformed lines and\n"
        "the demo incident in the window's last 40 minutes."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file (\"-\" for stdout)."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("records"), QStringLiteral("How many lines (default 100000)."), QStringLiteral("n"), QStringLiteral("100000")});
    addWindowOptions(parser, QStringLiteral("24h"));
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 42)."), QStringLiteral("n"), QStringLiteral("42")});
    parser.addOption({QStringLiteral("malformed"), QStringLiteral("Share of malformed lines, 0..1 (default 0)."), QStringLiteral("share"), QStringLiteral("0")});
    parser.addOption({QStringLiteral("payload"), QStringLiteral("Payload bytes per record, MIN-MAX (default 1000-3000)."), QStringLiteral("range"), QStringLiteral("1000-3000")});
    parser.addOption({QStringLiteral("incident"), QStringLiteral("Put the demo incident in the last 40 minutes.")});
    parser.addOption({QStringLiteral("gzip"), QStringLiteral("Write gzip.")});
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    if (!parser.isSet(QStringLiteral("out"))) {
        err() << "vigilctl generate: --out is required\n\n" << parser.helpText();
        return BadUsage;
    }
    GeneratorOptions options;
    std::int64_t now = 0;
    TimeWindow window;
    if (auto problem = readWindow(parser, QStringLiteral("24h"), window, now)) {
        err() << "vigilctl generate: " << *problem << "\n\n" << parser.helpText();
        return BadUsage;
    }
    options.startMs = window.fromMs;
    options.endMs = window.toMs;
    bool ok1 = false, ok2 = false, ok3 = false;
    options.records = parser.value(QStringLiteral("records")).toULongLong(&ok1);
    options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok2);
    options.malformedShare = parser.value(QStringLiteral("malformed")).toDouble(&ok3);
    const QStringList payload = parser.value(QStringLiteral("payload")).split(QLatin1Char('-'));
    bool ok4 = payload.size() == 2, ok5 = ok4;
    if (ok4) {
        options.minPayloadBytes = payload[0].toULongLong(&ok4);
        options.maxPayloadBytes = payload[1].toULongLong(&ok5);
    }
    if (!ok1 || !ok2 || !ok3 || !ok4 || !ok5 || options.malformedShare < 0 ||
        options.malformedShare > 1 || options.minPayloadBytes > options.maxPayloadBytes) {
        err() << "vigilctl generate: --records, --seed, --malformed (0..1) or --payload (MIN-MAX) is not valid\n";
        return BadUsage;
    }
    if (parser.isSet(QStringLiteral("incident")))
        options.incidentEndMs = options.endMs;

    const QString outPath = parser.value(QStringLiteral("out"));
    const bool gzip = parser.isSet(QStringLiteral("gzip"));
    FILE *plain = nullptr;
    gzFile compressed = nullptr;
    if (gzip) {
        compressed = outPath == QStringLiteral("-") ? gzdopen(1, "wb6") : gzopen(outPath.toLocal8Bit().constData(), "wb6");
    } else {
        plain = outPath == QStringLiteral("-") ? stdout : std::fopen(outPath.toLocal8Bit().constData(), "wb");
    }
    if (!plain && !compressed) {
        err() << "vigilctl generate: cannot write " << outPath << '\n';
        return RuntimeFailure;
    }
    LogGenerator generator(options);
    std::string line;
    bool writeOk = true;
    while (writeOk && generator.next(line)) {
        line += '\n';
        if (gzip)
            writeOk = gzwrite(compressed, line.data(), static_cast<unsigned>(line.size())) ==
                      static_cast<int>(line.size());
        else
            writeOk = std::fwrite(line.data(), 1, line.size(), plain) == line.size();
    }
    if (gzip)
        writeOk = gzclose(compressed) == Z_OK && writeOk;
    else if (plain != stdout)
        writeOk = std::fclose(plain) == 0 && writeOk;
    else
        writeOk = std::fflush(stdout) == 0 && writeOk;
    if (!writeOk) {
        err() << "vigilctl generate: writing " << outPath << " failed (disk full?)\n";
        return RuntimeFailure;
    }
    if (outPath != QStringLiteral("-"))
        err() << "Wrote " << formatCount(static_cast<long long>(generator.produced())) << " lines ("
              << formatCount(static_cast<long long>(generator.malformedProduced())) << " malformed) to "
              << outPath << '\n';
    return Ok;
}

} // namespace vigil::cli
