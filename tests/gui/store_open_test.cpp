// A store that cannot be opened is named and explained, the file is left as
// it was, and the window offers a way on instead of an empty page.
#include "gui_test_support.h"
#include "test_support.h"

#include "shell/console_context.h"
#include "shell/main_window.h"
#include "shell/start_panel.h"
#include "store/store_error_dialog.h"
#include "store/store_opener.h"

#include "store/write_queue.h"

#include <QFileInfo>
#include <QSet>
#include <QSignalSpy>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>

namespace vigil::test {
namespace {

using namespace vigil::ui;

void sqliteExec(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char *error = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &error), SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

StoreOpenFailure openFailure(const std::string &path, OpenMode mode = OpenMode::Existing)
{
    StoreOpenResult r = openStore(QString::fromStdString(path), mode);
    EXPECT_FALSE(r.ok()) << path;
    return r.failure.value_or(StoreOpenFailure{});
}

TEST(StoreOpen, AMissingStoreIsNotFoundAndCanBeCreated)
{
    TempDir dir;
    const std::string path = dir.path("nothing-here.db");
    const StoreOpenFailure f = openFailure(path);
    EXPECT_EQ(f.kind, StoreErrorKind::NotFound);
    EXPECT_TRUE(f.message.contains(QString::fromStdString(path)));
    const StoreFailureText text = describeStoreFailure(f);
    EXPECT_TRUE(text.offerCreate);
    EXPECT_TRUE(text.explanation.contains(QString::fromStdString(path)));
    EXPECT_FALSE(QFileInfo::exists(QString::fromStdString(path))) << "opening must not create";

    const StoreOpenResult created = openStore(QString::fromStdString(path), OpenMode::CreateIfMissing);
    ASSERT_TRUE(created.ok());
    EXPECT_NE(created.store->writer, nullptr);
    EXPECT_FALSE(created.store->readOnly);
}

TEST(StoreOpen, AFileThatIsNotADatabaseIsNotAVigilStore)
{
    TempDir dir;
    const std::string path = dir.path("notes.db");
    writeFile(path, std::string(8192, 'x'));
    const StoreOpenFailure f = openFailure(path);
    EXPECT_EQ(f.kind, StoreErrorKind::NotAVigilStore);
    EXPECT_FALSE(describeStoreFailure(f).offerCreate);
    EXPECT_EQ(readFile(path), std::string(8192, 'x')) << "left untouched";
}

TEST(StoreOpen, AnotherApplicationsDatabaseIsNotAVigilStore)
{
    TempDir dir;
    const std::string path = dir.path("other.sqlite");
    sqliteExec(path, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'x');");
    const StoreOpenFailure f = openFailure(path);
    EXPECT_EQ(f.kind, StoreErrorKind::NotAVigilStore);
    EXPECT_TRUE(describeStoreFailure(f).title.contains(QStringLiteral("not a Vigil store")));
}

TEST(StoreOpen, AFolderIsNotAVigilStore)
{
    TempDir dir;
    EXPECT_EQ(openFailure(dir.root()).kind, StoreErrorKind::NotAVigilStore);
}

TEST(StoreOpen, AStoreOfANewerVigilIsRefusedUntouched)
{
    TempDir dir;
    const std::string path = dir.path("future.db");
    { WriteQueue create(path); }
    sqliteExec(path, "PRAGMA user_version = 999;");
    const std::string bytes = readFile(path);
    const StoreOpenFailure f = openFailure(path);
    EXPECT_EQ(f.kind, StoreErrorKind::NewerSchema);
    EXPECT_TRUE(describeStoreFailure(f).title.contains(QStringLiteral("newer Vigil")));
    EXPECT_EQ(readFile(path), bytes);
}

TEST(StoreOpen, AStoreLockedByAnotherProcessSaysSo)
{
    TempDir dir;
    const std::string path = dir.path("locked.db");
    { WriteQueue create(path); }
    // Another program holds the database in exclusive locking mode (no
    // shared memory, no readers): Vigil waits its busy timeout, then names it.
    sqlite3 *holder = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(holder, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; "
                                   "CREATE TABLE IF NOT EXISTS held(x);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    const StoreOpenFailure f = openFailure(path);
    sqlite3_exec(holder, "ROLLBACK;", nullptr, nullptr, nullptr);
    sqlite3_close(holder);
    EXPECT_EQ(f.kind, StoreErrorKind::Locked) << f.message.toStdString();
    EXPECT_TRUE(describeStoreFailure(f).title.contains(QStringLiteral("locked")));
}

TEST(StoreOpen, EveryKindHasItsOwnExplanation)
{
    QSet<QString> titles;
    for (StoreErrorKind kind : {StoreErrorKind::NotFound, StoreErrorKind::NotWritable, StoreErrorKind::Locked,
                                StoreErrorKind::NewerSchema, StoreErrorKind::NotAVigilStore, StoreErrorKind::DiskFull,
                                StoreErrorKind::Corrupt, StoreErrorKind::Io, StoreErrorKind::Other}) {
        const StoreFailureText text = describeStoreFailure({QStringLiteral("/x/y.db"), kind, QStringLiteral("m")});
        EXPECT_FALSE(text.title.isEmpty());
        EXPECT_TRUE(text.explanation.contains(QStringLiteral("/x/y.db")));
        titles.insert(text.title);
    }
    EXPECT_EQ(titles.size(), 9);
}

TEST(StoreOpenWindow, ABadStoreShowsTheDialogNotAnEmptyPage)
{
    TempDir dir;
    const std::string path = dir.path("other.sqlite");
    sqliteExec(path, "CREATE TABLE t(x);");
    MainWindow window;
    window.show();
    QSignalSpy failed(&window, &MainWindow::storeOpenFailed);
    window.openStore(QString::fromStdString(path));
    ASSERT_TRUE(waitFor([&] { return failed.count() == 1; }));
    EXPECT_FALSE(window.context().hasStore());
    EXPECT_TRUE(window.startPanel()->isVisible()) << "no page may pretend a store is open";
    StoreErrorDialog *dialog = window.storeErrorDialog();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_EQ(dialog->failure().kind, StoreErrorKind::NotAVigilStore);
    EXPECT_TRUE(dialog->titleText().contains(QStringLiteral("not a Vigil store")));
    EXPECT_TRUE(dialog->choiceLabels().contains(QStringLiteral("Choose another store…")));
    EXPECT_FALSE(dialog->choiceLabels().contains(QStringLiteral("Create an empty store here")));
}

TEST(StoreOpenWindow, AMissingStoreCanBeCreatedFromTheDialog)
{
    TempDir dir;
    const QString path = QString::fromStdString(dir.path("new/vigil.db"));
    MainWindow window;
    window.show();
    QSignalSpy failed(&window, &MainWindow::storeOpenFailed);
    QSignalSpy opened(&window, &MainWindow::storeOpened);
    window.openStore(path);
    ASSERT_TRUE(waitFor([&] { return failed.count() == 1; }));
    StoreErrorDialog *dialog = window.storeErrorDialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(dialog->choiceLabels().contains(QStringLiteral("Create an empty store here")));
    dialog->choose(StoreErrorDialog::Choice::CreateHere);
    ASSERT_TRUE(waitFor([&] { return opened.count() == 1; }));
    EXPECT_EQ(window.context().storePath(), path);
    EXPECT_TRUE(QFileInfo::exists(path));
    EXPECT_FALSE(window.startPanel()->isVisible());
}

} // namespace
} // namespace vigil::test
