#include "costs/costs_page.h"

#include "alerts/alert_board_runner.h"
#include "alerts/alert_center.h"
#include "costs/cap_bar.h"
#include "costs/cap_edit_dialog.h"
#include "pages/banner.h"
#include "shell/console_context.h"
#include "util/format.h"
#include "util/theme.h"

#include "alerts/cost_caps.h"
#include "audit/actor.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vigil::ui {

namespace {

enum CapColumn { CapNameColumn, CapUsdColumn, CapReviewedColumn, CapOriginColumn, CapReviewColumn, CapColumnCount };
constexpr int kScopeRole = Qt::UserRole;
constexpr int kTenantRole = Qt::UserRole + 1;

QString ofCap(double spent, const std::optional<EffectiveCap> &cap)
{
    if (!cap)
        return QObject::tr("%1 · no cap").arg(formatUsd(spent));
    return QObject::tr("%1 of %2 (%3)").arg(formatUsd(spent), formatUsd(cap->usd), formatPercent(cap->usd > 0 ? spent / cap->usd : 0));
}

} // namespace

CostsPage::CostsPage(AlertCenter &center, ConsoleContext &context, QWidget *parent)
    : Page(context, parent), m_center(center)
{
    setObjectName(QStringLiteral("costsPage"));
    m_banner = new Banner(this);
    m_heading = new QLabel(this);
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);

    auto *dailyBox = new QGroupBox(tr("Today, all tenants, against the daily ceiling"), this);
    m_dailyBar = new CapBar(dailyBox);
    m_dailyBar->setObjectName(QStringLiteral("dailyBar"));
    m_dailyBar->setFixedHeight(28);
    m_daily = new QLabel(dailyBox);
    m_daily->setObjectName(QStringLiteral("dailyText"));
    QFont big = m_daily->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_daily->setFont(big);
    m_projection = new QLabel(dailyBox);
    m_projection->setObjectName(QStringLiteral("projectionText"));
    m_projection->setWordWrap(true);
    auto *editDaily = new QPushButton(tr("Edit daily cap…"), dailyBox);
    editDaily->setObjectName(QStringLiteral("editDailyCap"));
    auto *dailyTop = new QHBoxLayout;
    dailyTop->addWidget(m_daily);
    dailyTop->addStretch();
    dailyTop->addWidget(editDaily);
    auto *dailyLayout = new QVBoxLayout(dailyBox);
    dailyLayout->addLayout(dailyTop);
    dailyLayout->addWidget(m_dailyBar);
    dailyLayout->addWidget(m_projection);

    auto *tenantsGroup = new QGroupBox(tr("Each tenant today against its cap"), this);
    m_tenantsBox = new QWidget;
    m_tenantGrid = new QGridLayout(m_tenantsBox);
    m_tenantGrid->setColumnStretch(1, 1);
    m_tenantGrid->setHorizontalSpacing(12);
    auto *scroll = new QScrollArea(tenantsGroup);
    scroll->setWidget(m_tenantsBox);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *legend = new QLabel(tr("Bars turn amber at the warning share and red at the cap · dotted line: warning share · "
                                 "solid line: the cap · ◇ projected end of day at the last hour's rate"),
                              tenantsGroup);
    legend->setForegroundRole(QPalette::PlaceholderText);
    legend->setWordWrap(true);
    auto *tenantsLayout = new QVBoxLayout(tenantsGroup);
    tenantsLayout->addWidget(scroll, 1);
    tenantsLayout->addWidget(legend);

    auto *capsGroup = new QGroupBox(tr("Caps"), this);
    m_caps = new QTableWidget(0, CapColumnCount, capsGroup);
    m_caps->setObjectName(QStringLiteral("capsTable"));
    m_caps->setHorizontalHeaderLabels({tr("Cap"), tr("USD per day"), tr("Reviewed on"), tr("Set in"), tr("Review")});
    m_caps->verticalHeader()->hide();
    m_caps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_caps->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_caps->setSelectionMode(QAbstractItemView::SingleSelection);
    m_caps->setAlternatingRowColors(true);
    m_caps->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_caps->horizontalHeader()->setSectionResizeMode(CapOriginColumn, QHeaderView::Stretch);
    m_reviews = new QLabel(capsGroup);
    m_reviews->setObjectName(QStringLiteral("reviewsOverdue"));
    m_reviews->setWordWrap(true);
    m_edit = new QPushButton(tr("Edit…"), capsGroup);
    m_edit->setObjectName(QStringLiteral("editCap"));
    m_add = new QPushButton(tr("Add a tenant cap…"), capsGroup);
    m_add->setObjectName(QStringLiteral("addTenantCap"));
    m_reset = new QPushButton(tr("Back to the config's value"), capsGroup);
    m_reset->setObjectName(QStringLiteral("resetCap"));
    auto *capButtons = new QHBoxLayout;
    capButtons->addWidget(m_edit);
    capButtons->addWidget(m_add);
    capButtons->addWidget(m_reset);
    capButtons->addStretch();
    auto *capsLayout = new QVBoxLayout(capsGroup);
    capsLayout->addWidget(m_caps, 1);
    capsLayout->addWidget(m_reviews);
    capsLayout->addLayout(capButtons);

    auto *lower = new QHBoxLayout;
    lower->addWidget(tenantsGroup, 3);
    lower->addWidget(capsGroup, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(8);
    layout->addWidget(m_banner);
    layout->addWidget(m_heading);
    layout->addWidget(dailyBox);
    layout->addLayout(lower, 1);

    connect(editDaily, &QPushButton::clicked, this, [this] { openCapEditor(CapScope::Daily, {}); });
    connect(m_add, &QPushButton::clicked, this, [this] { openCapEditor(CapScope::Tenant, {}); });
    const auto selected = [this]() -> std::optional<std::pair<CapScope, QString>> {
        const int row = m_caps->currentRow();
        if (row < 0 || !m_caps->item(row, 0))
            return std::nullopt;
        const QTableWidgetItem *item = m_caps->item(row, 0);
        return std::make_pair(static_cast<CapScope>(item->data(kScopeRole).toInt()), item->data(kTenantRole).toString());
    };
    connect(m_edit, &QPushButton::clicked, this, [this, selected] {
        if (const auto s = selected())
            openCapEditor(s->first, s->second);
    });
    connect(m_caps, &QTableWidget::cellDoubleClicked, this, [this, selected] {
        if (const auto s = selected())
            openCapEditor(s->first, s->second);
    });
    connect(m_reset, &QPushButton::clicked, this, [this, selected] {
        if (const auto s = selected())
            resetCap(s->first, s->second);
    });
    connect(m_caps, &QTableWidget::currentCellChanged, this, [this] {
        const int row = m_caps->currentRow();
        m_edit->setEnabled(row >= 0);
        m_reset->setEnabled(row >= 0 && m_caps->item(row, CapOriginColumn) &&
                            m_caps->item(row, CapOriginColumn)->data(Qt::UserRole).toBool());
    });
    connect(&center, &AlertCenter::snapshotChanged, this, &CostsPage::show);
    m_edit->setEnabled(false);
    m_reset->setEnabled(false);
}

