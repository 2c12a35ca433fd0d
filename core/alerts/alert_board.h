#pragma once
// What the console's Alerts and Costs pages and `vigilctl alerts` need, in
// one place over the store: the alerts by state with their runbook and the
// dashboard focus, history, acknowledge and silence, spend today per tenant
// against the caps with the projection, and cap edits with validation.
// Every call reads or writes the store: call it from a worker thread, never
// the UI thread. Throws StoreError; operator actions the state does not
// allow throw AlertActionRefused (store/alert_store.h) with a message for
// the operator; a bad cap edit throws CapEditRefused.

#include "alerts/alert_records.h"
#include "alerts/alert_setup.h"
#include "alerts/cost_caps.h"
#include "alerts/spend_today.h"
#include "audit/actor.h"
#include "store/alert_outbox_store.h"
#include "store/alert_store.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigil {

class CapEditRefused : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// Where the dashboard goes when an alert is selected: the alert's window
// (from before it began to its end, or now) and labels (its rule's filter
// plus its group).
struct DashboardFocus
{
    TimeWindow window;
    LabelFilter filter;
};

struct AlertView
{
    AlertState state;
    std::string description; // the rule's
    bool silenced = false;
    std::optional<Silence> silence; // the one in force
    std::string runbookUrl;
    DashboardFocus focus;
};

struct AlertOverview
{
    std::int64_t nowMs = 0;
    std::vector<AlertView> firing;  // not silenced, loudest first
    std::vector<AlertView> pending;
    std::vector<AlertView> silenced; // firing or pending under a silence
    std::vector<AlertHistoryEntry> history; // newest first, the last `historyMs`
    std::vector<Silence> silences;          // in force or scheduled
    std::vector<DestinationHealth> destinations;
    OutboxCounts outbox;
    std::optional<LeaseInfo> lease; // who evaluates (nothing: nobody yet)
    bool notificationFailing = false; // a notification_failed alert fires: show it loudly
};

struct CostOverview
{
    SpendToday spend;
    EffectiveCaps caps;
    std::vector<ConfigProblem> reviewsOverdue;
};

class AlertBoard final
{
public:
    // Opens (creating, migrating) the store. Throws StoreError.
    AlertBoard(const std::string &storePath, AlertSetup setup);
    ~AlertBoard();
    AlertBoard(const AlertBoard &) = delete;
    AlertBoard &operator=(const AlertBoard &) = delete;

    AlertOverview overview(std::int64_t nowMs, std::int64_t historyMs = 24 * 3'600'000LL);
    std::vector<AlertHistoryEntry> history(const AlertHistoryFilter &filter);
    // Firing and resolved events in `window`, oldest first: the dashboard's alert markers.
    std::vector<AlertHistoryEntry> markers(const TimeWindow &window);

    AlertState acknowledge(const std::string &dedupKey, const std::string &reason, const Actor &actor,
                           std::int64_t nowMs);
    // `target`: a dedup key or a rule name. durationMs 1 minute to 30 days; a reason is required.
    Silence silence(const std::string &target, std::int64_t durationMs, const std::string &reason,
                    const Actor &actor, std::int64_t nowMs);
    Silence unsilence(std::int64_t id, const std::string &reason, const Actor &actor, std::int64_t nowMs);

    CostOverview costs(std::int64_t nowMs);
    // Validates (validateCapEdit) and stores; the new cap applies from the
    // next evaluation and budget answer.
    CapOverride setCap(CapScope scope, const std::string &tenant, double usd, const QDate &reviewedOn,
                       const std::string &reason, const Actor &actor, std::int64_t nowMs);
    bool resetCap(CapScope scope, const std::string &tenant, const std::string &reason, const Actor &actor,
                  std::int64_t nowMs);

    const AlertSetup &setup() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
