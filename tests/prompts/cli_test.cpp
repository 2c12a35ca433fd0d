// vigilctl prompt end to end: the real binary against a real repository and
// store, human and --json output, exit codes and refusals.
#include "git_fixture.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

namespace vigil {
namespace {

using test::GitFixture;
using test::TempDir;

struct Cli
{
    TempDir dir;
    GitFixture git{dir.path("repo"), false};
    std::string a, b, docs, c;

    Cli()
    {
        a = git.commit({{"prompts/answer-question.md", "Answer briefly.\nUse the passages.\n"},
                        {"prompts/summarize.txt", "Summarize.\n"}},
                       "Add prompts", "Alice");
        b = git.commit({{"prompts/answer-question.md", "Answer in detail.\nUse the passages.\n"}}, "More detail", "Bob");
        docs = git.commit({{"README.md", "x\n"}}, "docs");
        c = git.commit({{"prompts/answer-question.md", "Answer in detail.\nCite the passages.\n"}}, "Cite", "Carol");
    }

    test::ProcessResult run(QStringList args, bool withDeploy = true)
    {
        args.prepend(QStringLiteral("prompt"));
        args << QStringLiteral("--db") << QString::fromStdString(dir.path("vigil.db")) << QStringLiteral("--repo")
             << QString::fromStdString(dir.path("repo"));
        if (withDeploy)
            args << QStringLiteral("--deploy-dir") << QString::fromStdString(dir.path("deploy"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("VIGIL_DB"));
        return test::runVigilctl(args, 120000, env);
    }

    QJsonObject json(QStringList args)
    {
        args << QStringLiteral("--json");
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return test::parseJsonObject(r.out);
    }
};

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

TEST(PromptCli, ListLogShowDiff)
{
    Cli cli;
    const QJsonObject list = cli.json({QStringLiteral("list")});
    const QJsonArray prompts = list.value(QStringLiteral("prompts")).toArray();
    ASSERT_EQ(prompts.size(), 2);
    EXPECT_EQ(prompts[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("answer-question"));
    EXPECT_EQ(prompts[0].toObject().value(QStringLiteral("versions")).toInt(), 3);
    EXPECT_EQ(prompts[0].toObject().value(QStringLiteral("latest")).toString(), q(cli.c));
    EXPECT_TRUE(prompts[0].toObject().value(QStringLiteral("active")).isNull());

    const QJsonObject log = cli.json({QStringLiteral("log"), QStringLiteral("answer-question")});
    const QJsonArray versions = log.value(QStringLiteral("versions")).toArray();
    ASSERT_EQ(versions.size(), 3);
    const QJsonObject newest = versions[0].toObject();
    for (const char *key : {"sha", "short", "author", "date", "subject", "active"})
        EXPECT_TRUE(newest.contains(QLatin1String(key))) << key;
    EXPECT_EQ(newest.value(QStringLiteral("sha")).toString(), q(cli.c));
    EXPECT_EQ(newest.value(QStringLiteral("short")).toString(), q(cli.c.substr(0, 7)));
    EXPECT_EQ(newest.value(QStringLiteral("author")).toString(), QStringLiteral("Carol"));
    EXPECT_EQ(newest.value(QStringLiteral("subject")).toString(), QStringLiteral("Cite"));
    EXPECT_FALSE(newest.value(QStringLiteral("active")).toBool());
    EXPECT_EQ(versions[2].toObject().value(QStringLiteral("sha")).toString(), q(cli.a));

    const auto human = cli.run({QStringLiteral("log"), QStringLiteral("answer-question")});
    EXPECT_EQ(human.exitCode, 0);
    EXPECT_NE(human.out.find(cli.b.substr(0, 7) + "  "), std::string::npos) << human.out;
    EXPECT_NE(human.out.find("More detail"), std::string::npos);

    const auto show = cli.run({QStringLiteral("show"), q("answer-question@" + cli.a.substr(0, 7))});
    EXPECT_EQ(show.exitCode, 0) << show.err;
    EXPECT_EQ(show.out, "Answer briefly.\nUse the passages.\n");
    const auto latest = cli.run({QStringLiteral("show"), QStringLiteral("summarize")});
    EXPECT_EQ(latest.out, "Summarize.\n");

    const auto diff = cli.run({QStringLiteral("diff"), QStringLiteral("answer-question"), q(cli.b.substr(0, 7)), q(cli.c)});
    EXPECT_EQ(diff.exitCode, 0) << diff.err;
    EXPECT_NE(diff.out.find("-Use the passages.\n+Cite the passages.\n"), std::string::npos) << diff.out;
    EXPECT_NE(diff.out.find("@@ -1,2 +1,2 @@"), std::string::npos) << diff.out;
    const auto word = cli.run({QStringLiteral("diff"), QStringLiteral("answer-question"), q(cli.b), q(cli.c), QStringLiteral("--word")});
    EXPECT_NE(word.out.find("[-Use-]{+Cite+} the passages."), std::string::npos) << word.out;
    const QJsonObject wordJson =
        cli.json({QStringLiteral("diff"), QStringLiteral("answer-question"), q(cli.b), q(cli.c), QStringLiteral("--word")});
    EXPECT_EQ(wordJson.value(QStringLiteral("added")).toInt(), 1);
    EXPECT_EQ(wordJson.value(QStringLiteral("removed")).toInt(), 1);
    EXPECT_FALSE(wordJson.value(QStringLiteral("identical")).toBool());
    const QJsonArray words = wordJson.value(QStringLiteral("words")).toArray();
    bool sawDelete = false;
    for (const auto &w : words)
        sawDelete = sawDelete || (w.toObject().value(QStringLiteral("op")) == QStringLiteral("delete") &&
                                  w.toObject().value(QStringLiteral("text")) == QStringLiteral("Use"));
    EXPECT_TRUE(sawDelete);
}

TEST(PromptCli, ActivateRollbackActive)
{
    Cli cli;
    const QJsonObject first = cli.json({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.a.substr(0, 7)),
                                        QStringLiteral("--reason"), QStringLiteral("initial")});
    EXPECT_EQ(first.value(QStringLiteral("sha")).toString(), q(cli.a));
    EXPECT_TRUE(first.value(QStringLiteral("previous_sha")).isNull());
    cli.json({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.b)});
    const auto human = cli.run({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.c)});
    EXPECT_EQ(human.exitCode, 0) << human.err;
    EXPECT_NE(human.out.find("activated " + cli.c.substr(0, 7)), std::string::npos) << human.out;

