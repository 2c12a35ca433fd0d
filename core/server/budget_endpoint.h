#pragma once

#include "alerts/alert_config.h"
#include "server/http_types.h"

#include <memory>
#include <string>

namespace vigil {

// GET /v1/budget/{tenant}: may the AI service spend more for this tenant
// today? {"tenant","spent_today_usd","cap_usd","remaining_usd","allow"} plus
// "day_start"/"day_end" (the caps' day), "daily_spent_usd"/"daily_cap_usd",
// "warn" (past the warning share) and "reason" when refused. cap_usd and
// remaining_usd are null when no cap applies (allow is then true). A token
// bound to a tenant may only ask about that tenant (403). The store is read
// on the thread pool; 503 when it cannot be read (the service then keeps its
// own last decision: docs/BUDGET.md).
class BudgetEndpoint final : public http::RequestHandler
{
public:
    struct Options
    {
        std::string storePath;
        CostCaps caps;          // vigil.toml's (or the shipped) [costs]
        std::string capsSource; // the file they come from
    };

    explicit BudgetEndpoint(Options options);
    ~BudgetEndpoint() override;
    BudgetEndpoint(const BudgetEndpoint &) = delete;
    BudgetEndpoint &operator=(const BudgetEndpoint &) = delete;

    void handle(http::Request request, http::Responder respond) override;

    static constexpr const char *kPathPrefix = "/v1/budget/";

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace vigil
