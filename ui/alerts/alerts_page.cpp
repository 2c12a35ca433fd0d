#include "alerts/alerts_page.h"

#include "alerts/alert_action_dialog.h"
#include "alerts/alert_board_runner.h"
#include "alerts/alert_center.h"
#include "alerts/alert_config_source.h"
#include "alerts/alert_format.h"
#include "pages/banner.h"
#include "shell/console_context.h"
#include "util/format.h"
#include "util/theme.h"

#include "alerts/alert_evaluator.h"
#include "audit/actor.h"
#include "runbooks/runbook_library.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {

enum Column { AlertColumn, SeverityColumn, SinceColumn, ValueColumn, ThresholdColumn, StateColumn, ColumnCount };
constexpr int kKeyRole = Qt::UserRole;
constexpr int kSectionRole = Qt::UserRole + 1;
constexpr int kHistoryIdRole = Qt::UserRole + 2;
constexpr std::size_t kHistoryShown = 300;

QString sectionTitle(AlertsPage::Section section, int count)
{
    switch (section) {
    case AlertsPage::Section::Firing: return QObject::tr("Firing (%1)").arg(count);
    case AlertsPage::Section::Pending: return QObject::tr("Pending (%1)").arg(count);
    case AlertsPage::Section::Silenced: return QObject::tr("Silenced (%1)").arg(count);
    case AlertsPage::Section::Resolved: return QObject::tr("Resolved in the last 24 hours (%1)").arg(count);
    }
    return {};
}

QString sinceText(std::int64_t atMs, std::int64_t nowMs)
{
    if (atMs <= 0)
        return QStringLiteral("-");
    return QObject::tr("%1 (%2 ago)").arg(formatDateTime(atMs), formatAge(std::max<std::int64_t>(0, nowMs - atMs)));
}

} // namespace

