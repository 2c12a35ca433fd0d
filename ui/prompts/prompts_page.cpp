#include "prompts/prompts_page.h"

#include "prompts/activation_impact.h"
#include "prompts/notice_label.h"
#include "prompts/prompt_list_model.h"
#include "prompts/prompt_markers.h"
#include "prompts/prompt_switch_dialog.h"
#include "prompts/prompt_worker.h"
#include "prompts/side_by_side_view.h"
#include "prompts/version_history_model.h"

#include "shell/console_context.h"
#include "util/format.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace vigil::ui {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

bool sameList(const PromptListSnapshot &a, const PromptListSnapshot &b)
{
    if (a.headSha != b.headSha || a.rows.size() != b.rows.size() || a.configured != b.configured ||
        a.location.repository != b.location.repository)
        return false;
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
        const PromptRow &x = a.rows[i];
        const PromptRow &y = b.rows[i];
        if (x.name != y.name || x.versionCount != y.versionCount || x.active.has_value() != y.active.has_value() ||
            (x.active && (x.active->id != y.active->id)))
            return false;
    }
    return true;
}

} // namespace

PromptsPage::PromptsPage(ConsoleContext &context, QWidget *parent) : Page(context, parent)
{
    setObjectName(QStringLiteral("promptsPage"));
    m_worker = new PromptWorker(this);
    m_markers = new PromptMarkers(context, this);
    m_promptModel = new PromptListModel(this);
    m_historyModel = new VersionHistoryModel(this);

    m_location = new QLabel(this);
    m_location->setObjectName(QStringLiteral("promptsLocation"));
    m_location->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_location->setForegroundRole(QPalette::PlaceholderText);
    m_chooseRepoButton = new QPushButton(tr("Choose repository…"), this);
    auto *locationRow = new QHBoxLayout;
    locationRow->addWidget(m_location, 1);
    locationRow->addWidget(m_chooseRepoButton);
    m_notice = new NoticeLabel(this);
    m_notice->setObjectName(QStringLiteral("promptsNotice"));

    m_promptTable = new QTableView(this);
    m_promptTable->setObjectName(QStringLiteral("promptTable"));
    m_promptTable->setModel(m_promptModel);
    m_promptTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_promptTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_promptTable->verticalHeader()->hide();
    m_promptTable->setShowGrid(false);
    m_promptTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_promptTable->horizontalHeader()->setSectionResizeMode(PromptListModel::Name, QHeaderView::Stretch);

    m_activeLine = new QLabel(this);
    m_activeLine->setObjectName(QStringLiteral("promptActiveLine"));
    m_activeLine->setWordWrap(true);
    m_activeLine->setTextFormat(Qt::RichText);
    m_versionTable = new QTableView(this);
    m_versionTable->setObjectName(QStringLiteral("versionTable"));
    m_versionTable->setModel(m_historyModel);
    m_versionTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_versionTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_versionTable->verticalHeader()->hide();
    m_versionTable->setShowGrid(false);
    m_versionTable->setWordWrap(false);
    QHeaderView *header = m_versionTable->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(VersionHistoryModel::Subject, QHeaderView::Stretch);
    m_versionTable->setToolTip(tr("Select one version to compare it with the active one, two to compare them; "
                                  "Enter shows a version's text"));

    m_versionEdit = new QLineEdit(this);
    m_versionEdit->setObjectName(QStringLiteral("promptVersionEdit"));
    m_versionEdit->setPlaceholderText(tr("SHA or tag"));
    m_versionEdit->setMaximumWidth(160);
    m_versionEdit->setToolTip(tr("The version to activate: the selected one, or any SHA prefix (7+ hex) or tag"));
    m_activateButton = new QPushButton(tr("Activate…"), this);
    m_activateButton->setObjectName(QStringLiteral("activateButton"));
    m_rollbackButton = new QPushButton(tr("Roll back…"), this);
    m_rollbackButton->setObjectName(QStringLiteral("rollbackButton"));
    auto *actionRow = new QHBoxLayout;
    actionRow->addWidget(new QLabel(tr("Version:"), this));
    actionRow->addWidget(m_versionEdit);
    actionRow->addWidget(m_activateButton);
    actionRow->addWidget(m_rollbackButton);
    actionRow->addStretch();

    auto *historyPane = new QWidget(this);
    auto *historyLayout = new QVBoxLayout(historyPane);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(m_activeLine);
    historyLayout->addWidget(m_versionTable, 1);
    m_impact = new QLabel(this);
    m_impact->setObjectName(QStringLiteral("activationImpact"));
    m_impact->setTextFormat(Qt::RichText);
    m_impact->setWordWrap(true);
    m_impact->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_impact->hide();
    historyLayout->addWidget(m_impact);
    historyLayout->addLayout(actionRow);

    auto *top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_promptTable);
    top->addWidget(historyPane);
    top->setStretchFactor(0, 0);
    top->setStretchFactor(1, 1);
    top->setSizes({340, 1000});

    m_diffTitle = new QLabel(this);
    m_diffTitle->setObjectName(QStringLiteral("promptDiffTitle"));
    QFont bold = m_diffTitle->font();
    bold.setBold(true);
    m_diffTitle->setFont(bold);
    m_diffView = new SideBySideView(this);
    auto *diffPane = new QWidget(this);
    auto *diffLayout = new QVBoxLayout(diffPane);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->addWidget(m_diffTitle);
    diffLayout->addWidget(m_diffView, 1);

    m_vertical = new QSplitter(Qt::Vertical, this);
    m_vertical->addWidget(top);
    m_vertical->addWidget(diffPane);
    m_vertical->setStretchFactor(0, 2);
    m_vertical->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    layout->addLayout(locationRow);
    layout->addWidget(m_notice);
    layout->addWidget(m_vertical, 1);

    buildActions();

    connect(m_promptTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &PromptsPage::onPromptSelected);
    connect(m_versionTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PromptsPage::onVersionsSelected);
    connect(m_versionTable, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (const PromptVersion *v = m_historyModel->version(index.row()))
            showVersionText(q(v->sha));
    });
    connect(m_chooseRepoButton, &QPushButton::clicked, this, &PromptsPage::chooseRepository);
    connect(m_activateButton, &QPushButton::clicked, this,
            [this] { requestActivate(selectedPrompt(), m_versionEdit->text().trimmed()); });
    connect(m_versionEdit, &QLineEdit::returnPressed, m_activateButton, &QPushButton::click);
    connect(m_rollbackButton, &QPushButton::clicked, this, [this] { requestRollback(selectedPrompt()); });
    connect(&context, &ConsoleContext::storeChanged, this, &PromptsPage::reconfigure);
    connect(m_markers, &PromptMarkers::markersChanged, this, &PromptsPage::markersChanged);

    m_pollTimer.setInterval(kPollMs);
    connect(&m_pollTimer, &QTimer::timeout, this, &PromptsPage::pollRepository);
    reconfigure();
}

