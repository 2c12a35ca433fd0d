// HTTPS: a self-signed certificate made with the openssl CLI, the serve
// stack on TLS (in process, and `vigilctl serve` with the certificate in
// vigil.toml), curl as the TLS 1.2+ client.
#include "serve_process.h"
#include "store_probe.h"
#include "test_server.h"
#include "test_support.h"

#include "server/http_server.h"

#include <QProcess>

#include <gtest/gtest.h>

using namespace vigil::test;

namespace {

struct Certificate
{
    std::string cert;
    std::string key;
};

Certificate makeCertificate(const TempDir &dir)
{
    Certificate c{dir.path("cert.pem"), dir.path("key.pem")};
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                   QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), QString::fromStdString(c.key), QStringLiteral("-out"),
                   QString::fromStdString(c.cert), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    EXPECT_TRUE(openssl.waitForFinished(60000));
    EXPECT_EQ(openssl.exitCode(), 0) << openssl.readAllStandardError().toStdString();
    return c;
}

struct CurlResult
{
    int exitCode = -1;
    std::string body;
    std::string trace; // curl -v
};

CurlResult curl(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("curl"), QStringList{QStringLiteral("-sS"), QStringLiteral("-v"), QStringLiteral("--max-time"),
                                                QStringLiteral("60")} +
                                        args);
    EXPECT_TRUE(p.waitForFinished(90000));
    return {p.exitCode(), p.readAllStandardOutput().toStdString(), p.readAllStandardError().toStdString()};
}

QString url(std::uint16_t port, const char *path)
{
    return QStringLiteral("https://127.0.0.1:%1%2").arg(port).arg(QLatin1String(path));
}

} // namespace

TEST(Tls, HttpsWithASelfSignedCertificate)
{
    TempDir dir;
    const Certificate certificate = makeCertificate(dir);
    QString error;
    auto options = serverOptions(dir.path("store.db"));
    options.http.tls = vigil::http::loadTlsConfiguration(QString::fromStdString(certificate.cert),
                                                        QString::fromStdString(certificate.key), error);
    ASSERT_TRUE(options.http.tls) << error.toStdString();
    InProcessServer server(options);

    writeFile(dir.path("body.ndjson"), recordLine("tls-1") + "\n" + recordLine("tls-2") + "\n");
    const CurlResult posted = curl({QStringLiteral("--cacert"), QString::fromStdString(certificate.cert),
                                    QStringLiteral("--tlsv1.2"), QStringLiteral("-H"),
                                    QStringLiteral("Content-Type: application/x-ndjson"), QStringLiteral("--data-binary"),
                                    QStringLiteral("@") + QString::fromStdString(dir.path("body.ndjson")),
                                    url(server.port(), "/v1/requests")});
    ASSERT_EQ(posted.exitCode, 0) << posted.trace;
    EXPECT_NE(posted.body.find("\"accepted\":2"), std::string::npos) << posted.body;
    EXPECT_NE(posted.trace.find("SSL connection using TLSv1."), std::string::npos) << posted.trace;
    EXPECT_EQ(StoreProbe(dir.path("store.db")).requestCount(), 2);

    // The certificate is checked by the client: without the CA it refuses.
    const CurlResult untrusted = curl({url(server.port(), "/healthz")});
    EXPECT_NE(untrusted.exitCode, 0);

    // TLS 1.2 exactly is enough (the floor); plain HTTP on the TLS port gets nothing.
    const CurlResult tls12 = curl({QStringLiteral("--cacert"), QString::fromStdString(certificate.cert),
                                   QStringLiteral("--tls-max"), QStringLiteral("1.2"), url(server.port(), "/healthz")});
    ASSERT_EQ(tls12.exitCode, 0) << tls12.trace;
    EXPECT_NE(tls12.trace.find("TLSv1.2"), std::string::npos) << tls12.trace;
    const CurlResult plain = curl({QStringLiteral("http://127.0.0.1:%1/healthz").arg(server.port())});
    EXPECT_EQ(plain.body.find("queue_depth"), std::string::npos) << plain.body;
}

TEST(Tls, VigilctlServeTakesTheCertificateFromTheConfig)
{
    TempDir dir;
    const Certificate certificate = makeCertificate(dir);
    const std::string config = dir.path("vigil.toml");
    writeFile(config, "[server]\ntls_certificate = \"" + certificate.cert + "\"\ntls_key = \"" + certificate.key + "\"\n");
    ServeProcess serve({QStringLiteral("--config"), QString::fromStdString(config), QStringLiteral("--db"),
                        QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
                       dir.path("serve.log"));
    ASSERT_TRUE(serve.waitUntilListening()) << serve.log();
    EXPECT_NE(serve.log().find("listening on https://"), std::string::npos) << serve.log();
    const CurlResult health = curl({QStringLiteral("--cacert"), QString::fromStdString(certificate.cert),
                                    url(serve.port(), "/healthz")});
    ASSERT_EQ(health.exitCode, 0) << health.trace;
    EXPECT_NE(health.body.find("\"status\":\"ok\""), std::string::npos) << health.body;
    serve.sendSignal(SIGTERM);
    ASSERT_TRUE(serve.waitForExit(60000));
    EXPECT_EQ(serve.exitCode(), 0) << serve.log();

    // A key that is not a key: refused at start with the file named.
    writeFile(dir.path("bad.pem"), "not a key\n");
    writeFile(config, "[server]\ntls_certificate = \"" + certificate.cert + "\"\ntls_key = \"" + dir.path("bad.pem") + "\"\n");
    ServeProcess bad({QStringLiteral("--config"), QString::fromStdString(config), QStringLiteral("--db"),
                      QString::fromStdString(dir.path("store.db")), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")},
                     dir.path("bad.log"));
    ASSERT_TRUE(bad.waitForExit(60000));
    EXPECT_EQ(bad.exitCode(), 2) << bad.log();
    EXPECT_NE(bad.log().find("bad.pem"), std::string::npos) << bad.log();
}