AlertsPage::AlertsPage(AlertCenter &center, ConsoleContext &context, QWidget *parent)
    : Page(context, parent), m_center(center)
{
    setObjectName(QStringLiteral("alertsPage"));
    m_failedBanner = new QLabel(this);
    m_failedBanner->setObjectName(QStringLiteral("notificationFailedBanner"));
    m_failedBanner->setWordWrap(true);
    m_failedBanner->setTextFormat(Qt::RichText);
    m_failedBanner->setStyleSheet(QStringLiteral("QLabel { background: #c62828; color: white; font-weight: bold; "
                                                 "padding: 10px; border-radius: 3px; }"));
    m_failedBanner->hide();
    m_configBanner = new Banner(this);
    m_configBanner->setObjectName(QStringLiteral("alertConfigBanner"));
    m_errorBanner = new Banner(this);
    m_errorBanner->setObjectName(QStringLiteral("alertErrorBanner"));
    m_evaluator = new QLabel(this);
    m_evaluator->setObjectName(QStringLiteral("evaluatorStatus"));
    m_evaluator->setForegroundRole(QPalette::PlaceholderText);
    m_evaluator->setWordWrap(true);

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("alertTree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("Alert"), tr("Severity"), tr("Since"), tr("Value"), tr("Threshold"), tr("State")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_tree->setColumnWidth(AlertColumn, 340);
    m_tree->setColumnWidth(SeverityColumn, 70);
    m_tree->setColumnWidth(SinceColumn, 190);
    m_tree->setColumnWidth(ValueColumn, 80);
    m_tree->setColumnWidth(ThresholdColumn, 80);

    m_ack = new QPushButton(tr("Acknowledge…"), this);
    m_ack->setObjectName(QStringLiteral("acknowledgeButton"));
    m_silence = new QPushButton(tr("Silence…"), this);
    m_silence->setObjectName(QStringLiteral("silenceButton"));
    m_toDashboard = new QPushButton(tr("Show in dashboard"), this);
    m_toDashboard->setObjectName(QStringLiteral("showInDashboardButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_ack);
    buttons->addWidget(m_silence);
    buttons->addStretch();
    buttons->addWidget(m_toDashboard);

    m_history = new QTreeWidget(this);
    m_history->setObjectName(QStringLiteral("alertHistory"));
    m_history->setColumnCount(6);
    m_history->setHeaderLabels({tr("When"), tr("Event"), tr("Alert"), tr("Value"), tr("By"), tr("Reason")});
    m_history->setRootIsDecorated(false);
    m_history->setUniformRowHeights(true);
    m_history->setAlternatingRowColors(true);
    m_history->setColumnWidth(0, 110);
    m_history->setColumnWidth(1, 95);
    m_history->setColumnWidth(2, 340);
    m_history->setColumnWidth(3, 80);
    m_history->setColumnWidth(4, 140);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *listSplit = new QSplitter(Qt::Vertical, left);
    listSplit->addWidget(m_tree);
    auto *historyBox = new QWidget(listSplit);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 4, 0, 0);
    auto *historyTitle = new QLabel(tr("<b>Recent events</b> (state changes, acknowledgements, silences; last 24 hours)"), historyBox);
    historyLayout->addWidget(historyTitle);
    historyLayout->addWidget(m_history);
    listSplit->addWidget(historyBox);
    listSplit->setStretchFactor(0, 3);
    listSplit->setStretchFactor(1, 2);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(listSplit, 1);

    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("alertDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runbook = new QTextBrowser(this);
    m_runbook->setObjectName(QStringLiteral("runbookView"));
    m_runbook->setOpenExternalLinks(true);
    m_runbook->setPlaceholderText(tr("Select an alert to read its runbook here."));
    m_rollback = new QPushButton(this);
    m_rollback->setObjectName(QStringLiteral("rollbackPromptButton"));
    m_rollback->hide();
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_details);
    rightLayout->addWidget(m_rollback, 0, Qt::AlignLeft);
    rightLayout->addWidget(m_runbook, 1);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({880, 560}); // the runbook reads best at about 80 characters a line

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    layout->addWidget(m_failedBanner);
    layout->addWidget(m_configBanner);
    layout->addWidget(m_errorBanner);
    layout->addWidget(m_evaluator);
    layout->addWidget(split, 1);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this] {
        if (!m_filling)
            onSelection();
    });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this] { showInDashboard(); });
    connect(m_ack, &QPushButton::clicked, this, [this] { openActionDialog(false); });
    connect(m_silence, &QPushButton::clicked, this, [this] { openActionDialog(true); });
    connect(m_toDashboard, &QPushButton::clicked, this, &AlertsPage::showInDashboard);
    connect(m_rollback, &QPushButton::clicked, this, &AlertsPage::requestRollback);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QTreeWidgetItem *item = m_tree->itemAt(pos);
        if (!item)
            return;
        m_tree->setCurrentItem(item); // the menu acts on the row it was opened on
        if (QMenu *menu = contextMenuFor(item)) {
            menu->setAttribute(Qt::WA_DeleteOnClose);
            menu->popup(m_tree->viewport()->mapToGlobal(pos));
        }
    });
    connect(&center, &AlertCenter::snapshotChanged, this, &AlertsPage::show);
    connect(&center, &AlertCenter::revealRequested, this, &AlertsPage::revealAlert);
    connect(&center, &AlertCenter::evaluated, this, [this] { m_evaluator->setText(m_center.evaluatorText()); });
    connect(&center.config(), &AlertConfigSource::problemsChanged, this, &AlertsPage::showBanners);
    showBanners();
    updateButtons();
}

AlertsPage::~AlertsPage() = default;

QIcon AlertsPage::icon() const
{
    return QIcon(QStringLiteral(":/vigil/icons/alerts.svg"));
}

bool AlertsPage::isLoading() const
{
    return m_center.isLoading() || m_actionsRunning > 0;
}

void AlertsPage::refresh()
{
    m_center.refresh();
    if (!m_center.isLoading())
        refreshed();
}