PromptsPage::~PromptsPage() = default;

QIcon PromptsPage::icon() const
{
    return QIcon(QStringLiteral(":/vigil/prompts/prompts.svg"));
}

bool PromptsPage::isLoading() const
{
    return m_listQuery.inFlight() || m_historyQuery.inFlight() || m_diffQuery.inFlight() || m_planQuery.inFlight() ||
           m_switchQuery.inFlight() || m_impactQuery.inFlight();
}

void PromptsPage::setRepositoryOverride(const QString &path)
{
    m_repoOverride = path;
    reconfigure();
}

void PromptsPage::setConfigFile(const QString &path)
{
    m_configFile = path;
    reconfigure();
}

void PromptsPage::reconfigure()
{
    for (LatestQuery *query : {&m_listQuery, &m_historyQuery, &m_diffQuery, &m_planQuery})
        query->cancel();
    PromptLocationInputs inputs;
    inputs.storePath = context().storePath().toStdString();
    inputs.commandLineRepo = m_repoOverride.toStdString();
    inputs.configPath = m_configFile.toStdString();
    if (context().hasStore()) {
        const ChosenPromptFolders chosen = chosenPromptFolders(context().storePath());
        inputs.chosenRepo = chosen.repository.toStdString();
        inputs.chosenDeployDir = chosen.deployDir.toStdString();
    }
    m_worker->setInputs(inputs);
    m_notice->showNotice(NoticeLabel::Kind::Info, QString());
    clearPrompts();
    m_location->setText(context().hasStore() ? tr("Looking for the prompts repository…") : tr("No store is open."));
    // A refresh asked for before the new inputs (the page's own storeChanged
    // handler runs first) was cancelled above: ask again on the new session.
    if (isVisible() && context().hasStore())
        refreshNow();
}

