// Activation and rollback: the history in the store, the operator-log entry
// of each switch, the manifest, and that nothing switches when a part fails.
#include "git_fixture.h"
#include "test_support.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_manifest.h"
#include "prompts/prompt_switcher.h"
#include "store/operator_log_store.h"
#include "store/prompt_activation_store.h"
#include "store/store_error.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace vigil {
namespace {

using test::GitFixture;
using test::TempDir;

struct Fixture
{
    TempDir dir;
    GitFixture git{dir.path("repo"), false};
    std::string a, b, c, docs;
    std::string store = dir.path("vigil.db");
    std::string deploy = dir.path("deploy");
    Actor actor{"alice", "host-1"};

    Fixture()
    {
        a = git.commit({{"prompts/answer.md", "A\n"}, {"prompts/other.txt", "other\n"}}, "A");
        b = git.commit({{"prompts/answer.md", "B\n"}}, "B");
        docs = git.commit({{"README.md", "docs\n"}}, "docs");
        c = git.commit({{"prompts/answer.md", "C\n"}}, "C");
    }

    std::optional<std::string> activeSha()
    {
        PromptActivationStore s(store);
        const auto active = s.active("answer");
        return active ? std::optional<std::string>(active->sha) : std::nullopt;
    }

    std::vector<OperatorLogEntry> promptLog()
    {
        OperatorLog log(store);
        OperatorLog::Filter f;
        f.action = "prompt.";
        return log.list(f);
    }

    QJsonObject manifest()
    {
        const std::string text = test::readFile(deploy + "/prompts.lock.json");
        return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
    }
};

PromptErrorKind errorOf(const std::function<void()> &f, std::string *message = nullptr)
{
    try {
        f();
    } catch (const PromptError &e) {
        if (message)
            *message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "no PromptError thrown";
    return PromptErrorKind::Git;
}

TEST(Switcher, RollbackWalksBackThroughTheActivationsThenRefuses)
{
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, f.store, f.deploy);
    switcher.activate("answer", f.a.substr(0, 7), std::string("first"), f.actor);
    switcher.activate("answer", f.b, std::nullopt, f.actor);
    const SwitchOutcome third = switcher.activate("answer", f.c.substr(0, 10), std::string("ship C"), f.actor);
    EXPECT_EQ(third.activation.sha, f.c);
    EXPECT_EQ(third.activation.previousSha, f.b);
    EXPECT_EQ(third.version.subject, "C");
    EXPECT_EQ(f.activeSha(), f.c);
    EXPECT_EQ(switcher.rollbackTarget("answer"), f.b);

    const SwitchOutcome back1 = switcher.rollback("answer", std::string("C is slow"), f.actor);
    EXPECT_EQ(back1.activation.sha, f.b); // the previously active version, not C's parent commit (docs)
    EXPECT_EQ(back1.activation.kind, "rollback");
    EXPECT_EQ(back1.activation.previousSha, f.c);
    EXPECT_EQ(f.activeSha(), f.b);

    const SwitchOutcome back2 = switcher.rollback("answer", std::nullopt, f.actor);
    EXPECT_EQ(back2.activation.sha, f.a);
    EXPECT_EQ(f.activeSha(), f.a);
    EXPECT_FALSE(switcher.rollbackTarget("answer"));

    std::string message;
    EXPECT_EQ(errorOf([&] { switcher.rollback("answer", std::nullopt, f.actor); }, &message), PromptErrorKind::Refused);
    EXPECT_NE(message.find("no earlier version to roll back to"), std::string::npos) << message;
    EXPECT_EQ(f.activeSha(), f.a);

    // Every switch has its operator-log entry, newest first.
    const auto log = f.promptLog();
    ASSERT_EQ(log.size(), 5u);
    EXPECT_EQ(log[0].action.action, "prompt.rollback");
    EXPECT_EQ(log[0].action.fromValue, f.b);
    EXPECT_EQ(log[0].action.toValue, f.a);
    EXPECT_EQ(log[1].action.reason, "C is slow");
    EXPECT_EQ(log[2].action.action, "prompt.activate");
    EXPECT_EQ(log[2].action.toValue, f.c);
    EXPECT_EQ(log[2].action.reason, "ship C");
    EXPECT_EQ(log[4].action.fromValue, std::nullopt);
    EXPECT_EQ(log[4].actor, "alice");
    EXPECT_EQ(log[4].host, "host-1");
    EXPECT_EQ(log[4].action.subject, "answer");

    PromptActivationStore s(f.store);
    const auto history = s.history("answer");
    ASSERT_EQ(history.size(), 5u);
    for (std::size_t i = 0; i < history.size(); ++i)
        EXPECT_EQ(history[i].operatorLogId, log[log.size() - 1 - i].id);
}

TEST(Switcher, RollbackAfterARollbackAndANewActivation)
{
    // A -> B -> C, rollback (B), activate C again: the stack is A, B, C, so
    // the next rollbacks give B then A.
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, f.store, f.deploy);
    for (const auto &sha : {f.a, f.b, f.c})
        switcher.activate("answer", sha, std::nullopt, f.actor);
    EXPECT_EQ(switcher.rollback("answer", std::nullopt, f.actor).activation.sha, f.b);
    switcher.activate("answer", f.c, std::nullopt, f.actor);
    EXPECT_EQ(switcher.rollback("answer", std::nullopt, f.actor).activation.sha, f.b);
    EXPECT_EQ(switcher.rollback("answer", std::nullopt, f.actor).activation.sha, f.a);
}

