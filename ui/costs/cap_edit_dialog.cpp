#include "costs/cap_edit_dialog.h"

#include "alerts/cost_caps.h"
#include "util/theme.h"

#include <QDateEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil::ui {

QString capScopeTitle(CapScope scope, const QString &tenant)
{
    switch (scope) {
    case CapScope::Daily: return QObject::tr("Daily ceiling (all tenants)");
    case CapScope::TenantDefault: return QObject::tr("Default cap per tenant");
    case CapScope::Tenant: return QObject::tr("Tenant %1").arg(tenant);
    }
    return {};
}

CapEditDialog::CapEditDialog(CapScope scope, const QString &tenant, std::optional<double> currentUsd, const QDate &today,
                             QWidget *parent)
    : QDialog(parent), m_scope(scope), m_today(today)
{
    setObjectName(QStringLiteral("capEditDialog"));
    setWindowTitle(tr("Edit cap"));
    auto *form = new QFormLayout;
    auto *what = new QLabel(scope == CapScope::Tenant && tenant.isEmpty() ? tr("A cap for one tenant") : capScopeTitle(scope, tenant), this);
    QFont bold = what->font();
    bold.setBold(true);
    what->setFont(bold);
    form->addRow(tr("Cap:"), what);
    if (scope == CapScope::Tenant) {
        m_tenant = new QLineEdit(tenant, this);
        m_tenant->setObjectName(QStringLiteral("tenant"));
        m_tenant->setReadOnly(!tenant.isEmpty());
        m_tenant->setPlaceholderText(tr("tenant name, as in the records"));
        form->addRow(tr("Tenant:"), m_tenant);
    }
    m_amount = new QLineEdit(this);
    m_amount->setObjectName(QStringLiteral("amount"));
    if (currentUsd)
        m_amount->setText(QString::number(*currentUsd, 'f', 2));
    m_amount->setPlaceholderText(tr("US dollars per day, e.g. 250"));
    form->addRow(tr("Cap (USD per day):"), m_amount);
    m_reviewedOn = new QDateEdit(today, this);
    m_reviewedOn->setObjectName(QStringLiteral("reviewedOn"));
    m_reviewedOn->setCalendarPopup(true);
    m_reviewedOn->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    form->addRow(tr("Reviewed on:"), m_reviewedOn);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(tr("why (kept in the operator log)"));
    form->addRow(tr("Reason:"), m_reason);
    auto *note = new QLabel(tr("Saved in the store with who and when; it overrides vigil.toml's value from the next "
                               "evaluation and budget answer on, until it is reset."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    QPalette p = m_error->palette();
    p.setColor(QPalette::WindowText, statusColors(palette()).bad);
    m_error->setPalette(p);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (validate())
            Q_EMIT submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(440);
}

QString CapEditDialog::tenant() const
{
    return m_tenant ? m_tenant->text().trimmed() : QString();
}

QDate CapEditDialog::reviewedOn() const
{
    return m_reviewedOn->date();
}

QString CapEditDialog::reason() const
{
    return m_reason->text().trimmed();
}

bool CapEditDialog::validate()
{
    m_error->hide();
    const QString text = m_amount->text().trimmed().remove(QLatin1Char('$')).remove(QLatin1Char(','));
    bool ok = false;
    const double usd = QLocale::c().toDouble(text, &ok);
    if (text.isEmpty() || !ok) {
        showError(tr("\"%1\" is not an amount in US dollars.").arg(m_amount->text()));
        return false;
    }
    if (m_scope == CapScope::Tenant && tenant().isEmpty()) {
        showError(tr("Name the tenant."));
        return false;
    }
    const std::string problem = validateCapEdit(usd, reviewedOn(), m_today, tenant().toStdString(), m_scope);
    if (!problem.empty()) {
        showError(QString::fromStdString(problem));
        return false;
    }
    m_usd = usd;
    return true;
}

void CapEditDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
}

void CapEditDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    setBusy(false);
}

QString CapEditDialog::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

} // namespace vigil::ui