void PromptsPage::clearPrompts()
{
    m_promptModel->setSnapshot(nullptr);
    m_historyModel->setSnapshot(nullptr);
    m_selected.clear();
    m_diff.reset();
    m_diffTitle->clear();
    m_diffView->showMessage(QString());
    updateHeader();
    updateActions();
}

void PromptsPage::refresh()
{
    loadList(true);
}

void PromptsPage::showEvent(QShowEvent *event)
{
    const bool stale = isStale();
    Page::showEvent(event); // refreshes when stale
    if (!stale)
        pollRepository();
    m_pollTimer.start();
    updateActions();
}

void PromptsPage::hideEvent(QHideEvent *event)
{
    Page::hideEvent(event);
    m_pollTimer.stop();
    updateActions();
}

void PromptsPage::pollRepository()
{
    if (context().hasStore() && !m_listQuery.inFlight())
        loadList(false);
}

void PromptsPage::loadList(bool reloadHistory)
{
    const LatestQuery::Ticket ticket = m_listQuery.next();
    m_worker->run<std::shared_ptr<const PromptListSnapshot>>(
        this, ticket.cancel,
        [](PromptSession &session, const std::atomic<bool> &) {
            return std::make_shared<const PromptListSnapshot>(loadPromptList(session));
        },
        [this, reloadHistory, generation = ticket.generation](std::shared_ptr<const PromptListSnapshot> snapshot) {
            if (m_listQuery.accept(generation))
                applyList(std::move(snapshot), reloadHistory);
        },
        [this, generation = ticket.generation](const PromptFailure &failure) {
            if (!m_listQuery.accept(generation))
                return;
            clearPrompts();
            m_notice->showNotice(NoticeLabel::Kind::Error, describePromptFailure(failure));
            refreshed();
        });
}