    QJsonObject active = cli.json({QStringLiteral("active"), QStringLiteral("answer-question")});
    EXPECT_EQ(active.keys(), (QStringList{QStringLiteral("activated_at"), QStringLiteral("by"), QStringLiteral("name"),
                                          QStringLiteral("reason"), QStringLiteral("sha")}));
    EXPECT_EQ(active.value(QStringLiteral("sha")).toString(), q(cli.c));
    EXPECT_TRUE(active.value(QStringLiteral("by")).toString().contains(QLatin1Char('@')));

    const QJsonObject back = cli.json({QStringLiteral("rollback"), QStringLiteral("answer-question"), QStringLiteral("--reason"),
                                       QStringLiteral("errors up")});
    EXPECT_EQ(back.value(QStringLiteral("sha")).toString(), q(cli.b));
    EXPECT_EQ(back.value(QStringLiteral("kind")).toString(), QStringLiteral("rollback"));
    active = cli.json({QStringLiteral("active"), QStringLiteral("answer-question")});
    EXPECT_EQ(active.value(QStringLiteral("sha")).toString(), q(cli.b));
    EXPECT_EQ(active.value(QStringLiteral("reason")).toString(), QStringLiteral("errors up"));

    const QJsonObject log = cli.json({QStringLiteral("log"), QStringLiteral("answer-question")});
    EXPECT_TRUE(log.value(QStringLiteral("versions")).toArray()[1].toObject().value(QStringLiteral("active")).toBool());