CostsPage::~CostsPage() = default;

QIcon CostsPage::icon() const
{
    return QIcon(QStringLiteral(":/vigil/icons/costs.svg"));
}

bool CostsPage::isLoading() const
{
    return m_center.isLoading() || m_saving > 0;
}

void CostsPage::refresh()
{
    m_center.refresh();
}

void CostsPage::show()
{
    m_shown = m_center.snapshot();
    m_banner->setMessage(m_center.lastError().isEmpty() ? QString()
                                                        : tr("The spend could not be read: %1").arg(m_center.lastError()));
    if (!m_shown) {
        if (!m_center.lastError().isEmpty())
            refreshed();
        return;
    }
    const SpendToday &s = m_shown->costs.spend;
    const EffectiveCaps &caps = m_shown->costs.caps;
    m_heading->setText(tr("Spend today · %1 in %2 (%3 so far) · warning at %4 of a cap")
                           .arg(QDateTime::fromMSecsSinceEpoch(s.day.fromMs, caps.zone).toString(QStringLiteral("ddd MMM d")),
                                QString::fromStdString(caps.timeZoneName), formatAge(s.nowMs - s.day.fromMs),
                                QString::number(caps.warnShare * 100, 'g', 3) + QLatin1Char('%')));
    m_dailyBar->setValues(s.totalUsd, s.dailyCap ? std::optional<double>(s.dailyCap->usd) : std::nullopt, s.warnShare,
                          s.projectedUsd);
    m_daily->setText(s.dailyCap ? tr("%1 of the %2 daily ceiling (%3)")
                                      .arg(formatUsd(s.totalUsd), formatUsd(s.dailyCap->usd),
                                           formatPercent(s.dailyCap->usd > 0 ? s.totalUsd / s.dailyCap->usd : 0))
                                : tr("%1 today · no daily ceiling set").arg(formatUsd(s.totalUsd)));
    QPalette p = m_daily->palette();
    p.setColor(QPalette::WindowText, s.dailyLevel == CapLevel::Ok ? palette().color(QPalette::WindowText) : m_dailyBar->fillColor());
    m_daily->setPalette(p);
    QString projection = tr("Projected by the end of the day at the last hour's rate: <b>%1</b>").arg(formatUsd(s.projectedUsd));
    if (s.dailyCap && s.projectedUsd >= s.dailyCap->usd && s.totalUsd < s.dailyCap->usd)
        projection += tr(" — <b>over the daily ceiling</b> before the day ends");
    else if (s.dailyCap)
        projection += tr(" (%1 of the ceiling)").arg(formatPercent(s.dailyCap->usd > 0 ? s.projectedUsd / s.dailyCap->usd : 0));
    m_projection->setText(projection);
    showTenants(*m_shown);
    showCaps(*m_shown);
    refreshed();
}

