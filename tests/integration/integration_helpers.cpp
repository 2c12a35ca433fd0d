#include "integration_helpers.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace vigil::test {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

IngestRun ingestFiles(const std::string &db, const std::vector<std::string> &files,
                      const QStringList &extra)
{
    QStringList args{QStringLiteral("ingest"), QStringLiteral("--db"), q(db), QStringLiteral("--json")};
    args += extra;
    for (const auto &f : files)
        args << q(f);
    IngestRun run;
    run.process = runVigilctl(args);
    if (!run.process.out.empty())
        run.summary = parseJsonObject(run.process.out);
    return run;
}

QJsonObject vigilctlJson(const QStringList &args)
{
    QStringList all = args;
    all << QStringLiteral("--json");
    const ProcessResult r = runVigilctl(all);
    EXPECT_EQ(r.exitCode, 0) << "vigilctl " << all.join(QLatin1Char(' ')).toStdString() << "\n" << r.err;
    EXPECT_FALSE(r.crashed);
    return parseJsonObject(r.out);
}

std::string gzipMember(const std::string &data)
{
    z_stream stream{};
    // 15 + 16: a gzip header and trailer around the deflate stream.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        ADD_FAILURE() << "deflateInit2 failed";
        return {};
    }
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 64, '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    EXPECT_EQ(rc, Z_STREAM_END);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

std::string recordLineWithInput(const std::string &requestId, std::size_t inputBytes)
{
    const std::string head = recordLine(requestId);
    // recordLine ends with '}': put the input text in before it.
    return head.substr(0, head.size() - 1) + ",\"input\":\"" + std::string(inputBytes, 'x') + "\"}";
}

} // namespace vigil::test
