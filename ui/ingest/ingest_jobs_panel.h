#pragma once

#include <QWidget>

class QTableView;

namespace vigil::ui {

class IngestController;
class IngestJobsModel;

// Every ingest of this window with its state, and buttons to cancel one or
// see its summary.
class IngestJobsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit IngestJobsPanel(IngestController &controller, QWidget *parent = nullptr);
    IngestJobsModel *model() const { return m_model; }

Q_SIGNALS:
    void summaryRequested(int jobId);

private:
    int selectedJob() const;

    IngestController &m_controller;
    IngestJobsModel *m_model = nullptr;
    QTableView *m_view = nullptr;
};

} // namespace vigil::ui
