#include "shell/start_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace vigil::ui {

StartPanel::StartPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("startPanel"));
    auto *name = new QLabel(QStringLiteral("Vigil"), this);
    QFont big = name->font();
    big.setPointSizeF(big.pointSizeF() * 2.5);
    big.setBold(true);
    name->setFont(big);
    name->setAlignment(Qt::AlignCenter);
    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->setMinimumWidth(360);
    m_open = new QPushButton(tr("Open a store…"), this);
    m_demo = new QPushButton(tr("Build and open the demo store"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    connect(m_open, &QPushButton::clicked, this, &StartPanel::openStoreRequested);
    connect(m_demo, &QPushButton::clicked, this, &StartPanel::demoRequested);
    connect(m_cancel, &QPushButton::clicked, this, &StartPanel::cancelRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_open);
    buttons->addWidget(m_demo);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(name);
    layout->addWidget(m_message);
    layout->addWidget(m_progress, 0, Qt::AlignHCenter);
    layout->addLayout(buttons);
    layout->addStretch(3);
    showIdle(tr("No store is open."));
}

void StartPanel::showBusy(const QString &what, int percent)
{
    m_message->setText(what);
    m_progress->show();
    if (percent < 0) {
        m_progress->setRange(0, 0);
    } else {
        m_progress->setRange(0, 100);
        m_progress->setValue(percent);
    }
    m_open->hide();
    m_demo->hide();
    m_cancel->show();
}

void StartPanel::showIdle(const QString &message)
{
    m_message->setText(message);
    m_progress->hide();
    m_open->show();
    m_demo->show();
    m_cancel->hide();
}

QString StartPanel::message() const
{
    return m_message->text();
}

int StartPanel::percent() const
{
    return m_progress->isVisibleTo(this) && m_progress->maximum() > 0 ? m_progress->value() : -1;
}

} // namespace vigil::ui