TEST(Switcher, RefusesWhatIsNotAVersionOrAlreadyActive)
{
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, f.store, f.deploy);
    std::string message;
    EXPECT_EQ(errorOf([&] { switcher.activate("answer", f.docs, std::nullopt, f.actor); }, &message),
              PromptErrorKind::NotAVersion);
    EXPECT_NE(message.find("did not change prompts/answer.md"), std::string::npos) << message;
    EXPECT_EQ(errorOf([&] { switcher.activate("missing", f.a, std::nullopt, f.actor); }), PromptErrorKind::UnknownPrompt);
    EXPECT_EQ(errorOf([&] { switcher.rollback("missing", std::nullopt, f.actor); }), PromptErrorKind::UnknownPrompt);
    EXPECT_EQ(errorOf([&] { switcher.rollback("answer", std::nullopt, f.actor); }, &message), PromptErrorKind::Refused);
    EXPECT_NE(message.find("never been activated"), std::string::npos) << message;
    EXPECT_FALSE(f.activeSha());

    switcher.activate("answer", f.a, std::nullopt, f.actor);
    EXPECT_EQ(errorOf([&] { switcher.activate("answer", f.a.substr(0, 8), std::nullopt, f.actor); }, &message),
              PromptErrorKind::Refused);
    EXPECT_NE(message.find("already active"), std::string::npos);
    EXPECT_EQ(f.promptLog().size(), 1u);
}

TEST(Switcher, ManifestHoldsTheWholeActiveSet)
{
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, f.store, f.deploy);
    switcher.activate("answer", f.b, std::string("why"), f.actor);
    switcher.activate("other", f.a, std::nullopt, f.actor);
    const QJsonObject prompts = f.manifest().value(QStringLiteral("prompts")).toObject();
    ASSERT_EQ(prompts.size(), 2);
    const QJsonObject answer = prompts.value(QStringLiteral("answer")).toObject();
    EXPECT_EQ(answer.value(QStringLiteral("sha")).toString().toStdString(), f.b);
    EXPECT_EQ(answer.value(QStringLiteral("content")).toString(), QStringLiteral("B\n"));
    EXPECT_EQ(answer.value(QStringLiteral("path")).toString(), QStringLiteral("prompts/answer.md"));
    EXPECT_EQ(answer.value(QStringLiteral("by")).toString(), QStringLiteral("alice@host-1"));
    EXPECT_EQ(answer.value(QStringLiteral("reason")).toString(), QStringLiteral("why"));
    EXPECT_EQ(prompts.value(QStringLiteral("other")).toObject().value(QStringLiteral("content")).toString(),
              QStringLiteral("other\n"));
    switcher.activate("answer", f.c, std::nullopt, f.actor);
    const QJsonObject after = f.manifest().value(QStringLiteral("prompts")).toObject();
    EXPECT_EQ(after.value(QStringLiteral("answer")).toObject().value(QStringLiteral("content")).toString(),
              QStringLiteral("C\n"));
    EXPECT_EQ(after.value(QStringLiteral("other")).toObject().value(QStringLiteral("sha")).toString().toStdString(), f.a);
}

