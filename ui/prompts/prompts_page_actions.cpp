// The Prompts page's actions: choosing the repository, and activate /
// roll back behind the confirm dialog.
#include "prompts/prompts_page.h"

#include "prompts/notice_label.h"
#include "prompts/prompt_markers.h"
#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompt_worker.h"
#include "prompts/repository_location.h"
#include "prompts/version_history_model.h"

#include "shell/console_context.h"
#include "util/format.h"

#include <QAction>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>

namespace vigil::ui {

namespace {
QString q(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

void PromptsPage::buildActions()
{
    m_menu = new QMenu(tr("&Prompts"), this);
    m_chooseRepoAction = m_menu->addAction(tr("Choose prompts &repository…"));
    m_chooseRepoAction->setToolTip(tr("The git repository whose prompts/ folder holds the prompts (remembered for this store)"));
    connect(m_chooseRepoAction, &QAction::triggered, this, &PromptsPage::chooseRepository);
    m_chooseDeployAction = m_menu->addAction(tr("Choose &deploy folder…"));
    m_chooseDeployAction->setToolTip(tr("Where prompts.lock.json is written on every switch (remembered for this store)"));
    connect(m_chooseDeployAction, &QAction::triggered, this, &PromptsPage::chooseDeployFolder);
    m_menu->addSeparator();
    m_activateAction = m_menu->addAction(tr("&Activate the selected version…"));
    connect(m_activateAction, &QAction::triggered, this,
            [this] { requestActivate(selectedPrompt(), m_versionEdit->text().trimmed()); });
    m_rollbackAction = m_menu->addAction(tr("Roll &back the selected prompt…"));
    m_rollbackAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+R")));
    // Only while the page is shown (updateActions): the menu bar keeps it reachable elsewhere.
    connect(m_rollbackAction, &QAction::triggered, this, [this] { requestRollback(selectedPrompt()); });
    addAction(m_rollbackAction);
}

void PromptsPage::chooseRepository()
{
    auto *dialog = new QFileDialog(this, tr("Choose the prompts repository (a git working tree or bare repository)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &PromptsPage::useRepository);
    dialog->open();
}

void PromptsPage::chooseDeployFolder()
{
    auto *dialog = new QFileDialog(this, tr("Choose the deploy folder (prompts.lock.json goes there)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    connect(dialog, &QFileDialog::fileSelected, this, &PromptsPage::useDeployFolder);
    dialog->open();
}

void PromptsPage::useRepository(const QString &path)
{
    if (!context().hasStore())
        return;
    rememberPromptRepository(context().storePath(), path);
    if (!m_repoOverride.isEmpty())
        m_notice->showNotice(NoticeLabel::Kind::Info, tr("Remembered for this store; --repo %1 still applies until the "
                                                         "window closes.").arg(m_repoOverride));
    reconfigure();
}

void PromptsPage::useDeployFolder(const QString &path)
{
    if (!context().hasStore())
        return;
    rememberPromptDeployDir(context().storePath(), path);
    reconfigure();
}

bool PromptsPage::refuseWhenReadOnly()
{
    if (!context().readOnly())
        return false;
    failSwitch(tr("The store is open read-only, so this window cannot switch prompt versions: nothing was changed. "
                  "Open the store writable (or use vigilctl prompt where it is)."));
    return true;
}

void PromptsPage::failSwitch(const QString &message)
{
    m_notice->showNotice(NoticeLabel::Kind::Error, message);
    Q_EMIT switchFailed(message);
}

void PromptsPage::requestActivate(const QString &name, const QString &spec)
{
    if (name.isEmpty() || refuseWhenReadOnly())
        return;
    if (spec.isEmpty()) {
        failSwitch(tr("Select a version of %1, or type a SHA or tag, to activate it.").arg(name));
        return;
    }
    const LatestQuery::Ticket ticket = m_planQuery.next();
    m_worker->run<SwitchPlan>(
        this, ticket.cancel,
        [name = name.toStdString(), spec = spec.toStdString()](PromptSession &session, const std::atomic<bool> &cancel) {
            return planActivate(session, name, spec, cancel);
        },
        [this, generation = ticket.generation](SwitchPlan plan) {
            if (m_planQuery.accept(generation))
                openDialog(plan);
        },
        [this, name, spec, generation = ticket.generation](const PromptFailure &failure) {
            if (m_planQuery.accept(generation))
                failSwitch(tr("%1@%2 was not activated. %3").arg(name, spec, describePromptFailure(failure)));
        });
}

void PromptsPage::requestRollback(const QString &name)
{
    if (name.isEmpty() || refuseWhenReadOnly())
        return;
    const LatestQuery::Ticket ticket = m_planQuery.next();
    m_worker->run<SwitchPlan>(
        this, ticket.cancel,
        [name = name.toStdString()](PromptSession &session, const std::atomic<bool> &cancel) {
            return planRollback(session, name, cancel);
        },
        [this, generation = ticket.generation](SwitchPlan plan) {
            if (m_planQuery.accept(generation))
                openDialog(plan);
        },
        [this, name, generation = ticket.generation](const PromptFailure &failure) {
            if (m_planQuery.accept(generation))
                failSwitch(tr("%1 was not rolled back. %2").arg(name, describePromptFailure(failure)));
        });
}

QString PromptsPage::figuresFor(const SwitchPlan &plan) const
{
    const HistorySnapshot *h = m_historyModel->snapshot();
    if (!h || h->name != plan.name)
        return {};
    const auto describe = [this](const std::string &sha) -> QString {
        const VersionMetrics *m = m_historyModel->metrics(m_historyModel->rowOfSha(sha));
        if (!m)
            return {};
        if (m->requests == 0)
            return tr("%1: no requests").arg(q(sha.substr(0, 7)));
        return tr("%1: %2 requests, p95 %3, errors %4")
            .arg(q(sha.substr(0, 7)), formatCount(static_cast<long long>(m->requests)), formatMs(m->p95Ms),
                 formatPercent(m->errorRate));
    };
    QStringList parts;
    if (plan.active)
        parts << describe(plan.active->sha);
    parts << describe(plan.target.sha);
    parts.removeAll(QString());
    if (parts.isEmpty())
        return {};
    return tr("%1 — %2").arg(context().range().label(), parts.join(QStringLiteral("  ·  ")));
}

void PromptsPage::openDialog(const SwitchPlan &plan)
{
    if (m_dialog)
        m_dialog->reject();
    auto *dialog = new PromptSwitchDialog(plan, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFigures(figuresFor(plan));
    m_dialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] { runSwitch(dialog->plan(), dialog->reason()); });
    connect(dialog, &QDialog::rejected, this, [this] {
        m_notice->showNotice(NoticeLabel::Kind::Info, tr("Cancelled: nothing was switched."));
    });
    dialog->open();
    Q_EMIT switchDialogShown(dialog);
}

void PromptsPage::runSwitch(const SwitchPlan &plan, const QString &reason)
{
    const bool rollback = plan.kind == SwitchPlan::Kind::Rollback;
    m_notice->showNotice(NoticeLabel::Kind::Info, rollback ? tr("Rolling %1 back…").arg(q(plan.name))
                                                           : tr("Activating %1@%2…").arg(q(plan.name), q(plan.target.shortSha)));
    const LatestQuery::Ticket ticket = m_switchQuery.next();
    m_worker->run<SwitchResult>(
        this, ticket.cancel,
        [plan, reason = reason.toStdString()](PromptSession &session, const std::atomic<bool> &) {
            return vigil::ui::runSwitch(session, plan, reason);
        },
        [this, generation = ticket.generation](SwitchResult result) {
            if (!m_switchQuery.accept(generation))
                return;
            const PromptActivation &a = result.outcome.activation;
            const QString version = describeVersion(result.outcome.version);
            const QString was = a.previousSha ? tr(" (was %1)").arg(q(a.previousSha->substr(0, 7))) : QString();
            m_notice->showNotice(NoticeLabel::Kind::Success,
                                 (result.kind == SwitchPlan::Kind::Rollback ? tr("%1 rolled back to %2%3.") : tr("%1: %2 is active%3."))
                                         .arg(q(a.name), version, was) +
                                     tr(" Recorded by %1 as operator-log entry #%2; %3 rewritten.")
                                         .arg(q(a.by()))
                                         .arg(a.operatorLogId)
                                         .arg(q(result.outcome.manifestPath)));
            m_selectActiveNext = a.name == m_selected;
            Q_EMIT switched(q(a.name), q(a.sha));
            loadList(true);
            m_markers->reload();
        },
        [this, rollback, name = q(plan.name), generation = ticket.generation](const PromptFailure &failure) {
            if (!m_switchQuery.accept(generation))
                return;
            // The reason says whether anything was recorded (a manifest that
            // failed after the store's commit says so).
            failSwitch((rollback ? tr("The rollback of %1 did not complete. %2") : tr("The activation of %1 did not complete. %2"))
                           .arg(name, describePromptFailure(failure)));
            loadList(true);
        });
}

} // namespace vigil::ui
