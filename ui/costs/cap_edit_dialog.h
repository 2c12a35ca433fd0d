#pragma once

#include "alerts/alert_records.h"

#include <QDate>
#include <QDialog>

#include <optional>

class QDateEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace vigil::ui {

// Sets one cap: the daily ceiling, the default per tenant, or one tenant's.
// The amount and reviewed_on are checked here first (the same rules the store
// call applies) and the dialog stays open while the store call runs, showing
// why it was refused if it was.
class CapEditDialog final : public QDialog
{
    Q_OBJECT

public:
    // `tenant` empty with CapScope::Tenant: a new tenant cap (the name is asked).
    CapEditDialog(CapScope scope, const QString &tenant, std::optional<double> currentUsd, const QDate &today,
                  QWidget *parent = nullptr);

    CapScope scope() const { return m_scope; }
    QString tenant() const;
    double usd() const { return m_usd; }
    QDate reviewedOn() const;
    QString reason() const;

    // Checks the fields; false (and the message shown) when one is wrong.
    bool validate();
    void setBusy(bool busy);
    void showError(const QString &message);
    QString errorText() const;

Q_SIGNALS:
    void submitted(); // validated: save it

private:
    CapScope m_scope;
    QDate m_today;
    double m_usd = 0;
    QLineEdit *m_tenant = nullptr;
    QLineEdit *m_amount = nullptr;
    QDateEdit *m_reviewedOn = nullptr;
    QLineEdit *m_reason = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

QString capScopeTitle(CapScope scope, const QString &tenant); // "Daily ceiling", "Tenant acme"

} // namespace vigil::ui
