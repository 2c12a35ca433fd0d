#pragma once
// Cost caps set through Vigil (the Costs page, vigilctl alerts caps): each
// change is stored with its operator-log entry in one transaction, and wins
// over vigil.toml's value for the same cap until it is reset.

#include "alerts/alert_records.h"
#include "audit/actor.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

std::string_view capScopeName(CapScope scope); // "daily", "tenant_default", "tenant"

class CostCapStore final
{
public:
    enum class Access { ReadWrite, ReadOnly };
    explicit CostCapStore(const std::string &storePath, Access access = Access::ReadWrite); // throws StoreError
    ~CostCapStore();
    CostCapStore(const CostCapStore &) = delete;
    CostCapStore &operator=(const CostCapStore &) = delete;

    std::vector<CapOverride> overrides();

    // Stores `cap` (validated by the caller); `previousUsd` is what applied
    // before (vigil.toml's or an earlier override), for the operator log.
    CapOverride set(const CapOverride &cap, std::optional<double> previousUsd, const Actor &actor, std::int64_t atMs);
    // Removes the override so vigil.toml's value applies again; false when there was none.
    bool reset(CapScope scope, const std::string &tenant, const std::string &reason, const Actor &actor,
               std::int64_t atMs);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
