#pragma once

#include <QIcon>
#include <QTimer>
#include <QWidget>

namespace vigil::ui {

class ConsoleContext;

// One page of the console (Overview, Dashboard; later Alerts, Audit, Prompts,
// Evals). A page asks for its data when it is shown and something it depends
// on changed; while data streams in, its refreshes are coalesced on a
// single-shot timer so the store is asked at most every couple of seconds.
// Hidden pages only remember that they are out of date.
class Page : public QWidget
{
    Q_OBJECT

public:
    explicit Page(ConsoleContext &context, QWidget *parent = nullptr);

    virtual QString pageId() const = 0; // stable, for settings: "overview"
    virtual QString title() const = 0;  // "Overview"
    virtual QIcon icon() const { return {}; }

    bool isStale() const { return m_stale; }
    // The page's queries are in flight (tests and benchmarks wait on this).
    virtual bool isLoading() const = 0;

    void refreshNow();  // ask at once (a range or filter change: the user is waiting)
    void refreshSoon(); // coalesced (new data, the clock moving on)

    static constexpr int kCoalesceMs = 250;
    static constexpr int kMinIntervalMs = 2000;

Q_SIGNALS:
    void loaded(); // a new snapshot was shown

protected:
    ConsoleContext &context() const { return m_context; }
    // Starts the page's queries; the answer arrives later.
    virtual void refresh() = 0;
    // Subclasses call this when their snapshot arrived and was shown.
    void refreshed();
    void showEvent(QShowEvent *event) override;

private:
    void markStale(bool urgent);

    ConsoleContext &m_context;
    QTimer m_coalesce;
    bool m_stale = true;
    bool m_pendingWhileLoading = false;
    qint64 m_lastRefreshMs = 0;
};

} // namespace vigil::ui
