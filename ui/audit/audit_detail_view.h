#pragma once

#include "audit/call_html.h"

#include "store/audit_reader.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace vigil::ui {

// The detail pane of the Audit page: one call's header (labels, outcome,
// latency, cost, ids), its conversation, output, retrieval context, action
// and attributes, and what can be done with it. Shows what the page hands
// it; loads nothing itself.
class AuditDetailView final : public QWidget
{
    Q_OBJECT

public:
    explicit AuditDetailView(QWidget *parent = nullptr);

    void showPlaceholder(const QString &message);
    void showLoading();
    void showCall(const AuditRow &row, const std::optional<SearchQuery> &search);

    const std::optional<AuditRow> &call() const { return m_call; }
    const CallHtml &rendered() const { return m_rendered; }
    QTextBrowser *browser() const { return m_browser; }
    QString headerText() const;
    QString redactionNotice() const; // empty unless the call was redacted
    QPushButton *copyButton() const { return m_copy; }
    QPushButton *dashboardButton() const { return m_dashboard; }
    QPushButton *sameTraceButton() const { return m_sameTrace; }
    QPushButton *sameSessionButton() const { return m_sameSession; }

Q_SIGNALS:
    void copyRequested();
    void showInDashboardRequested();
    void sameTraceRequested(const QString &traceId);
    void sameSessionRequested(const QString &sessionId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    void setActionsEnabled(bool enabled);

    QLabel *m_header = nullptr;
    QLabel *m_redacted = nullptr;
    QTextBrowser *m_browser = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_dashboard = nullptr;
    QPushButton *m_sameTrace = nullptr;
    QPushButton *m_sameSession = nullptr;
    std::optional<AuditRow> m_call;
    std::optional<SearchQuery> m_search;
    CallHtml m_rendered;
};

} // namespace vigil::ui
