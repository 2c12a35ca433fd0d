#pragma once

#include "metrics/time_window.h"

#include <QDialog>

class QDateTimeEdit;
class QLabel;

namespace vigil::ui {

// Asks for a from and a to time (local time, to the minute).
class CustomRangeDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit CustomRangeDialog(const TimeWindow &initial, QWidget *parent = nullptr);

Q_SIGNALS:
    void picked(qint64 fromMs, qint64 toMs);

private:
    void validate();
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace vigil::ui
