#pragma once

#include "store/store_opener.h"

#include <QDialog>

class QLabel;

namespace vigil::ui {

// Says why a store could not be opened and offers a way on: choose another
// store, create one at the path (when nothing is there), open the demo store,
// or quit. Shown with open(), never exec(), so nothing waits in a nested loop.
class StoreErrorDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Choice { ChooseAnother, CreateHere, OpenDemo, Quit };
    Q_ENUM(Choice)

    explicit StoreErrorDialog(const StoreOpenFailure &failure, QWidget *parent = nullptr);

    const StoreOpenFailure &failure() const { return m_failure; }
    QString titleText() const;
    QString explanationText() const;
    QStringList choiceLabels() const;
    void choose(Choice choice);

Q_SIGNALS:
    void chosen(vigil::ui::StoreErrorDialog::Choice choice);

private:
    StoreOpenFailure m_failure;
    QLabel *m_title = nullptr;
    QLabel *m_explanation = nullptr;
    QList<QPair<QString, Choice>> m_choices;
};

} // namespace vigil::ui