void AlertsPage::show()
{
    m_shown = m_center.snapshot();
    showBanners();
    m_evaluator->setText(m_center.evaluatorText());
    if (!m_shown) {
        m_filling = true;
        m_tree->clear();
        m_history->clear();
        m_filling = false;
        if (!m_center.lastError().isEmpty())
            refreshed();
        return;
    }
    const QString selected = selectedKey();
    const QVariant selectedSection = m_tree->currentItem() ? m_tree->currentItem()->data(0, kSectionRole) : QVariant();
    m_filling = true;
    fillTree(*m_shown);
    fillHistory(*m_shown);
    // Keep the selection across refreshes (without moving the dashboard again).
    QTreeWidgetItem *again = nullptr;
    if (!selected.isEmpty()) {
        again = itemFor(static_cast<Section>(selectedSection.toInt()), selected);
        if (!again) { // it moved on (pending -> firing, firing -> silenced)
            for (Section s : {Section::Firing, Section::Pending, Section::Silenced, Section::Resolved})
                if ((again = itemFor(s, selected)))
                    break;
        }
    }
    if (again)
        m_tree->setCurrentItem(again);
    m_filling = false;
    if (again) {
        const auto section = static_cast<Section>(again->data(0, kSectionRole).toInt());
        showDetails(section == Section::Resolved ? nullptr : viewFor(section, selected),
                    section == Section::Resolved ? resolvedEntry(again->data(0, kHistoryIdRole).toLongLong()) : nullptr);
    }
    updateButtons();
    if (!m_pendingReveal.isEmpty())
        revealAlert(m_pendingReveal);
    refreshed();
}

void AlertsPage::revealAlert(const QString &key)
{
    const QString dedupKey = key; // `key` may be m_pendingReveal itself, cleared below
    m_pendingReveal = dedupKey;
    if (!m_shown)
        return;
    for (Section s : {Section::Firing, Section::Pending, Section::Silenced, Section::Resolved}) {
        if (QTreeWidgetItem *item = itemFor(s, dedupKey)) {
            m_pendingReveal.clear();
            m_tree->scrollToItem(item);
            selectAlert(s, dedupKey);
            return;
        }
    }
}

void AlertsPage::fillTree(const AlertSnapshot &s)
{
    const AlertOverview &o = s.alerts;
    QSet<int> collapsed;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (!m_tree->topLevelItem(i)->isExpanded())
            collapsed.insert(m_tree->topLevelItem(i)->data(0, kSectionRole).toInt());
    }
    m_tree->clear();
    const QPalette pal = palette();
    const bool noDestinations = m_center.config().setup().config.destinations.empty();
    const auto addSection = [&](Section section, int count) {
        auto *top = new QTreeWidgetItem(m_tree, {sectionTitle(section, count)});
        top->setData(0, kSectionRole, static_cast<int>(section));
        top->setFlags(Qt::ItemIsEnabled);
        QFont bold = top->font(0);
        bold.setBold(true);
        top->setFont(0, bold);
        top->setFirstColumnSpanned(true);
        top->setExpanded(!collapsed.contains(static_cast<int>(section)));
        return top;
    };
    const auto addView = [&](QTreeWidgetItem *top, Section section, const AlertView &v) {
        const AlertState &a = v.state;
        const std::int64_t since = a.phase == AlertPhase::Firing ? a.firingSinceMs : a.pendingSinceMs;
        QString state;
        if (v.silence)
            state = tr("silenced until %1 by %2: %3")
                        .arg(formatDateTime(v.silence->endsAtMs), QString::fromStdString(v.silence->by),
                             QString::fromStdString(v.silence->reason));
        else if (a.acknowledged)
            state = tr("acknowledged by %1").arg(actorAndTime(a.acknowledged->by, a.acknowledged->atMs));
        else
            state = a.phase == AlertPhase::Firing ? (a.triggerQueued && !noDestinations ? tr("firing, notified") : tr("firing"))
                                                  : tr("pending");
        if (section == Section::Silenced)
            state = QString::fromUtf8(alertPhaseName(a.phase).data()) + QStringLiteral(", ") + state;
        auto *item = new QTreeWidgetItem(top, {alertTitle(a.rule, a.group), severityText(a.severity),
                                               sinceText(since, o.nowMs), formatAlertValue(a.type, a.value),
                                               formatAlertValue(a.type, a.threshold), state});
        item->setData(0, kKeyRole, QString::fromStdString(a.dedupKey));
        item->setData(0, kSectionRole, static_cast<int>(section));
        item->setForeground(SeverityColumn, alertSeverityColor(a.severity, pal));
        item->setToolTip(AlertColumn, QString::fromStdString(a.summary));
        item->setToolTip(StateColumn, state);
    };
    auto *firing = addSection(Section::Firing, static_cast<int>(o.firing.size()));
    for (const AlertView &v : o.firing)
        addView(firing, Section::Firing, v);
    auto *pending = addSection(Section::Pending, static_cast<int>(o.pending.size()));
    for (const AlertView &v : o.pending)
        addView(pending, Section::Pending, v);
    auto *silenced = addSection(Section::Silenced, static_cast<int>(o.silenced.size()));
    for (const AlertView &v : o.silenced)
        addView(silenced, Section::Silenced, v);
    int resolvedCount = 0;
    for (const AlertHistoryEntry &e : o.history)
        resolvedCount += e.event == "resolved" ? 1 : 0;
    auto *resolved = addSection(Section::Resolved, resolvedCount);
    for (const AlertHistoryEntry &e : o.history) {
        if (e.event != "resolved")
            continue;
        auto *item = new QTreeWidgetItem(resolved, {alertTitle(e.rule, e.group), severityText(e.severity),
                                                    tr("resolved %1").arg(sinceText(e.atMs, o.nowMs)),
                                                    formatAlertValue(e.type, e.value), formatAlertValue(e.type, e.threshold),
                                                    tr("resolved")});
        item->setData(0, kKeyRole, QString::fromStdString(e.dedupKey));
        item->setData(0, kSectionRole, static_cast<int>(Section::Resolved));
        item->setData(0, kHistoryIdRole, QVariant::fromValue<qint64>(e.id));
        item->setToolTip(AlertColumn, QString::fromStdString(e.summary));
        item->setForeground(StateColumn, statusColors(pal).good);
    }
}