    EXPECT_EQ(cli.json({QStringLiteral("rollback"), QStringLiteral("answer-question")}).value(QStringLiteral("sha")).toString(),
              q(cli.a));
    const auto refused = cli.run({QStringLiteral("rollback"), QStringLiteral("answer-question")});
    EXPECT_EQ(refused.exitCode, 2);
    EXPECT_NE(refused.err.find("no earlier version to roll back to"), std::string::npos) << refused.err;
    EXPECT_EQ(cli.json({QStringLiteral("active"), QStringLiteral("answer-question")}).value(QStringLiteral("sha")).toString(),
              q(cli.a));
    const std::string manifest = test::readFile(cli.dir.path("deploy/prompts.lock.json"));
    EXPECT_NE(manifest.find(cli.a), std::string::npos);
}

TEST(PromptCli, BadInputExitsTwoAndNothingSwitches)
{
    Cli cli;
    cli.json({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.a)});
    const auto notAVersion = cli.run({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.docs.substr(0, 7))});
    EXPECT_EQ(notAVersion.exitCode, 2);
    EXPECT_NE(notAVersion.err.find("did not change prompts/answer-question.md"), std::string::npos) << notAVersion.err;
    const auto unknownSha = cli.run({QStringLiteral("activate"), QStringLiteral("answer-question"), QStringLiteral("abcdef0123")});
    EXPECT_EQ(unknownSha.exitCode, 2);
    EXPECT_NE(unknownSha.err.find("no commit abcdef0123"), std::string::npos) << unknownSha.err;
    const auto unknownName = cli.run({QStringLiteral("log"), QStringLiteral("no-such-prompt")});
    EXPECT_EQ(unknownName.exitCode, 2);
    EXPECT_NE(unknownName.err.find("no prompt \"no-such-prompt\""), std::string::npos) << unknownName.err;
    EXPECT_EQ(cli.run({QStringLiteral("show"), QStringLiteral("answer-question@zzz")}).exitCode, 2);
    EXPECT_EQ(cli.run({QStringLiteral("diff"), QStringLiteral("answer-question"), q(cli.a)}).exitCode, 2); // usage
    EXPECT_EQ(cli.run({QStringLiteral("frobnicate")}).exitCode, 2);
    EXPECT_EQ(cli.run({QStringLiteral("active"), QStringLiteral("summarize")}).exitCode, 2); // never activated

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const auto missingRepo = test::runVigilctl({QStringLiteral("prompt"), QStringLiteral("list"), QStringLiteral("--repo"),
                                                q(cli.dir.path("nowhere")), QStringLiteral("--db"), q(cli.dir.path("vigil.db"))});
    EXPECT_EQ(missingRepo.exitCode, 2);
    EXPECT_NE(missingRepo.err.find(cli.dir.path("nowhere") + ": no such folder"), std::string::npos) << missingRepo.err;
    const auto serveMissingRepo = test::runVigilctl({QStringLiteral("serve"), QStringLiteral("--repo"), q(cli.dir.path("nowhere")),
                                                     QStringLiteral("--db"), q(cli.dir.path("vigil.db")),
                                                     QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    EXPECT_EQ(serveMissingRepo.exitCode, 2) << serveMissingRepo.err;

    // An unwritable deploy folder: exit 3, refused before anything changes.
    test::writeFile(cli.dir.path("blocked"), "file");
    const auto blocked = test::runVigilctl({QStringLiteral("prompt"), QStringLiteral("activate"), QStringLiteral("answer-question"),
                                            q(cli.b), QStringLiteral("--repo"), q(cli.dir.path("repo")), QStringLiteral("--db"),
                                            q(cli.dir.path("vigil.db")), QStringLiteral("--deploy-dir"), q(cli.dir.path("blocked"))});
    EXPECT_EQ(blocked.exitCode, 3);
    EXPECT_NE(blocked.err.find("nothing was switched"), std::string::npos) << blocked.err;
    const auto noDeploy = cli.run({QStringLiteral("activate"), QStringLiteral("answer-question"), q(cli.b)}, false);
    EXPECT_EQ(noDeploy.exitCode, 2);
    EXPECT_NE(noDeploy.err.find("deploy_dir"), std::string::npos) << noDeploy.err;
    EXPECT_EQ(cli.json({QStringLiteral("active"), QStringLiteral("answer-question")}).value(QStringLiteral("sha")).toString(),
              q(cli.a));
}

TEST(PromptCli, ConfigProvidesTheRepositoryAndDeployFolder)
{
    Cli cli;
    test::writeFile(cli.dir.path("vigil.toml"), "[prompts]\nrepo = \"repo\"\nfolder = \"prompts\"\ndeploy_dir = \"out\"\n"
                                                "regression_window = \"15m\"\nregression_p95_margin = 0.3\n");
    const auto r = test::runVigilctl({QStringLiteral("prompt"), QStringLiteral("activate"), QStringLiteral("summarize"),
                                      q(cli.a), QStringLiteral("--config"), q(cli.dir.path("vigil.toml")),
                                      QStringLiteral("--db"), q(cli.dir.path("vigil.db"))});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(test::readFile(cli.dir.path("out/prompts.lock.json")).find("Summarize."), std::string::npos);

    test::writeFile(cli.dir.path("bad.toml"), "[prompts]\nrepo = 3\nregression_window = \"soon\"\nsurprise = 1\n");
    const auto bad = test::runVigilctl({QStringLiteral("prompt"), QStringLiteral("list"), QStringLiteral("--config"),
                                        q(cli.dir.path("bad.toml"))});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("bad.toml:2: prompts.repo must be a string"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("bad.toml:3: prompts.regression_window"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("bad.toml:4: unknown key \"surprise\" in [prompts]"), std::string::npos) << bad.err;
}

TEST(PromptCli, TheDemoStoreCanBeRolledBack)
{
    TempDir dir;
    const QString db = QString::fromStdString(dir.path("demo.db"));
    const auto demo = test::runVigilctl({QStringLiteral("demo"), QStringLiteral("--db"), db, QStringLiteral("--records"),
                                         QStringLiteral("5000"), QStringLiteral("--now"), QStringLiteral("2026-11-27T02:40:00Z")});
    ASSERT_EQ(demo.exitCode, 0) << demo.err;
    const auto prompt = [&](QStringList args) {
        args.prepend(QStringLiteral("prompt"));
        args << QStringLiteral("--db") << db << QStringLiteral("--json");
        const auto r = test::runVigilctl(args);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return test::parseJsonObject(r.out);
    };
    const QJsonArray versions = prompt({QStringLiteral("log"), QStringLiteral("answer-question")})
                                    .value(QStringLiteral("versions"))
                                    .toArray();
    ASSERT_EQ(versions.size(), 3);
    const QString bad = versions[0].toObject().value(QStringLiteral("sha")).toString();
    const QString good = versions[1].toObject().value(QStringLiteral("sha")).toString();
    const QJsonObject active = prompt({QStringLiteral("active"), QStringLiteral("answer-question")});
    EXPECT_EQ(active.value(QStringLiteral("sha")).toString(), bad);
    EXPECT_EQ(active.value(QStringLiteral("activated_at")).toString(), QStringLiteral("2026-11-27T02:00:00.000Z"));
    const QJsonObject rolled = prompt({QStringLiteral("rollback"), QStringLiteral("answer-question"), QStringLiteral("--reason"),
                                       QStringLiteral("p95 tripled")});
    EXPECT_EQ(rolled.value(QStringLiteral("sha")).toString(), good);
    EXPECT_EQ(prompt({QStringLiteral("active"), QStringLiteral("answer-question")}).value(QStringLiteral("sha")).toString(), good);
    EXPECT_NE(test::readFile(dir.path("demo-deploy/prompts.lock.json")).find(good.toStdString()), std::string::npos);
    // The demo records stamp these real commits.
    const auto byVersion = test::runVigilctl({QStringLiteral("query"), QStringLiteral("latency"), QStringLiteral("--db"), db,
                                              QStringLiteral("--since"), QStringLiteral("1h"), QStringLiteral("--now"),
                                              QStringLiteral("2026-11-27T02:40:00Z"), QStringLiteral("--by"),
                                              QStringLiteral("prompt_version")});
    EXPECT_EQ(byVersion.exitCode, 0) << byVersion.err;
    EXPECT_NE(byVersion.out.find("answer-question@" + bad.left(7).toStdString()), std::string::npos) << byVersion.out;
}

} // namespace
} // namespace vigil
