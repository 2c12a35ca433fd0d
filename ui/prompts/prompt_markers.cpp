#include "prompts/prompt_markers.h"

#include "shell/console_context.h"

#include "store/prompt_activation_store.h"

namespace vigil::ui {

PromptMarkers::PromptMarkers(ConsoleContext &context, QObject *parent) : QObject(parent), m_context(context)
{
    connect(&context, &ConsoleContext::storeChanged, this, &PromptMarkers::reload);
    connect(&context, &ConsoleContext::rangeChanged, this, &PromptMarkers::reload);
    connect(&context, &ConsoleContext::nowPinned, this, &PromptMarkers::reload);
    // Another process (vigilctl prompt rollback) may switch at any time.
    connect(&context, &ConsoleContext::ticked, this, &PromptMarkers::reload);
}

QColor PromptMarkers::color()
{
    return QColor(0x8e, 0x44, 0xad); // violet: apart from the outcome and percentile colours
}

void PromptMarkers::reload()
{
    if (!m_context.hasStore()) {
        m_query.cancel();
        if (!m_markers.isEmpty()) {
            m_markers.clear();
            Q_EMIT markersChanged(m_markers);
        }
        return;
    }
    const TimeWindow window = m_context.range().resolve(m_context.nowMs());
    const std::string storePath = m_context.storePath().toStdString();
    const LatestQuery::Ticket ticket = m_query.next();
    m_context.queries().run<std::vector<PromptActivation>>(
        this, ticket.cancel,
        [storePath, window](MetricsReader &, const std::atomic<bool> &) {
            PromptActivationStore store(storePath, PromptActivationStore::Access::ReadOnly);
            return store.allActivations(window.fromMs, window.toMs);
        },
        [this, generation = ticket.generation](std::vector<PromptActivation> activations) {
            if (!m_query.accept(generation))
                return;
            QList<ChartMarker> markers;
            for (const PromptActivation &a : activations) {
                QString label = QStringLiteral("%1@%2").arg(QString::fromStdString(a.name), QString::fromStdString(a.sha.substr(0, 7)));
                if (a.kind == "rollback")
                    label += tr(" (rollback)");
                markers << ChartMarker{a.activatedAtMs, label, color()};
            }
            if (markers == m_markers)
                return;
            m_markers = markers;
            Q_EMIT markersChanged(m_markers);
        },
        [this, generation = ticket.generation](const QueryFailure &) {
            m_query.accept(generation); // a store without activations draws none; the page reports errors
        });
}

} // namespace vigil::ui