void AlertsPage::fillHistory(const AlertSnapshot &s)
{
    m_history->clear();
    QList<QTreeWidgetItem *> items;
    const QPalette pal = palette();
    for (const AlertHistoryEntry &e : s.alerts.history) {
        if (static_cast<std::size_t>(items.size()) >= kHistoryShown)
            break;
        const bool operatorEvent = !e.actor.empty();
        auto *item = new QTreeWidgetItem({formatDateTime(e.atMs), QString::fromStdString(e.event), alertTitle(e.rule, e.group),
                                          operatorEvent ? QString() : formatAlertValue(e.type, e.value),
                                          QString::fromStdString(e.actor), QString::fromStdString(e.reason)});
        item->setData(0, kKeyRole, QString::fromStdString(e.dedupKey));
        item->setToolTip(2, QString::fromStdString(e.summary));
        if (e.event == "firing")
            item->setForeground(1, alertSeverityColor(e.severity, pal));
        else if (e.event == "resolved")
            item->setForeground(1, statusColors(pal).good);
        items << item;
    }
    m_history->addTopLevelItems(items);
}

void AlertsPage::showBanners()
{
    const QStringList problems = m_center.config().problems();
    m_configBanner->setMessage(problems.isEmpty() ? QString()
                                                  : tr("The alert rules could not be read; the last good rules stay in "
                                                       "force until the file is fixed:\n%1")
                                                        .arg(problems.join(QLatin1Char('\n'))));
    m_errorBanner->setMessage(m_center.lastError().isEmpty() ? QString()
                                                             : tr("The alerts could not be read: %1").arg(m_center.lastError()));
    QString failed;
    if (m_shown && m_shown->alerts.notificationFailing) {
        QStringList lines;
        for (const DestinationHealth &d : m_shown->alerts.destinations) {
            if (!d.failingSinceMs && !d.rejectedAtMs)
                continue;
            QString line = QStringLiteral("%1: ").arg(QString::fromStdString(d.name).toHtmlEscaped());
            if (d.rejectedAtMs)
                line += tr("refused our notification (HTTP %1) at %2").arg(d.lastHttpStatus.value_or(0)).arg(formatDateTime(*d.rejectedAtMs));
            else
                line += tr("failing since %1").arg(formatDateTime(*d.failingSinceMs));
            if (!d.lastError.empty())
                line += QStringLiteral(" — ") + QString::fromStdString(d.lastError).toHtmlEscaped();
            lines << line;
        }
        failed = tr("⚠ NOTIFICATIONS ARE FAILING: pages may not reach the on-call. Every other destination has been told.")
                 + (lines.isEmpty() ? QString() : QStringLiteral("<br>") + lines.join(QStringLiteral("<br>")));
    }
    m_failedBanner->setText(failed);
    m_failedBanner->setVisible(!failed.isEmpty());
}