void PromptsPage::applyList(std::shared_ptr<const PromptListSnapshot> snapshot, bool reloadHistory)
{
    const PromptLocation &where = snapshot->location;
    QString location = where.repository.empty()
                           ? tr("No prompts repository")
                           : tr("Repository <b>%1</b> (%2) · folder %3 · deploy folder %4")
                                 .arg(q(where.repository).toHtmlEscaped(), where.repositorySource, q(where.folder).toHtmlEscaped(),
                                      where.deployDir.empty() ? tr("<i>none configured</i>")
                                                              : QStringLiteral("%1 (%2)").arg(q(where.deployDir).toHtmlEscaped(),
                                                                                              where.deploySource));
    m_location->setText(location);
    m_location->setToolTip(where.configProblem.isEmpty() ? QString() : tr("vigil.toml was not read: %1").arg(where.configProblem));

    if (!snapshot->configured) {
        clearPrompts();
        m_promptModel->setSnapshot(snapshot);
        m_notice->showNotice(NoticeLabel::Kind::Info,
                             tr("No prompts repository is configured for this store. Choose one (Prompts ▸ Choose prompts "
                                "repository…), set [prompts] repo in vigil.toml, or start with --repo PATH."));
        m_diffView->showMessage(tr("Prompt versions appear here once a repository is chosen."));
        refreshed();
        return;
    }
    if (!snapshot->repositoryError.empty()) {
        clearPrompts();
        m_repositoryUnreadable = true;
        m_notice->showNotice(NoticeLabel::Kind::Error,
                             tr("The prompts repository cannot be read: %1").arg(q(snapshot->repositoryError)));
        m_diffView->showMessage(tr("Choose a readable prompts repository: Prompts ▸ Choose prompts repository…"));
        refreshed();
        return;
    }
    if (m_repositoryUnreadable) {
        m_repositoryUnreadable = false; // readable again
        m_notice->showNotice(NoticeLabel::Kind::Info, QString());
    }
    if (!snapshot->problems.empty() && !m_notice->isVisibleTo(this))
        m_notice->showNotice(NoticeLabel::Kind::Info, q(snapshot->problems.front()));

    const PromptListSnapshot *old = m_promptModel->snapshot();
    const bool changed = !old || !sameList(*old, *snapshot);
    if (changed) {
        std::string want = !m_wantedSelection.empty() ? m_wantedSelection : m_selected;
        if (want.empty()) {
            // Open on the prompt switched last: at 2am, the likeliest suspect.
            const PromptRow *latest = nullptr;
            for (const PromptRow &row : snapshot->rows) {
                if (row.active && (!latest || row.active->activatedAtMs > latest->active->activatedAtMs))
                    latest = &row;
            }
            if (latest)
                want = latest->name;
            else if (!snapshot->rows.empty())
                want = snapshot->rows.front().name;
        }
        const QSignalBlocker block(m_promptTable->selectionModel());
        m_promptModel->setSnapshot(std::move(snapshot));
        const int row = m_promptModel->rowOf(want);
        if (row >= 0) {
            m_promptTable->selectRow(row);
            m_promptTable->setCurrentIndex(m_promptModel->index(row, 0));
        }
        m_wantedSelection.clear();
        const std::string shown = row >= 0 ? want : std::string();
        if (shown != m_selected) {
            m_selected = shown;
            m_historyModel->setSnapshot(nullptr);
            m_diff.reset();
        }
    }
    if (changed || reloadHistory)
        loadHistory();
    updateActions();
}

void PromptsPage::onPromptSelected()
{
    const PromptRow *row = m_promptModel->row(m_promptTable->currentIndex().row());
    const std::string name = row ? row->name : std::string();
    if (name == m_selected)
        return;
    m_selected = name;
    m_historyModel->setSnapshot(nullptr);
    m_diff.reset();
    m_diffTitle->clear();
    m_diffView->showMessage(QString());
    m_versionEdit->clear();
    updateHeader();
    loadHistory();
}

void PromptsPage::selectPrompt(const QString &name)
{
    const int row = m_promptModel->rowOf(name.toStdString());
    if (row < 0) {
        m_wantedSelection = name.toStdString(); // once the list arrives
        return;
    }
    m_promptTable->selectRow(row);
    m_promptTable->setCurrentIndex(m_promptModel->index(row, 0));
}

QString PromptsPage::selectedPrompt() const
{
    return q(m_selected);
}

void PromptsPage::loadHistory()
{
    if (m_selected.empty()) {
        m_historyQuery.cancel();
        m_historyModel->setSnapshot(nullptr);
        updateHeader();
        updateActions();
        refreshed();
        return;
    }
    const TimeWindow window = context().range().resolve(context().nowMs());
    const LatestQuery::Ticket ticket = m_historyQuery.next();
    m_worker->run<std::shared_ptr<const HistorySnapshot>>(
        this, ticket.cancel,
        [name = m_selected, window](PromptSession &session, const std::atomic<bool> &cancel) {
            return std::make_shared<const HistorySnapshot>(vigil::ui::loadHistory(session, name, window, cancel));
        },
        [this, generation = ticket.generation](std::shared_ptr<const HistorySnapshot> snapshot) {
            if (m_historyQuery.accept(generation))
                applyHistory(std::move(snapshot));
        },
        [this, name = m_selected, generation = ticket.generation](const PromptFailure &failure) {
            if (!m_historyQuery.accept(generation))
                return;
            m_notice->showNotice(NoticeLabel::Kind::Error,
                                 tr("The history of %1 could not be read. %2").arg(q(name), describePromptFailure(failure)));
            refreshed();
        });
}

