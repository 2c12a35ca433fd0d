#include "ingest/ingest_status_widget.h"

#include "ingest/ingest_controller.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace vigil::ui {

IngestStatusWidget::IngestStatusWidget(IngestController &controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("ingestStatus"));
    m_bar = new QProgressBar(this);
    m_bar->setMaximumWidth(160);
    m_bar->setTextVisible(true);
    m_label = new QLabel(this);
    m_cancel = new QToolButton(this);
    m_cancel->setText(tr("Cancel"));
    m_more = new QToolButton(this);
    m_more->setText(tr("Jobs…"));
    m_more->setToolTip(tr("Every ingest of this window (Ctrl+J)"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    layout->addWidget(m_more);
    connect(m_cancel, &QToolButton::clicked, this, [this] { m_controller.cancel(m_jobId); });
    connect(m_more, &QToolButton::clicked, this, &IngestStatusWidget::showJobsRequested);
    connect(&controller, &IngestController::jobAdded, this, [this](int) { pickJob(); });
    connect(&controller, &IngestController::jobChanged, this, &IngestStatusWidget::update);
    connect(&controller, &IngestController::jobFinished, this, [this](int) { pickJob(); });
    hide();
}

void IngestStatusWidget::pickJob()
{
    // The newest active job is the one the user most likely cares about.
    m_jobId = 0;
    const QList<int> ids = m_controller.jobIds();
    for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
        if (const IngestJob *job = m_controller.job(*it); job && job->active()) {
            m_jobId = *it;
            break;
        }
    }
    m_lastPercent = -2;
    update(m_jobId);
}

void IngestStatusWidget::update(int id)
{
    if (id != m_jobId)
        return;
    const IngestJob *job = m_controller.job(id);
    if (!job || !job->active()) {
        hide();
        return;
    }
    const int active = m_controller.activeCount();
    QString text = job->statusText();
    if (active > 1)
        text += tr(" (+%1 more)").arg(active - 1);
    m_label->setText(text);
    const int percent = job->percent();
    if (percent != m_lastPercent) { // only visible changes repaint the bar
        m_lastPercent = percent;
        if (percent < 0) {
            m_bar->setRange(0, 0); // busy: following, or size unknown
        } else {
            m_bar->setRange(0, 100);
            m_bar->setValue(percent);
        }
    }
    m_cancel->setText(job->follow ? tr("Stop following") : tr("Cancel"));
    show();
}

QString IngestStatusWidget::text() const
{
    return isVisibleTo(parentWidget()) ? m_label->text() : QString();
}

} // namespace vigil::ui