QString AlertsPage::failedBannerText() const
{
    return m_failedBanner->isVisibleTo(this) ? m_failedBanner->text() : QString();
}

QString AlertsPage::configBannerText() const
{
    return m_configBanner->message();
}

QStringList AlertsPage::keysIn(Section section) const
{
    QStringList keys;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        if (top->data(0, kSectionRole).toInt() != static_cast<int>(section))
            continue;
        for (int j = 0; j < top->childCount(); ++j)
            keys << top->child(j)->data(0, kKeyRole).toString();
    }
    return keys;
}

QTreeWidgetItem *AlertsPage::itemFor(Section section, const QString &dedupKey) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        if (top->data(0, kSectionRole).toInt() != static_cast<int>(section))
            continue;
        for (int j = 0; j < top->childCount(); ++j)
            if (top->child(j)->data(0, kKeyRole).toString() == dedupKey)
                return top->child(j);
    }
    return nullptr;
}

QString AlertsPage::selectedKey() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->data(0, kKeyRole).toString() : QString();
}

bool AlertsPage::selectAlert(Section section, const QString &dedupKey)
{
    QTreeWidgetItem *item = itemFor(section, dedupKey);
    if (!item)
        return false;
    if (m_tree->currentItem() == item)
        onSelection();
    else
        m_tree->setCurrentItem(item);
    return true;
}

const AlertView *AlertsPage::viewFor(Section section, const QString &dedupKey) const
{
    if (!m_shown)
        return nullptr;
    const AlertOverview &o = m_shown->alerts;
    const std::vector<AlertView> &list = section == Section::Firing ? o.firing : section == Section::Pending ? o.pending : o.silenced;
    for (const AlertView &v : list)
        if (QString::fromStdString(v.state.dedupKey) == dedupKey)
            return &v;
    return nullptr;
}

const AlertHistoryEntry *AlertsPage::resolvedEntry(std::int64_t id) const
{
    if (!m_shown)
        return nullptr;
    for (const AlertHistoryEntry &e : m_shown->alerts.history)
        if (e.id == id)
            return &e;
    return nullptr;
}