void PromptsPage::applyHistory(std::shared_ptr<const HistorySnapshot> snapshot)
{
    if (snapshot->name != m_selected)
        return;
    QStringList keep;
    for (const QModelIndex &index : m_versionTable->selectionModel()->selectedRows())
        keep << index.data(VersionHistoryModel::kShaRole).toString();
    {
        const QSignalBlocker block(m_versionTable->selectionModel());
        m_historyModel->setSnapshot(std::move(snapshot));
    }
    updateHeader();
    updateActions();
    if (std::exchange(m_selectActiveNext, false))
        keep.clear(); // after a switch: show what is active now against what it replaced
    if (keep.isEmpty()) {
        // Nothing chosen yet: the active version (against what it replaced).
        const HistorySnapshot *h = m_historyModel->snapshot();
        const int row = h->active ? m_historyModel->rowOfSha(h->active->sha) : (h->versions.empty() ? -1 : 0);
        if (row >= 0)
            keep << q(h->versions[static_cast<std::size_t>(row)].sha);
    }
    selectVersions(keep);
    loadImpact(*m_historyModel->snapshot());
    refreshed();
}

void PromptsPage::loadImpact(const HistorySnapshot &history)
{
    if (history.activations.empty()) {
        m_impactQuery.cancel();
        m_impact->clear();
        m_impact->hide();
        return;
    }
    const PromptActivation latest = history.activations.back();
    const std::int64_t now = context().nowMs();
    const LatestQuery::Ticket ticket = m_impactQuery.next();
    m_worker->run<std::shared_ptr<const ActivationImpact>>(
        this, ticket.cancel,
        [latest, now](PromptSession &session, const std::atomic<bool> &) {
            return std::make_shared<const ActivationImpact>(
                loadActivationImpact(session.storePath(), latest, kImpactMinutes, now));
        },
        [this, generation = ticket.generation](std::shared_ptr<const ActivationImpact> impact) {
            if (!m_impactQuery.accept(generation))
                return;
            m_impact->setText(describeImpact(*impact, palette()));
            m_impact->show();
        },
        [this, generation = ticket.generation](const PromptFailure &failure) {
            if (!m_impactQuery.accept(generation))
                return;
            m_impact->setText(tr("The minutes around the activation could not be read. %1").arg(describePromptFailure(failure)));
            m_impact->show();
        });
}

QString PromptsPage::impactText() const
{
    return m_impact->isVisible() || !m_impact->text().isEmpty() ? m_impact->text() : QString();
}

void PromptsPage::selectVersions(const QStringList &shas)
{
    QItemSelection selection;
    for (const QString &sha : shas) {
        const int row = m_historyModel->rowOfSha(sha.toStdString());
        if (row >= 0)
            selection.select(m_historyModel->index(row, 0), m_historyModel->index(row, VersionHistoryModel::ColumnCount - 1));
    }
    QItemSelectionModel *model = m_versionTable->selectionModel();
    {
        const QSignalBlocker block(model);
        model->select(selection, QItemSelectionModel::ClearAndSelect);
        if (!selection.isEmpty())
            model->setCurrentIndex(selection.indexes().constFirst(), QItemSelectionModel::NoUpdate);
    }
    m_versionTable->viewport()->update();
    onVersionsSelected(); // also when the selection stayed the same: the history may have moved
}

