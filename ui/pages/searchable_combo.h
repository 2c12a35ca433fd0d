#pragma once

#include <QComboBox>

namespace vigil::ui {

class LabelValuesModel;

// A filter picker: pick from the list or type any part of a name to narrow it
// ("mini" finds gpt-4o-mini-2024-07-18). The first entry means "no filter".
class SearchableCombo final : public QComboBox
{
    Q_OBJECT

public:
    SearchableCombo(const QString &allText, QWidget *parent = nullptr);

    LabelValuesModel *valuesModel() const { return m_model; }
    QString currentValue() const;         // "" for all
    void setCurrentValue(const QString &value); // without emitting valueChosen

Q_SIGNALS:
    void valueChosen(const QString &value);

protected:
    void focusOutEvent(QFocusEvent *event) override;

private:
    void choose(int row);
    LabelValuesModel *m_model = nullptr;
    QString m_value;
};

} // namespace vigil::ui
