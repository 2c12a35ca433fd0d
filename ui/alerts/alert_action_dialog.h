#pragma once

#include <QDialog>

#include <cstdint>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace vigil::ui {

// Acknowledge or silence one alert: the reason (required for a silence:
// everyone who sees the alert sees it), and for a silence how long and
// whether it covers the whole rule. The dialog stays open while the store
// call runs and shows why it was refused, if it was.
class AlertActionDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Kind { Acknowledge, Silence };
    AlertActionDialog(Kind kind, const QString &alertTitle, const QString &ruleName, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString reason() const;
    std::int64_t durationMs() const;
    bool wholeRule() const;

    void setBusy(bool busy);
    void showError(const QString &message);

    static const QList<std::pair<QString, std::int64_t>> &durations(); // "1 hour" -> ms

Q_SIGNALS:
    void submitted();

private:
    void updateOk();

    Kind m_kind;
    QLineEdit *m_reason = nullptr;
    QComboBox *m_duration = nullptr;
    QCheckBox *m_wholeRule = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace vigil::ui
