#include "alerts/alert_action_dialog.h"

#include "util/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil::ui {

AlertActionDialog::AlertActionDialog(Kind kind, const QString &alertTitle, const QString &ruleName, QWidget *parent)
    : QDialog(parent), m_kind(kind)
{
    setObjectName(kind == Kind::Acknowledge ? QStringLiteral("acknowledgeDialog") : QStringLiteral("silenceDialog"));
    setWindowTitle(kind == Kind::Acknowledge ? tr("Acknowledge alert") : tr("Silence alert"));
    auto *intro = new QLabel(kind == Kind::Acknowledge
                                 ? tr("Acknowledge <b>%1</b>: you are on it. No more reminders for this episode; "
                                      "PagerDuty is told when it was paged.").arg(alertTitle.toHtmlEscaped())
                                 : tr("Silence <b>%1</b>: no notifications for a while. The alert still changes "
                                      "state and is shown here.").arg(alertTitle.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    m_reason = new QLineEdit(this);
    m_reason->setObjectName(QStringLiteral("reason"));
    m_reason->setPlaceholderText(kind == Kind::Acknowledge ? tr("optional: what you are doing about it")
                                                           : tr("required: why (shown to everyone)"));
    auto *form = new QFormLayout;
    if (kind == Kind::Silence) {
        m_duration = new QComboBox(this);
        m_duration->setObjectName(QStringLiteral("duration"));
        for (const auto &[name, ms] : durations())
            m_duration->addItem(name, QVariant::fromValue<qint64>(ms));
        m_duration->setCurrentIndex(2);
        form->addRow(tr("For:"), m_duration);
        m_wholeRule = new QCheckBox(tr("Every alert of the rule \"%1\"").arg(ruleName), this);
        m_wholeRule->setObjectName(QStringLiteral("wholeRule"));
        form->addRow(QString(), m_wholeRule);
    }
    form->addRow(tr("Reason:"), m_reason);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("error"));
    m_error->setWordWrap(true);
    QPalette p = m_error->palette();
    p.setColor(QPalette::WindowText, statusColors(palette()).bad);
    m_error->setPalette(p);
    m_error->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(kind == Kind::Acknowledge ? tr("Acknowledge") : tr("Silence"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    connect(m_reason, &QLineEdit::textChanged, this, &AlertActionDialog::updateOk);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        m_error->hide();
        Q_EMIT submitted();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(460);
    updateOk();
}

const QList<std::pair<QString, std::int64_t>> &AlertActionDialog::durations()
{
    static const QList<std::pair<QString, std::int64_t>> list = {
        {tr("15 minutes"), 15 * 60'000LL}, {tr("30 minutes"), 30 * 60'000LL}, {tr("1 hour"), 3'600'000LL},
        {tr("2 hours"), 2 * 3'600'000LL},  {tr("4 hours"), 4 * 3'600'000LL},  {tr("8 hours"), 8 * 3'600'000LL},
        {tr("1 day"), 86'400'000LL},       {tr("3 days"), 3 * 86'400'000LL},  {tr("7 days"), 7 * 86'400'000LL},
    };
    return list;
}

QString AlertActionDialog::reason() const
{
    return m_reason->text().trimmed();
}

std::int64_t AlertActionDialog::durationMs() const
{
    return m_duration ? m_duration->currentData().toLongLong() : 0;
}

bool AlertActionDialog::wholeRule() const
{
    return m_wholeRule && m_wholeRule->isChecked();
}

void AlertActionDialog::setBusy(bool busy)
{
    m_buttons->setEnabled(!busy);
    if (!busy)
        updateOk();
}

void AlertActionDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
    setBusy(false);
}

void AlertActionDialog::updateOk()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_kind == Kind::Acknowledge || !reason().isEmpty());
}

} // namespace vigil::ui
