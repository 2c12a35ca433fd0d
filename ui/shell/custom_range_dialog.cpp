#include "shell/custom_range_dialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>

namespace vigil::ui {

CustomRangeDialog::CustomRangeDialog(const TimeWindow &initial, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Custom time range"));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    m_from = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(initial.fromMs), this);
    m_to = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(initial.toMs), this);
    for (QDateTimeEdit *e : {m_from, m_to}) {
        e->setDisplayFormat(format);
        e->setCalendarPopup(true);
    }
    m_problem = new QLabel(this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        Q_EMIT picked(m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    auto *form = new QFormLayout(this);
    form->addRow(tr("From"), m_from);
    form->addRow(tr("To"), m_to);
    form->addRow(m_problem);
    form->addRow(buttons);
    validate();
}

void CustomRangeDialog::validate()
{
    const bool ok = m_to->dateTime() > m_from->dateTime();
    m_problem->setText(ok ? QString() : tr("\"To\" must be after \"From\"."));
    m_ok->setEnabled(ok);
}

} // namespace vigil::ui
