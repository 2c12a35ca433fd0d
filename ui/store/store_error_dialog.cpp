#include "store/store_error_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace vigil::ui {

StoreErrorDialog::StoreErrorDialog(const StoreOpenFailure &failure, QWidget *parent)
    : QDialog(parent), m_failure(failure)
{
    setWindowTitle(tr("Vigil: cannot open the store"));
    setObjectName(QStringLiteral("storeErrorDialog"));
    const StoreFailureText text = describeStoreFailure(failure);

    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(48, 48));
    m_title = new QLabel(text.title, this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.25);
    m_title->setFont(big);
    m_explanation = new QLabel(text.explanation, this);
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *detail = new QLabel(failure.message, this);
    detail->setWordWrap(true);
    detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detail->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(this);
    m_choices.append({tr("Choose another store…"), Choice::ChooseAnother});
    if (text.offerCreate)
        m_choices.append({tr("Create an empty store here"), Choice::CreateHere});
    m_choices.append({tr("Open the demo store"), Choice::OpenDemo});
    m_choices.append({tr("Quit"), Choice::Quit});
    for (const auto &[label, choice] : m_choices) {
        auto *button = buttons->addButton(label, choice == Choice::Quit ? QDialogButtonBox::RejectRole
                                                                         : QDialogButtonBox::AcceptRole);
        connect(button, &QPushButton::clicked, this, [this, c = choice] { choose(c); });
        if (choice == Choice::ChooseAnother)
            button->setDefault(true);
    }

    auto *textColumn = new QVBoxLayout;
    textColumn->addWidget(m_title);
    textColumn->addWidget(m_explanation);
    textColumn->addWidget(detail);
    auto *row = new QHBoxLayout;
    row->addWidget(icon, 0, Qt::AlignTop);
    row->addLayout(textColumn, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

QString StoreErrorDialog::titleText() const
{
    return m_title->text();
}

QString StoreErrorDialog::explanationText() const
{
    return m_explanation->text();
}

QStringList StoreErrorDialog::choiceLabels() const
{
    QStringList labels;
    for (const auto &choice : m_choices)
        labels << choice.first;
    return labels;
}

void StoreErrorDialog::choose(Choice choice)
{
    Q_EMIT chosen(choice);
    if (choice == Choice::Quit)
        reject();
    else
        accept();
}

} // namespace vigil::ui