void PromptsPage::onVersionsSelected()
{
    std::vector<int> rows;
    for (const QModelIndex &index : m_versionTable->selectionModel()->selectedRows()) {
        if (m_historyModel->version(index.row()))
            rows.push_back(index.row());
    }
    std::sort(rows.begin(), rows.end());
    const HistorySnapshot *h = m_historyModel->snapshot();
    if (rows.empty() || !h)
        return;
    const PromptVersion &newest = *m_historyModel->version(rows.front());
    m_versionEdit->setText(q(newest.shortSha));
    if (rows.size() >= 2) {
        loadDiff(m_historyModel->version(rows.back())->sha, newest.sha); // older -> newer
        return;
    }
    if (h->active && h->active->sha != newest.sha) {
        loadDiff(h->active->sha, newest.sha);
        return;
    }
    // The active version: against the one it replaced (after a rollback, the
    // version rolled back from), else the version before it in git.
    if (h->active && h->active->previousSha && m_historyModel->rowOfSha(*h->active->previousSha) >= 0) {
        loadDiff(*h->active->previousSha, newest.sha);
        return;
    }
    const PromptVersion *before = m_historyModel->version(rows.front() + 1);
    loadDiff(before ? before->sha : std::string(), newest.sha);
}

void PromptsPage::loadDiff(const std::string &oldSha, const std::string &newSha)
{
    const HistorySnapshot *history = m_historyModel->snapshot();
    const std::string activeNow = history && history->active ? history->active->sha : std::string();
    if (m_diff && m_diffView->isDiff() && m_diff->name == m_selected && m_diff->oldVersion.sha == oldSha &&
        m_diff->newVersion.sha == newSha && m_diffActiveSha == activeNow)
        return; // already shown, with the same "(active)" label
    const LatestQuery::Ticket ticket = m_diffQuery.next();
    m_worker->run<std::shared_ptr<const DiffSnapshot>>(
        this, ticket.cancel,
        [name = m_selected, oldSha, newSha](PromptSession &session, const std::atomic<bool> &cancel) {
            return std::make_shared<const DiffSnapshot>(vigil::ui::loadDiff(session, name, oldSha, newSha, cancel));
        },
        [this, generation = ticket.generation](std::shared_ptr<const DiffSnapshot> diff) {
            if (!m_diffQuery.accept(generation) || diff->name != m_selected)
                return;
            m_diff = diff;
            const HistorySnapshot *h = m_historyModel->snapshot();
            m_diffActiveSha = h && h->active ? h->active->sha : std::string();
            const auto label = [h](const PromptVersion &v) {
                if (v.sha.empty())
                    return tr("(empty)");
                QString text = q(v.shortSha);
                if (h && h->active && h->active->sha == v.sha)
                    text += tr(" (active)");
                return text;
            };
            const QString oldLabel = label(diff->oldVersion);
            const QString newLabel = label(diff->newVersion);
            m_diffTitle->setText(diff->identical ? tr("%1: %2 → %3 · the same text").arg(q(diff->name), oldLabel, newLabel)
                                                 : tr("%1: %2 → %3 · +%4 −%5 lines")
                                                       .arg(q(diff->name), oldLabel, newLabel)
                                                       .arg(diff->added)
                                                       .arg(diff->removed));
            m_diffView->showDiff(oldLabel, newLabel, diff->rows);
        },
        [this, generation = ticket.generation](const PromptFailure &failure) {
            if (m_diffQuery.accept(generation))
                m_diffView->showMessage(describePromptFailure(failure));
        });
}

void PromptsPage::showVersionText(const QString &sha)
{
    const LatestQuery::Ticket ticket = m_diffQuery.next();
    m_worker->run<std::string>(
        this, ticket.cancel,
        [name = m_selected, sha = sha.toStdString()](PromptSession &session, const std::atomic<bool> &) {
            return session.registry().content(name, sha);
        },
        [this, sha, generation = ticket.generation](std::string text) {
            if (!m_diffQuery.accept(generation))
                return;
            const QString title = QStringLiteral("%1@%2").arg(q(m_selected), sha.left(7));
            m_diffTitle->setText(tr("%1 · the whole text").arg(title));
            m_diffView->showText(title, text);
        },
        [this, generation = ticket.generation](const PromptFailure &failure) {
            if (m_diffQuery.accept(generation))
                m_diffView->showMessage(describePromptFailure(failure));
        });
}