DashboardFocus AlertsPage::focusForResolved(const AlertHistoryEntry &entry) const
{
    // As AlertBoard's focus of an active alert: from well before the episode
    // began to a while after it ended, on the rule's labels and its group's.
    AlertState state;
    state.rule = entry.rule;
    state.type = entry.type;
    state.group = entry.group;
    const AlertRule rule = ruleForAlert(m_center.config().setup().config, state);
    DashboardFocus f;
    f.filter = rule.filter;
    std::int64_t began = entry.atMs;
    for (const AlertHistoryEntry &e : m_shown->alerts.history)
        if (e.dedupKey == entry.dedupKey && e.episode == entry.episode && e.atMs < began)
            began = e.atMs;
    const std::string &g = entry.group;
    std::size_t start = 0;
    while (start < g.size()) {
        const std::size_t end = std::min(g.find(',', start), g.size());
        const std::string part = g.substr(start, end - start);
        const std::size_t eq = part.find('=');
        if (eq != std::string::npos) {
            const std::string name = part.substr(0, eq), value = part.substr(eq + 1);
            if (name == "tenant")
                f.filter.tenant = value;
            else if (name == "model")
                f.filter.model = value;
            else if (name == "provider")
                f.filter.provider = value;
            else if (name == "prompt")
                f.filter.promptName = value;
        }
        start = end + 1;
    }
    const std::int64_t lead = std::max<std::int64_t>(rule.windowMs, 15 * 60'000);
    f.window = {began - 2 * lead, std::max(entry.atMs + lead, began + 60'000)};
    return f;
}

void AlertsPage::onSelection()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    const QString key = item ? item->data(0, kKeyRole).toString() : QString();
    m_focus.reset();
    if (key.isEmpty()) {
        showDetails(nullptr, nullptr);
        updateButtons();
        return;
    }
    const auto section = static_cast<Section>(item->data(0, kSectionRole).toInt());
    const AlertView *view = section == Section::Resolved ? nullptr : viewFor(section, key);
    const AlertHistoryEntry *resolved = section == Section::Resolved ? resolvedEntry(item->data(0, kHistoryIdRole).toLongLong()) : nullptr;
    showDetails(view, resolved);
    if (view)
        m_focus = view->focus;
    else if (resolved)
        m_focus = focusForResolved(*resolved);
    if (m_focus) {
        // The dashboard follows the selection, as the range bar and the filters move it.
        context().setRange(TimeRange::custom(m_focus->window.fromMs, m_focus->window.toMs));
        context().setFilter(m_focus->filter);
    }
    updateButtons();
}

void AlertsPage::showDetails(const AlertView *view, const AlertHistoryEntry *resolved)
{
    if (!view && !resolved) {
        m_details->clear();
        m_runbook->clear();
        m_runbookType.reset();
        return;
    }
    QString html;
    if (view) {
        const AlertState &a = view->state;
        html = tr("<b>%1</b> — %2<br>%3").arg(alertTitle(a.rule, a.group).toHtmlEscaped(), severityText(a.severity),
                                             QString::fromStdString(a.summary).toHtmlEscaped());
        if (!view->description.empty())
            html += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(view->description).toHtmlEscaped());
        if (a.acknowledged)
            html += tr("<br>Acknowledged by %1%2")
                        .arg(actorAndTime(a.acknowledged->by, a.acknowledged->atMs).toHtmlEscaped(),
                             a.acknowledged->reason.empty() ? QString()
                                                            : QStringLiteral(": ") + QString::fromStdString(a.acknowledged->reason).toHtmlEscaped());
        if (view->silence)
            html += tr("<br>Silenced until %1 by %2: %3")
                        .arg(formatDateTime(view->silence->endsAtMs), QString::fromStdString(view->silence->by).toHtmlEscaped(),
                             QString::fromStdString(view->silence->reason).toHtmlEscaped());
        html += tr("<br><span style='color:gray'>key %1 · runbook %2</span>")
                    .arg(QString::fromStdString(a.dedupKey).toHtmlEscaped(), QString::fromStdString(view->runbookUrl).toHtmlEscaped());
        showRunbook(a.type);
    } else {
        html = tr("<b>%1</b> — resolved at %2<br>%3")
                   .arg(alertTitle(resolved->rule, resolved->group).toHtmlEscaped(), formatDateTime(resolved->atMs),
                        QString::fromStdString(resolved->summary).toHtmlEscaped());
        showRunbook(resolved->type);
    }
    m_details->setText(html);
}

void AlertsPage::showRunbook(AlertType type)
{
    if (m_runbookType == type)
        return;
    m_runbookType = type;
    if (const std::optional<QString> page = bundledRunbook(type))
        m_runbook->setMarkdown(*page);
    else
        m_runbook->setPlainText(tr("This build has no runbook for %1.").arg(runbookFileName(type)));
}

void AlertsPage::updateButtons()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const bool alert = item && !item->data(0, kKeyRole).toString().isEmpty();
    const auto section = alert ? static_cast<Section>(item->data(0, kSectionRole).toInt()) : Section::Resolved;
    const AlertView *view = alert && section != Section::Resolved ? viewFor(section, item->data(0, kKeyRole).toString()) : nullptr;
    const bool writable = context().hasStore() && !context().readOnly();
    m_ack->setEnabled(writable && view && view->state.phase == AlertPhase::Firing && !view->state.acknowledged);
    m_silence->setEnabled(writable && alert);
    m_toDashboard->setEnabled(m_focus.has_value());
    const QString prompt = rollbackPrompt();
    m_rollback->setVisible(!prompt.isEmpty());
    if (!prompt.isEmpty()) {
        m_rollback->setText(tr("Roll back %1…").arg(prompt));
        m_rollback->setToolTip(tr("Open %1 on the Prompts page and confirm its rollback to the previously "
                                  "active version").arg(prompt));
    }
}

