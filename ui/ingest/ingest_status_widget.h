#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace vigil::ui {

class IngestController;

// The status bar's ingest corner: the newest running job's progress, what it
// is doing, and a button to cancel it (or stop following). Hidden when idle.
class IngestStatusWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit IngestStatusWidget(IngestController &controller, QWidget *parent = nullptr);

    QString text() const;
    int shownJob() const { return m_jobId; }

Q_SIGNALS:
    void showJobsRequested();

private:
    void update(int id);
    void pickJob();

    IngestController &m_controller;
    QProgressBar *m_bar = nullptr;
    QLabel *m_label = nullptr;
    QToolButton *m_cancel = nullptr;
    QToolButton *m_more = nullptr;
    int m_jobId = 0;
    int m_lastPercent = -2;
};

} // namespace vigil::ui
