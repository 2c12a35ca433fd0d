#include "prompts_world.h"

#include "gui_test_support.h"

#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompts_page.h"
#include "prompts/version_history_model.h"

#include "record/timestamp.h"
#include "store/store_meta.h"

#include <QDateTime>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>

#include "prompts/prompt_list_model.h"
#include <QFileInfo>
#include <gtest/gtest.h>

#include <cstdio>

namespace vigil::test {

std::string git(const std::string &repo, const QStringList &args)
{
    QProcess process;
    process.setWorkingDirectory(QString::fromStdString(repo));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_CONFIG_NOSYSTEM"), QStringLiteral("1"));
    env.insert(QStringLiteral("HOME"), QString::fromStdString(repo)); // no user config
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("git"), args);
    EXPECT_TRUE(process.waitForFinished(60'000));
    EXPECT_EQ(process.exitCode(), 0) << "git " << args.join(QLatin1Char(' ')).toStdString() << ": "
                                     << process.readAllStandardError().toStdString();
    return QString::fromUtf8(process.readAllStandardOutput()).trimmed().toStdString();
}

PromptRepo::PromptRepo(std::string path) : m_path(std::move(path))
{
    QDir().mkpath(QString::fromStdString(m_path));
    git(m_path, {QStringLiteral("init"), QStringLiteral("-q"), QStringLiteral("-b"), QStringLiteral("main")});
}

std::string PromptRepo::commit(const std::string &file, const std::string &content, const std::string &subject,
                               const std::string &author)
{
    const std::string full = m_path + "/" + file;
    QDir().mkpath(QFileInfo(QString::fromStdString(full)).absolutePath());
    writeFile(full, content);
    git(m_path, {QStringLiteral("add"), QString::fromStdString(file)});
    // Dates a day apart, so the history's order is the commit order.
    const QString date = QStringLiteral("2026-01-%1T10:00:00Z").arg(++m_clock, 2, 10, QLatin1Char('0'));
    const QString name = QString::fromStdString(author);
    const QString email = name.toLower().replace(QLatin1Char(' '), QLatin1Char('.')) + QStringLiteral("@example.com");
    git(m_path, {QStringLiteral("-c"), QStringLiteral("user.name=") + name, QStringLiteral("-c"),
                 QStringLiteral("user.email=") + email, QStringLiteral("commit"), QStringLiteral("-q"),
                 QStringLiteral("--date=") + date, QStringLiteral("-m"), QString::fromStdString(subject)});
    return git(m_path, {QStringLiteral("rev-parse"), QStringLiteral("HEAD")});
}

namespace {

std::string recordJson(int id, std::int64_t ts, const StampedRecords &r, std::size_t i)
{
    char buffer[600];
    const std::string &outcome = r.outcomes[i];
    std::snprintf(buffer, sizeof buffer,
                  R"({"ts":"%s","request_id":"p%d","tenant":"acme","model":"gpt-4o-mini","provider":"openai","prompt_name":"%s","prompt_version":"%s","latency_ms":%.1f,"outcome":"%s","cost_usd":%.4f%s})",
                  formatRfc3339Ms(ts).c_str(), id, r.prompt.c_str(), r.stamp.c_str(), r.latencies[i], outcome.c_str(),
                  r.costUsd, outcome == "error" ? R"(,"error_type":"http_5xx")" : "");
    return buffer;
}

StampedRecords makeRecords(const std::string &prompt, const std::string &stamp, int count, double base, double step,
                           const std::function<std::string(int)> &outcome, double cost)
{
    StampedRecords r;
    r.prompt = prompt;
    r.stamp = stamp;
    r.costUsd = cost;
    for (int i = 0; i < count; ++i) {
        r.latencies.push_back(base + step * i);
        r.outcomes.push_back(outcome(i));
    }
    return r;
}

} // namespace

PromptsWorld::PromptsWorld()
{
    repoPath = dir.path("prompts-repo");
    deployPath = dir.path("deploy");
    storePath = dir.path("vigil.db");
    repo = std::make_unique<PromptRepo>(repoPath);
    summarizeA = repo->commit("prompts/summarize.txt", kTextA, "Add the summarize prompt");
    classifyA = repo->commit("prompts/classify.md", "Classify the ticket: billing, outage, other.\n",
                             "Add the ticket classifier", "Jonas Weber");
    summarizeB = repo->commit("prompts/summarize.txt", kTextB, "summarize: shorter bullets");
    unrelated = repo->commit("README.md", "The team's prompts.\n", "Explain the repository", "Priya Natarajan");
    summarizeC = repo->commit("prompts/summarize.txt", kTextC, "summarize: five bullets, keep numbers");

    // Stamped three ways: a short SHA, the full SHA, a 10-digit prefix.
    records.push_back(makeRecords("summarize", summarizeA.substr(0, 7), 40, 100, 3,
                                  [](int i) { return i == 5 || i == 17 ? "error" : "ok"; }, 0.002));
    records.push_back(makeRecords("summarize", summarizeB, 30, 200, 7,
                                  [](int i) { return i % 5 == 0 ? "timeout" : i == 3 ? "fallback" : "ok"; }, 0.003));
    records.push_back(makeRecords("summarize", summarizeC.substr(0, 10), 20, 800, 20, [](int) { return "ok"; }, 0.005));
    records.push_back(makeRecords("classify", classifyA.substr(0, 7), 10, 50, 1, [](int) { return "ok"; }, 0.001));

    // Spread over the last 50 minutes of the wall clock: the window's default range is the last hour.
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    std::string ndjson;
    int id = 0;
    std::int64_t ts = now - 50 * 60'000;
    for (const StampedRecords &r : records) {
        for (std::size_t i = 0; i < r.latencies.size(); ++i) {
            ts += 20'000;
            ndjson += recordJson(++id, ts, r, i) + "\n";
        }
    }
    recordsEndMs = ts;
    buildStore(storePath, dir.path("records.ndjson"), ndjson);
}

void PromptsWorld::rememberRepoInStore()
{
    writeStoreMeta(storePath, "prompts.repo", repoPath);
    writeStoreMeta(storePath, "prompts.deploy_dir", deployPath);
}

PromptsWindow::PromptsWindow(const PromptsWorld &world, const QString &prompt)
{
    window.setShowIngestSummaries(false);
    window.resize(1500, 950);
    window.show();
    QSignalSpy opened(&window, &ui::MainWindow::storeOpened);
    window.openStore(QString::fromStdString(world.storePath));
    EXPECT_TRUE(waitFor([&] { return opened.count() == 1; }));
    page = qobject_cast<ui::PromptsPage *>(window.page(QStringLiteral("prompts")));
    EXPECT_NE(page, nullptr);
    if (!page)
        return;
    window.showPage(QStringLiteral("prompts"));
    if (!prompt.isEmpty()) {
        EXPECT_TRUE(waitFor([&] { return page->promptModel().rowCount() > 0 && !page->isLoading(); }));
        page->selectPrompt(prompt);
        EXPECT_TRUE(historyShown(*page, prompt));
    }
}

PromptsWindow::~PromptsWindow()
{
    if (page && page->switchDialog())
        page->switchDialog()->reject();
}

bool settle(ui::PromptsPage &page)
{
    return waitFor([&] { return !page.isLoading(); });
}

bool historyShown(ui::PromptsPage &page, const QString &prompt, std::size_t minActivations)
{
    return waitFor([&] {
        const ui::HistorySnapshot *h = page.historyModel().snapshot();
        return !page.isLoading() && h && QString::fromStdString(h->name) == prompt &&
               h->activations.size() >= minActivations;
    });
}

ui::PromptSwitchDialog *waitForDialog(ui::PromptsPage &page)
{
    ui::PromptSwitchDialog *dialog = nullptr;
    waitFor([&] {
        dialog = page.switchDialog();
        return (dialog && dialog->isVisible()) || (!page.isLoading() && page.noticeIsError());
    });
    return dialog && dialog->isVisible() ? dialog : nullptr;
}

bool confirm(ui::PromptsPage &page, ui::PromptSwitchDialog *dialog, const QString &reason)
{
    QSignalSpy done(&page, &ui::PromptsPage::switched);
    QSignalSpy failed(&page, &ui::PromptsPage::switchFailed);
    dialog->reasonEdit()->setText(reason);
    if (!dialog->confirmButton()->isEnabled())
        return false;
    dialog->confirmButton()->click();
    if (!waitFor([&] { return done.count() + failed.count() > 0; }))
        return false;
    return done.count() == 1 && settle(page);
}

} // namespace vigil::test
