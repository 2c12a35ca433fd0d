#include "audit/audit_detail_view.h"

#include "audit/audit_format.h"
#include "util/format.h"
#include "util/theme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace vigil::ui {

AuditDetailView::AuditDetailView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("auditDetail"));
    m_header = new QLabel(this);
    m_header->setObjectName(QStringLiteral("auditDetailHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_redacted = new QLabel(this);
    m_redacted->setObjectName(QStringLiteral("auditRedactedNotice"));
    m_redacted->setWordWrap(true);
    m_redacted->hide();
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("auditDetailText"));
    m_browser->setOpenLinks(false);
    m_browser->setFrameShape(QFrame::StyledPanel);

    m_copy = new QPushButton(tr("Copy as JSON"), this);
    m_copy->setToolTip(tr("The call as a request-log record, ready to paste into a log file (Ctrl+C in the table)"));
    m_dashboard = new QPushButton(tr("Show in dashboard"), this);
    m_dashboard->setToolTip(tr("The dashboard for this call's minute, tenant, model, provider and prompt"));
    m_sameTrace = new QPushButton(tr("Same trace"), this);
    m_sameTrace->setToolTip(tr("Every call with this trace id"));
    m_sameSession = new QPushButton(tr("Same session"), this);
    m_sameSession->setToolTip(tr("Every call with this session id"));
    connect(m_copy, &QPushButton::clicked, this, &AuditDetailView::copyRequested);
    connect(m_dashboard, &QPushButton::clicked, this, &AuditDetailView::showInDashboardRequested);
    connect(m_sameTrace, &QPushButton::clicked, this, [this] {
        if (m_call)
            Q_EMIT sameTraceRequested(QString::fromStdString(m_call->record.traceId));
    });
    connect(m_sameSession, &QPushButton::clicked, this, [this] {
        if (m_call)
            Q_EMIT sameSessionRequested(QString::fromStdString(m_call->record.sessionId));
    });

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    for (QPushButton *b : {m_copy, m_dashboard, m_sameTrace, m_sameSession})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_header);
    layout->addWidget(m_redacted);
    layout->addLayout(buttons);
    layout->addWidget(m_browser, 1);
    setFocusProxy(m_browser);
    showPlaceholder(tr("Select a call to read its conversation, output, retrieval context and action."));
}

void AuditDetailView::setActionsEnabled(bool enabled)
{
    m_copy->setEnabled(enabled);
    m_dashboard->setEnabled(enabled);
    m_sameTrace->setEnabled(enabled && m_call && !m_call->record.traceId.empty());
    m_sameSession->setEnabled(enabled && m_call && !m_call->record.sessionId.empty());
}

void AuditDetailView::showPlaceholder(const QString &message)
{
    m_call.reset();
    m_rendered = {};
    m_header->setText(message);
    m_redacted->hide();
    m_browser->clear();
    setActionsEnabled(false);
}

void AuditDetailView::showLoading()
{
    m_header->setText(tr("Loading the call…"));
    setActionsEnabled(false);
}

void AuditDetailView::showCall(const AuditRow &row, const std::optional<SearchQuery> &search)
{
    m_call = row;
    m_search = search;
    render();
}

void AuditDetailView::render()
{
    if (!m_call)
        return;
    const Record &r = m_call->record;
    const QString muted = palette().color(QPalette::PlaceholderText).name();
    const auto field = [&muted](const QString &name, const QString &value) {
        return QStringLiteral("<span style=\"color:%1;\">%2</span> %3").arg(muted, name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QStringList first{QStringLiteral("<b>%1</b>").arg(QString::fromStdString(r.requestId).toHtmlEscaped()),
                      formatCallTime(r.tsMs).toHtmlEscaped()};
    const QColor outcome = r.outcome == Outcome::Ok ? palette().color(QPalette::Text) : outcomeColor(static_cast<int>(r.outcome));
    first << QStringLiteral("<b style=\"color:%1;\">%2%3</b>")
                 .arg(outcome.name(), QString::fromUtf8(outcomeName(r.outcome).data()),
                      r.errorType.empty() ? QString() : QStringLiteral(" · ") + QString::fromStdString(r.errorType).toHtmlEscaped());
    QStringList second{field(tr("tenant"), QString::fromStdString(r.tenant)), field(tr("model"), QString::fromStdString(r.model))};
    if (!r.provider.empty())
        second << field(tr("provider"), QString::fromStdString(r.provider));
    if (!r.promptName.empty())
        second << field(tr("prompt"), formatPrompt(r.promptName, r.promptVersion));
    if (!r.user.empty())
        second << field(tr("user"), QString::fromStdString(r.user));
    QStringList third{field(tr("latency"), formatMs(r.latencyMs)),
                      field(tr("tokens"), formatTokens(r.inputTokens, r.outputTokens)),
                      field(tr("cost"), r.costUsd ? formatUsd(*r.costUsd) + (r.costSource == CostSource::Computed ? tr(" (computed)") : QString())
                                                  : QStringLiteral("-"))};
    if (!r.traceId.empty())
        third << field(tr("trace"), QString::fromStdString(r.traceId));
    if (!r.sessionId.empty())
        third << field(tr("session"), QString::fromStdString(r.sessionId));
    m_header->setText(first.join(QStringLiteral(" · ")) + QStringLiteral("<br>") + second.join(QStringLiteral(" · ")) +
                      QStringLiteral("<br>") + third.join(QStringLiteral(" · ")));
    if (r.redacted) {
        m_redacted->setText(tr("Redacted: redaction rules replaced sensitive values in this call before it was stored. "
                               "What you see is the stored, masked text."));
        const StatusColors colors = statusColors(palette());
        m_redacted->setStyleSheet(QStringLiteral("QLabel { background:%1; color:%2; border:1px solid %3; padding:4px; }")
                                      .arg(colors.bannerBackground.name(), colors.bannerText.name(), colors.bannerBorder.name()));
        m_redacted->show();
    } else {
        m_redacted->clear();
        m_redacted->hide();
    }
    m_rendered = renderCallHtml(r, m_search, palette());
    m_browser->setHtml(m_rendered.html);
    setActionsEnabled(true);
}

QString AuditDetailView::headerText() const
{
    return m_header->text();
}

QString AuditDetailView::redactionNotice() const
{
    return m_redacted->isHidden() ? QString() : m_redacted->text();
}

void AuditDetailView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        render(); // the turn tints follow the theme
}

} // namespace vigil::ui