PromptSwitchDialog *PromptsPage::switchDialog() const
{
    return m_dialog;
}

QString PromptsPage::diffTitle() const
{
    return m_diffTitle->text();
}

QString PromptsPage::noticeText() const
{
    return m_notice->isVisibleTo(this) ? m_notice->text() : QString();
}

bool PromptsPage::noticeIsError() const
{
    return m_notice->isVisibleTo(this) && m_notice->kind() == NoticeLabel::Kind::Error;
}

QString PromptsPage::activeLine() const
{
    return m_activeLine->text();
}

QString PromptsPage::locationLine() const
{
    return m_location->text();
}

void PromptsPage::updateHeader()
{
    const HistorySnapshot *h = m_historyModel->snapshot();
    if (!h) {
        m_activeLine->setText(m_selected.empty() ? QString() : tr("<b>%1</b> · loading…").arg(q(m_selected).toHtmlEscaped()));
        return;
    }
    QString text = tr("<b>%1</b> · ").arg(q(h->name).toHtmlEscaped());
    if (h->active) {
        const PromptActivation &a = *h->active;
        const int row = m_historyModel->rowOfSha(a.sha);
        const QString subject = row >= 0 ? q(h->versions[static_cast<std::size_t>(row)].subject) : QString();
        text += tr("active: <b>%1</b> %2 since %3 by %4")
                    .arg(q(a.sha.substr(0, 7)), subject.isEmpty() ? QString() : QStringLiteral("“%1”").arg(subject.toHtmlEscaped()),
                         formatDateTime(a.activatedAtMs), q(a.by()).toHtmlEscaped());
        if (a.kind == "rollback")
            text += tr(" (a rollback)");
        if (a.reason)
            text += tr(" — why: “%1”").arg(q(*a.reason).toHtmlEscaped());
    } else {
        text += tr("no version activated through Vigil yet");
    }
    // Which version the records say is serving: the one seen last in the range.
    const VersionMetrics *serving = nullptr;
    for (const VersionMetrics &m : h->metrics) {
        if (m.requests > 0 && m.lastSeenMs && (!serving || *m.lastSeenMs > *serving->lastSeenMs))
            serving = &m;
    }
    if (serving) {
        const QString shortSha = q(serving->sha.substr(0, std::min<std::size_t>(serving->sha.size(), serving->known ? 7 : 40)));
        text += tr("<br>Serving in the records: <b>%1</b> (last request %2)").arg(shortSha.toHtmlEscaped(), formatDateTime(*serving->lastSeenMs));
        if (h->active && serving->known && serving->sha != h->active->sha)
            text += tr(" — <b>not the active version</b>: the service has not picked up the switch yet, or runs its own copy");
    } else {
        text += tr("<br>No requests stamped with a version of this prompt in the chosen range.");
    }
    m_activeLine->setText(text);
}

void PromptsPage::updateActions()
{
    const HistorySnapshot *h = m_historyModel->snapshot();
    const bool prompt = !m_selected.empty();
    m_activateButton->setEnabled(prompt);
    m_versionEdit->setEnabled(prompt);
    m_activateAction->setEnabled(prompt && isVisible());
    const bool canRollBack = prompt && h && h->rollbackTarget;
    m_rollbackButton->setEnabled(canRollBack);
    m_rollbackAction->setEnabled(canRollBack && isVisible());
    if (canRollBack)
        m_rollbackButton->setToolTip(tr("Make %1, the previously active version, active again (%2)")
                                         .arg(q(h->rollbackTarget->substr(0, 7)),
                                              m_rollbackAction->shortcut().toString(QKeySequence::NativeText)));
    else
        m_rollbackButton->setToolTip(h && h->active ? tr("Nothing to roll back to: %1 is the first version activated "
                                                         "through Vigil (activate an older one)")
                                                          .arg(q(h->active->sha.substr(0, 7)))
                                                    : tr("Nothing to roll back to: no version was activated yet"));
}

} // namespace vigil::ui
