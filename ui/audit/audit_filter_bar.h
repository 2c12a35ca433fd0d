#pragma once

#include "store/audit_reader.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace vigil::ui {

// The Audit page's own filters, next to the shared tenant/model/provider/
// prompt bar: user, outcome, error type, latency above and cost above.
class AuditFilterBar final : public QWidget
{
    Q_OBJECT

public:
    explicit AuditFilterBar(QWidget *parent = nullptr);

    // Writes these filters into `filter` (leaves the window, labels and search alone).
    void applyTo(AuditFilter &filter) const;
    void clear();

    void setUser(const QString &user);
    void setOutcomeChoice(int index); // an index of outcomeChoices()
    void setErrorType(const QString &errorType);
    void setLatencyAboveMs(int ms);   // 0: any
    void setCostAboveUsd(double usd); // 0: any
    static QStringList outcomeChoices();
    QLineEdit *userEdit() const { return m_user; }
    QComboBox *outcomeCombo() const { return m_outcome; }
    QComboBox *errorCombo() const { return m_error; }

Q_SIGNALS:
    void filterEdited();

private:
    QLineEdit *m_user = nullptr;
    QComboBox *m_outcome = nullptr;
    QComboBox *m_error = nullptr;
    QSpinBox *m_latency = nullptr;
    QDoubleSpinBox *m_cost = nullptr;
};

} // namespace vigil::ui