TEST(Switcher, AnUnwritableDeployFolderRefusesBeforeAnythingChanges)
{
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher good(registry, f.store, f.deploy);
    good.activate("answer", f.a, std::nullopt, f.actor);

    // A regular file where the folder should be: unwritable even for root.
    test::writeFile(f.dir.path("blocked"), "a file, not a folder");
    for (const std::string &bad : {f.dir.path("blocked"), f.dir.path("blocked") + "/sub"}) {
        PromptSwitcher switcher(registry, f.store, bad);
        std::string message;
        EXPECT_EQ(errorOf([&] { switcher.activate("answer", f.b, std::nullopt, f.actor); }, &message),
                  PromptErrorKind::DeployUnwritable);
        EXPECT_NE(message.find(f.dir.path("blocked")), std::string::npos) << message;
        EXPECT_EQ(errorOf([&] { switcher.rollback("answer", std::nullopt, f.actor); }), PromptErrorKind::DeployUnwritable);
    }
    EXPECT_EQ(f.activeSha(), f.a);
    EXPECT_EQ(f.promptLog().size(), 1u);
    PromptSwitcher none(registry, f.store, "");
    EXPECT_EQ(errorOf([&] { none.activate("answer", f.b, std::nullopt, f.actor); }), PromptErrorKind::Refused);
    EXPECT_EQ(f.activeSha(), f.a);
}

TEST(Switcher, NothingSwitchesWhenTheOperatorLogWriteFails)
{
    Fixture f;
    PromptRegistry registry({f.dir.path("repo"), "prompts"});
    PromptSwitcher switcher(registry, f.store, f.deploy);
    switcher.activate("answer", f.a, std::nullopt, f.actor);
    const std::string manifestBefore = test::readFile(f.deploy + "/prompts.lock.json");

    // Make every operator-log insert fail, as a full or broken store would.
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(f.store.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER refuse_log BEFORE INSERT ON operator_log "
                           "BEGIN SELECT RAISE(ABORT, 'operator log unavailable'); END;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_THROW(switcher.activate("answer", f.b, std::nullopt, f.actor), StoreError);
    EXPECT_THROW(switcher.activate("answer", f.c, std::nullopt, f.actor), StoreError);
    EXPECT_EQ(f.activeSha(), f.a);
    EXPECT_EQ(test::readFile(f.deploy + "/prompts.lock.json"), manifestBefore);
    sqlite3_stmt *count = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM prompt_activations", -1, &count, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(count, 0), 1);
    sqlite3_finalize(count);

    // And the activation row failing leaves no orphan operator-log entry.
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER refuse_log; CREATE TRIGGER refuse_row BEFORE INSERT ON prompt_activations "
                           "BEGIN SELECT RAISE(ABORT, 'no'); END;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    EXPECT_THROW(switcher.activate("answer", f.b, std::nullopt, f.actor), StoreError);
    EXPECT_EQ(f.promptLog().size(), 1u);
    ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER refuse_row", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
    EXPECT_EQ(switcher.activate("answer", f.b, std::nullopt, f.actor).activation.sha, f.b);
}

TEST(RollbackStack, FollowsActivationsAndRollbacks)
{
    const auto row = [](std::string sha, std::string kind) {
        PromptActivation a;
        a.sha = std::move(sha);
        a.kind = std::move(kind);
        return a;
    };
    EXPECT_TRUE(rollbackStack({}).empty());
    EXPECT_EQ(rollbackStack({row("A", "activate"), row("B", "activate"), row("C", "activate")}),
              (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(rollbackStack({row("A", "activate"), row("B", "activate"), row("C", "activate"), row("B", "rollback")}),
              (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(rollbackStack({row("A", "activate"), row("B", "activate"), row("A", "rollback"), row("D", "activate")}),
              (std::vector<std::string>{"A", "D"}));
}

} // namespace
} // namespace vigil
