#include "pages/searchable_combo.h"

#include "models/label_values_model.h"

#include <QCompleter>
#include <QLineEdit>

namespace vigil::ui {

SearchableCombo::SearchableCombo(const QString &allText, QWidget *parent)
    : QComboBox(parent), m_model(new LabelValuesModel(allText, this))
{
    setModel(m_model);
    setEditable(true);
    setInsertPolicy(QComboBox::NoInsert);
    setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    setMinimumContentsLength(14);
    auto *completer = new QCompleter(m_model, this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    setCompleter(completer);
    lineEdit()->setPlaceholderText(allText);
    connect(this, &QComboBox::activated, this, &SearchableCombo::choose);
    connect(completer, qOverload<const QModelIndex &>(&QCompleter::activated), this,
            [this](const QModelIndex &index) { choose(index.row()); });
    // The model is reset when new values arrive: put the chosen one back.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] { setCurrentValue(m_value); });
}

QString SearchableCombo::currentValue() const
{
    return m_value;
}

void SearchableCombo::setCurrentValue(const QString &value)
{
    m_value = value;
    const int row = m_model->rowOf(value);
    const QSignalBlocker block(this);
    if (row >= 0) {
        setCurrentIndex(row);
    } else {
        // A value the store has not reported (yet): show it as typed.
        setCurrentIndex(-1);
        setEditText(value);
    }
}

void SearchableCombo::choose(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const QString value = m_model->data(m_model->index(row, 0), Qt::UserRole).toString();
    setCurrentValue(value);
    Q_EMIT valueChosen(value);
}

void SearchableCombo::focusOutEvent(QFocusEvent *event)
{
    QComboBox::focusOutEvent(event);
    // Text typed but not picked is put back to the current choice.
    setCurrentValue(m_value);
}

} // namespace vigil::ui