QString AlertsPage::rollbackPrompt() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const QString key = item ? item->data(0, kKeyRole).toString() : QString();
    if (key.isEmpty())
        return {};
    const auto section = static_cast<Section>(item->data(0, kSectionRole).toInt());
    std::string group;
    if (section == Section::Resolved) {
        const AlertHistoryEntry *entry = resolvedEntry(item->data(0, kHistoryIdRole).toLongLong());
        if (!entry || entry->type != AlertType::PromptRegression)
            return {};
        group = entry->group;
    } else {
        const AlertView *view = viewFor(section, key);
        if (!view || view->state.type != AlertType::PromptRegression)
            return {};
        group = view->state.group;
    }
    // The evaluator groups a regression by "prompt=<name>".
    for (const QString &part : QString::fromStdString(group).split(QLatin1Char(','))) {
        const QString label = part.trimmed();
        if (label.startsWith(QLatin1String("prompt=")))
            return label.mid(7);
    }
    return {};
}

void AlertsPage::requestRollback()
{
    const QString prompt = rollbackPrompt();
    if (!prompt.isEmpty())
        Q_EMIT rollbackRequested(prompt);
}

QMenu *AlertsPage::contextMenuFor(QTreeWidgetItem *item)
{
    if (!item || item != m_tree->currentItem())
        return nullptr;
    const QString prompt = rollbackPrompt();
    if (prompt.isEmpty())
        return nullptr;
    auto *menu = new QMenu(this);
    QAction *rollback = menu->addAction(tr("Roll back %1…").arg(prompt));
    rollback->setObjectName(QStringLiteral("rollbackPromptAction"));
    connect(rollback, &QAction::triggered, this, &AlertsPage::requestRollback);
    return menu;
}

void AlertsPage::showInDashboard()
{
    if (!m_focus)
        return;
    context().setRange(TimeRange::custom(m_focus->window.fromMs, m_focus->window.toMs));
    context().setFilter(m_focus->filter);
    context().requestPage(QStringLiteral("dashboard"));
}

AlertActionDialog *AlertsPage::openActionDialog(bool forSilence)
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const QString key = item ? item->data(0, kKeyRole).toString() : QString();
    if (key.isEmpty())
        return nullptr;
    if (m_dialog)
        m_dialog->close();
    const QString title = item->text(AlertColumn);
    const QString rule = title.section(QStringLiteral(" · "), 0, 0);
    auto *dialog = new AlertActionDialog(forSilence ? AlertActionDialog::Kind::Silence : AlertActionDialog::Kind::Acknowledge,
                                         title, rule, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &AlertActionDialog::submitted, this, [this, dialog, key, rule] {
        dialog->setBusy(true);
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(this, &AlertsPage::actionFinished, dialog, [dialog, once](bool ok, const QString &message) {
            QObject::disconnect(*once);
            if (ok)
                dialog->accept();
            else
                dialog->showError(message);
        });
        if (dialog->kind() == AlertActionDialog::Kind::Acknowledge)
            acknowledge(key, dialog->reason());
        else
            silence(dialog->wholeRule() ? rule : key, dialog->durationMs(), dialog->reason());
    });
    dialog->open();
    return dialog;
}

void AlertsPage::acknowledge(const QString &dedupKey, const QString &reason)
{
    ++m_actionsRunning;
    const std::int64_t now = context().nowMs();
    m_center.board().run<AlertState>(
        this,
        [key = dedupKey.toStdString(), why = reason.toStdString(), now](AlertBoard &board) {
            return board.acknowledge(key, why, currentActor(), now);
        },
        [this](AlertState state) {
            --m_actionsRunning;
            m_center.refresh();
            Q_EMIT actionFinished(true, tr("Acknowledged %1.").arg(alertTitle(state.rule, state.group)));
        },
        [this](const QString &message) {
            --m_actionsRunning;
            Q_EMIT actionFinished(false, message);
        });
}

void AlertsPage::silence(const QString &target, std::int64_t durationMs, const QString &reason)
{
    ++m_actionsRunning;
    const std::int64_t now = context().nowMs();
    m_center.board().run<Silence>(
        this,
        [t = target.toStdString(), durationMs, why = reason.toStdString(), now](AlertBoard &board) {
            return board.silence(t, durationMs, why, currentActor(), now);
        },
        [this](Silence s) {
            --m_actionsRunning;
            m_center.refresh();
            Q_EMIT actionFinished(true, tr("Silenced %1 until %2.").arg(QString::fromStdString(s.target), formatDateTime(s.endsAtMs)));
        },
        [this](const QString &message) {
            --m_actionsRunning;
            Q_EMIT actionFinished(false, message);
        });
}

} // namespace vigil::ui
