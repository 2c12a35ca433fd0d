// GET /v1/prompts/{name} over a real socket: the active version with an
// ETag, 304 on If-None-Match, a new ETag after a switch, clear 404 and 503.
#include "git_fixture.h"
#include "test_support.h"

#include "prompts/prompt_switcher.h"
#include "record/timestamp.h"
#include "server/ingest_server.h"
#include "server/token_store.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <filesystem>

#include <gtest/gtest.h>

namespace vigil {
namespace {

using test::GitFixture;
using test::TempDir;

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray etag;
    QByteArray cacheControl;
};

Reply get(quint16 port, const QString &path, const QByteArray &ifNoneMatch = {})
{
    QNetworkAccessManager manager;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    if (!ifNoneMatch.isEmpty())
        request.setRawHeader("If-None-Match", ifNoneMatch);
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    Reply r;
    EXPECT_TRUE(reply->isFinished()) << "no answer for " << path.toStdString();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.etag = reply->rawHeader("ETag");
    r.cacheControl = reply->rawHeader("Cache-Control");
    reply->deleteLater();
    return r;
}

std::unique_ptr<IngestServer> startServer(const std::string &store, const std::string &repo)
{
    IngestServer::Options options;
    options.storePath = store;
    options.http.address = QHostAddress::LocalHost;
    options.http.port = 0;
    options.promptsRepository = repo;
    auto server = std::make_unique<IngestServer>(std::move(options));
    QString error;
    EXPECT_TRUE(server->listen(error)) << error.toStdString();
    return server;
}

TEST(PromptsEndpoint, ServesTheActiveVersionWithETagAnd304)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), true);
    const std::string v1 = git.commit({{"prompts/answer-question.md", "Answer briefly.\nÜnïcødé ✓\n"}}, "v1");
    const std::string v2 = git.commit({{"prompts/answer-question.md", "Answer in detail.\n"}}, "v2");
    const std::string store = dir.path("vigil.db");
    auto server = startServer(store, dir.path("repo"));
    const quint16 port = server->port();

    PromptRegistry registry({dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, store, dir.path("deploy"));
    const Actor actor{"ops", "h"};

    Reply none = get(port, QStringLiteral("/v1/prompts/answer-question"));
    EXPECT_EQ(none.status, 404);
    EXPECT_TRUE(none.body.contains("no active version")) << none.body.toStdString();

    const SwitchOutcome first = switcher.activate("answer-question", v1, std::nullopt, actor);
    const Reply ok = get(port, QStringLiteral("/v1/prompts/answer-question"));
    ASSERT_EQ(ok.status, 200) << ok.body.toStdString();
    const QJsonObject body = QJsonDocument::fromJson(ok.body).object();
    EXPECT_EQ(body.value(QStringLiteral("name")).toString(), QStringLiteral("answer-question"));
    EXPECT_EQ(body.value(QStringLiteral("sha")).toString().toStdString(), v1);
    EXPECT_EQ(body.value(QStringLiteral("content")).toString(), QStringLiteral("Answer briefly.\nÜnïcødé ✓\n"));
    EXPECT_EQ(body.value(QStringLiteral("activated_at")).toString().toStdString(),
              formatRfc3339Ms(first.activation.activatedAtMs));
    EXPECT_EQ(body.size(), 4);
    ASSERT_FALSE(ok.etag.isEmpty());
    EXPECT_TRUE(ok.etag.startsWith('"') && ok.etag.endsWith('"'));
    EXPECT_EQ(ok.cacheControl, "no-cache");

    const Reply again = get(port, QStringLiteral("/v1/prompts/answer-question"));
    EXPECT_EQ(again.etag, ok.etag); // same state, same tag

    const Reply notModified = get(port, QStringLiteral("/v1/prompts/answer-question"), ok.etag);
    EXPECT_EQ(notModified.status, 304);
    EXPECT_TRUE(notModified.body.isEmpty());
    EXPECT_EQ(notModified.etag, ok.etag);
    EXPECT_EQ(get(port, QStringLiteral("/v1/prompts/answer-question"), "\"other\", W/" + ok.etag).status, 304);
    EXPECT_EQ(get(port, QStringLiteral("/v1/prompts/answer-question"), "\"stale\"").status, 200);

    // A switch changes the answer and the tag; the old tag gets the new body.
    switcher.activate("answer-question", v2, std::string("more detail"), actor);
    const Reply switched = get(port, QStringLiteral("/v1/prompts/answer-question"), ok.etag);
    ASSERT_EQ(switched.status, 200);
    EXPECT_NE(switched.etag, ok.etag);
    EXPECT_EQ(QJsonDocument::fromJson(switched.body).object().value(QStringLiteral("sha")).toString().toStdString(), v2);

    switcher.rollback("answer-question", std::nullopt, actor);
    const Reply rolledBack = get(port, QStringLiteral("/v1/prompts/answer-question"));
    EXPECT_EQ(QJsonDocument::fromJson(rolledBack.body).object().value(QStringLiteral("sha")).toString().toStdString(), v1);
    EXPECT_NE(rolledBack.etag, ok.etag); // activated_at differs

    EXPECT_EQ(get(port, QStringLiteral("/v1/prompts/unknown")).status, 404);
    EXPECT_EQ(get(port, QStringLiteral("/v1/prompts/answer%2Dquestion")).status, 200); // percent-decoded
    const Reply post = [&] {
        QNetworkAccessManager manager;
        QNetworkReply *reply = manager.post(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/prompts/x").arg(port))),
                                            QByteArray("{}"));
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        reply->deleteLater();
        return r;
    }();
    EXPECT_EQ(post.status, 405);
}

TEST(PromptsEndpoint, WithoutARepositoryItAnswers503)
{
    TempDir dir;
    GitFixture git(dir.path("repo"), false);
    const std::string v1 = git.commit({{"prompts/p.txt", "x\n"}}, "v1");
    const std::string store = dir.path("vigil.db");
    {
        PromptRegistry registry({dir.path("repo"), "prompts"});
        PromptSwitcher(registry, store, dir.path("deploy")).activate("p", v1, std::nullopt, Actor{"a", "b"});
    }
    {
        auto server = startServer(store, "");
        const Reply r = get(server->port(), QStringLiteral("/v1/prompts/p"));
        EXPECT_EQ(r.status, 503);
        EXPECT_TRUE(r.body.contains("--repo")) << r.body.toStdString();
    }
    {
        // The repository went away after startup: 503, and a client keeps its copy.
        auto server = startServer(store, dir.path("repo"));
        EXPECT_EQ(get(server->port(), QStringLiteral("/v1/prompts/p")).status, 200);
        std::filesystem::rename(dir.path("repo"), dir.path("moved"));
        const Reply gone = get(server->port(), QStringLiteral("/v1/prompts/p"));
        EXPECT_EQ(gone.status, 503) << gone.body.toStdString();
        std::filesystem::rename(dir.path("moved"), dir.path("repo"));
        EXPECT_EQ(get(server->port(), QStringLiteral("/v1/prompts/p")).status, 200);
    }
}

} // namespace
} // namespace vigil