void CostsPage::showTenants(const AlertSnapshot &snapshot)
{
    const SpendToday &s = snapshot.costs.spend;
    while (QLayoutItem *item = m_tenantGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_tenantBars.clear();
    int row = 0;
    for (const TenantSpend &t : s.tenants) {
        const QString name = QString::fromStdString(t.tenant);
        auto *label = new QLabel(name, m_tenantsBox);
        auto *bar = new CapBar(m_tenantsBox);
        bar->setObjectName(QStringLiteral("tenantBar:") + name);
        bar->setValues(t.spentUsd, t.cap ? std::optional<double>(t.cap->usd) : std::nullopt, s.warnShare, t.projectedUsd);
        auto *figures = new QLabel(ofCap(t.spentUsd, t.cap), m_tenantsBox);
        if (t.level != CapLevel::Ok) {
            QPalette p = figures->palette();
            p.setColor(QPalette::WindowText, bar->fillColor());
            figures->setPalette(p);
            QFont bold = figures->font();
            bold.setBold(true);
            figures->setFont(bold);
        }
        auto *projected = new QLabel(tr("→ %1").arg(formatUsd(t.projectedUsd)), m_tenantsBox);
        projected->setToolTip(tr("Projected by the end of the day at the last hour's rate"));
        projected->setForegroundRole(QPalette::PlaceholderText);
        auto *edit = new QPushButton(tr("Cap…"), m_tenantsBox);
        edit->setToolTip(tr("Set %1's own cap").arg(name));
        connect(edit, &QPushButton::clicked, this, [this, name] { openCapEditor(CapScope::Tenant, name); });
        m_tenantGrid->addWidget(label, row, 0);
        m_tenantGrid->addWidget(bar, row, 1);
        m_tenantGrid->addWidget(figures, row, 2);
        m_tenantGrid->addWidget(projected, row, 3);
        m_tenantGrid->addWidget(edit, row, 4);
        m_tenantBars[name] = bar;
        ++row;
    }
    if (row == 0)
        m_tenantGrid->addWidget(new QLabel(tr("No spend today yet."), m_tenantsBox), 0, 0, 1, 5);
    m_tenantGrid->setRowStretch(row + 1, 1);
}

void CostsPage::showCaps(const AlertSnapshot &snapshot)
{
    const EffectiveCaps &caps = snapshot.costs.caps;
    const QDate today = costDate(snapshot.costs.spend.nowMs, caps.zone);
    const int current = m_caps->currentRow();
    m_caps->setRowCount(0);
    const StatusColors colours = statusColors(palette());
    const auto add = [&](CapScope scope, const QString &tenant, const EffectiveCap &cap) {
        const int row = m_caps->rowCount();
        m_caps->insertRow(row);
        auto *name = new QTableWidgetItem(capScopeTitle(scope, tenant));
        name->setData(kScopeRole, static_cast<int>(scope));
        name->setData(kTenantRole, tenant);
        m_caps->setItem(row, CapNameColumn, name);
        auto *usd = new QTableWidgetItem(formatUsd(cap.usd));
        usd->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_caps->setItem(row, CapUsdColumn, usd);
        m_caps->setItem(row, CapReviewedColumn,
                        new QTableWidgetItem(cap.reviewedOn ? cap.reviewedOn->toString(Qt::ISODate) : tr("never")));
        // "/etc/vigil/vigil.toml:14" reads as "vigil.toml:14"; the tooltip has it all.
        QString where = QString::fromStdString(cap.origin);
        if (!cap.fromStore && where.contains(QLatin1Char('/')))
            where = where.section(QLatin1Char('/'), -1);
        auto *origin = new QTableWidgetItem(where);
        origin->setToolTip(QString::fromStdString(cap.origin));
        origin->setData(Qt::UserRole, cap.fromStore);
        m_caps->setItem(row, CapOriginColumn, origin);
        const bool overdue = cap.reviewOverdue(today);
        auto *review = new QTableWidgetItem(overdue ? tr("review overdue") : tr("ok"));
        review->setForeground(overdue ? colours.bad : colours.good);
        if (overdue) {
            QFont bold = review->font();
            bold.setBold(true);
            review->setFont(bold);
            review->setToolTip(tr("Reviewed more than %1 days ago: check the cap still fits.").arg(kCapReviewDays));
        }
        m_caps->setItem(row, CapReviewColumn, review);
    };
    if (caps.daily)
        add(CapScope::Daily, {}, *caps.daily);
    if (caps.tenantDefault)
        add(CapScope::TenantDefault, {}, *caps.tenantDefault);
    for (const auto &[tenant, cap] : caps.tenants)
        add(CapScope::Tenant, QString::fromStdString(tenant), cap);
    if (current >= 0 && current < m_caps->rowCount())
        m_caps->setCurrentCell(current, 0);
    QStringList lines;
    for (const ConfigProblem &p : snapshot.costs.reviewsOverdue)
        lines << QString::fromStdString(p.text()).toHtmlEscaped();
    m_reviews->setText(lines.isEmpty() ? QString()
                                       : QStringLiteral("<span style='color:%1'><b>%2</b><br>%3</span>")
                                             .arg(colours.bad.name(), tr("Review overdue:"), lines.join(QStringLiteral("<br>"))));
    m_reviews->setVisible(!lines.isEmpty());
}

CapBar *CostsPage::tenantBar(const QString &tenant) const
{
    const auto it = m_tenantBars.find(tenant);
    return it == m_tenantBars.end() ? nullptr : it->second;
}

QStringList CostsPage::tenantsShown() const
{
    QStringList out;
    if (m_shown)
        for (const TenantSpend &t : m_shown->costs.spend.tenants)
            out << QString::fromStdString(t.tenant);
    return out;
}

QString CostsPage::dailyText() const
{
    return m_daily->text();
}

QString CostsPage::projectionText() const
{
    return m_projection->text();
}

QString CostsPage::reviewText() const
{
    return m_reviews->isVisibleTo(this) ? m_reviews->text() : QString();
}

std::optional<double> CostsPage::currentCap(CapScope scope, const QString &tenant) const
{
    if (!m_shown)
        return std::nullopt;
    const EffectiveCaps &caps = m_shown->costs.caps;
    std::optional<EffectiveCap> cap;
    if (scope == CapScope::Daily)
        cap = caps.daily;
    else if (scope == CapScope::TenantDefault)
        cap = caps.tenantDefault;
    else if (!tenant.isEmpty())
        cap = caps.capFor(tenant.toStdString());
    return cap ? std::optional<double>(cap->usd) : std::nullopt;
}

CapEditDialog *CostsPage::openCapEditor(CapScope scope, const QString &tenant)
{
    if (!context().hasStore() || context().readOnly())
        return nullptr;
    if (m_dialog)
        m_dialog->close();
    const std::int64_t now = context().nowMs();
    const QDate today = m_shown ? costDate(now, m_shown->costs.caps.zone) : QDateTime::fromMSecsSinceEpoch(now, QTimeZone::utc()).date();
    auto *dialog = new CapEditDialog(scope, tenant, currentCap(scope, tenant), today, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_dialog = dialog;
    connect(dialog, &CapEditDialog::submitted, this, [this, dialog] {
        dialog->setBusy(true);
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(this, &CostsPage::capSaved, dialog, [dialog, once](bool ok, const QString &message) {
            QObject::disconnect(*once);
            if (ok)
                dialog->accept();
            else
                dialog->showError(message);
        });
        saveCap(dialog->scope(), dialog->tenant(), dialog->usd(), dialog->reviewedOn(), dialog->reason());
    });
    dialog->open();
    return dialog;
}

void CostsPage::saveCap(CapScope scope, const QString &tenant, double usd, const QDate &reviewedOn, const QString &reason)
{
    ++m_saving;
    const std::int64_t now = context().nowMs();
    m_center.board().run<CapOverride>(
        this,
        [scope, t = tenant.toStdString(), usd, reviewedOn, why = reason.toStdString(), now](AlertBoard &board) {
            return board.setCap(scope, t, usd, reviewedOn, why, currentActor(), now);
        },
        [this](CapOverride cap) {
            --m_saving;
            m_center.refresh();
            Q_EMIT capSaved(true, tr("%1 set to %2.").arg(capScopeTitle(cap.scope, QString::fromStdString(cap.tenant)), formatUsd(cap.usd)));
        },
        [this](const QString &message) {
            --m_saving;
            Q_EMIT capSaved(false, message);
        });
}

void CostsPage::resetCap(CapScope scope, const QString &tenant)
{
    ++m_saving;
    const std::int64_t now = context().nowMs();
    m_center.board().run<bool>(
        this,
        [scope, t = tenant.toStdString(), now](AlertBoard &board) {
            return board.resetCap(scope, t, "reset from the console", currentActor(), now);
        },
        [this, scope, tenant](bool) {
            --m_saving;
            m_center.refresh();
            Q_EMIT capSaved(true, tr("%1 is back to the config's value.").arg(capScopeTitle(scope, tenant)));
        },
        [this](const QString &message) {
            --m_saving;
            Q_EMIT capSaved(false, message);
        });
}

} // namespace vigil::ui
