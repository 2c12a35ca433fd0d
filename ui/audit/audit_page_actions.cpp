// What the Audit page does with one call or the whole store: copy a call as
// JSON, show its minute on the dashboard, verify the hash chain.
#include "audit/audit_detail_view.h"
#include "audit/audit_page.h"
#include "audit/audit_record_json.h"
#include "audit/audit_service.h"
#include "audit/chain_banner.h"
#include "shell/console_context.h"
#include "util/format.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>

namespace vigil::ui {

void AuditPage::copySelectedCall()
{
    const auto &call = m_detail->call();
    if (!m_selectedRowId)
        return;
    if (!call || call->rowId != *m_selectedRowId || m_detailQuery.inFlight()) {
        m_copyWhenLoaded = true; // the payload is on its way
        return;
    }
    QGuiApplication::clipboard()->setText(auditRecordJsonText(call->record));
    m_status->setText(tr("Copied %1 as JSON.").arg(QString::fromStdString(call->record.requestId)));
}

void AuditPage::showSelectedInDashboard()
{
    const auto &call = m_detail->call();
    if (!call)
        return;
    const Record &r = call->record;
    const auto label = [](const std::string &v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
    LabelFilter filter;
    filter.tenant = label(r.tenant);
    filter.model = label(r.model);
    filter.provider = label(r.provider);
    filter.promptName = label(r.promptName);
    filter.promptVersion = r.promptName.empty() ? std::nullopt : label(r.promptVersion);
    constexpr std::int64_t kMinute = 60'000;
    const std::int64_t minute = r.tsMs - ((r.tsMs % kMinute) + kMinute) % kMinute;
    context().setFilter(filter);
    context().setRange(TimeRange::custom(minute, minute + kMinute));
    context().requestPage(QStringLiteral("dashboard"));
}

void AuditPage::verifyChain()
{
    if (!context().hasStore())
        return;
    m_verifiedStore = m_store;
    const LatestQuery::Ticket ticket = m_verifyQuery.next();
    m_chainStatus->setText(tr("Verifying the audit chain…"));
    m_verifyButton->setEnabled(false);
    m_service->background<VerifyReport>(
        this, ticket.cancel,
        [](const std::string &path, const std::atomic<bool> &cancel) {
            ChainVerifier verifier(path);
            return verifier.verify({}, &cancel);
        },
        [this, generation = ticket.generation](VerifyReport report) {
            if (!m_verifyQuery.accept(generation))
                return;
            m_verifyButton->setEnabled(true);
            m_banner->showReport(report);
            m_chainStatus->setText(report.ok ? tr("Chain holds: %1 calls in %2 links, checked %3")
                                                   .arg(formatCount(report.records), formatCount(report.links),
                                                        formatClock(context().nowMs()))
                                             : tr("Chain broken"));
            m_verifyReport = std::move(report);
        },
        [this, generation = ticket.generation](const QueryFailure &failure) {
            if (!m_verifyQuery.accept(generation))
                return;
            m_verifyButton->setEnabled(true);
            m_chainStatus->setText(tr("The chain could not be verified: %1").arg(failure.message));
        });
}

QString AuditPage::chainStatus() const
{
    return m_chainStatus->text();
}

} // namespace vigil::ui
