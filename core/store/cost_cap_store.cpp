#include "store/cost_cap_store.h"

#include "store/alert_rows.h"
#include "store/connection.h"
#include "store/operator_log_store.h"

#include <cstdio>

namespace vigil {

namespace {
std::optional<CapScope> scopeFromName(std::string_view name)
{
    if (name == "daily")
        return CapScope::Daily;
    if (name == "tenant_default")
        return CapScope::TenantDefault;
    if (name == "tenant")
        return CapScope::Tenant;
    return std::nullopt;
}

std::string subjectOf(CapScope scope, const std::string &tenant)
{
    switch (scope) {
    case CapScope::Daily: return "daily";
    case CapScope::TenantDefault: return "tenant default";
    case CapScope::Tenant: return "tenant " + tenant;
    }
    return tenant;
}

std::string usd(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}
} // namespace

std::string_view capScopeName(CapScope scope)
{
    switch (scope) {
    case CapScope::Daily: return "daily";
    case CapScope::TenantDefault: return "tenant_default";
    case CapScope::Tenant: return "tenant";
    }
    return "tenant";
}

struct CostCapStore::Impl
{
    std::string path;
    sql::Database db;
    Impl(const std::string &p, Access access)
        : path(p), db(openConnection(p, access == Access::ReadOnly ? ConnectionRole::Reader : ConnectionRole::Writer))
    {
    }
};

CostCapStore::CostCapStore(const std::string &storePath, Access access)
    : m_impl(std::make_unique<Impl>(storePath, access))
{
}

CostCapStore::~CostCapStore() = default;

std::vector<CapOverride> CostCapStore::overrides()
{
    try {
        sql::Statement s(m_impl->db, "SELECT scope, tenant, cap_usd, reviewed_on, set_at, actor, reason FROM cost_caps "
                                     "ORDER BY scope, tenant");
        std::vector<CapOverride> out;
        while (s.step()) {
            CapOverride c;
            c.scope = scopeFromName(s.columnText(0)).value_or(CapScope::Tenant);
            c.tenant = std::string(s.columnText(1));
            c.usd = s.columnDouble(2);
            c.reviewedOn = QDate::fromString(QString::fromUtf8(s.columnText(3).data(), static_cast<qsizetype>(s.columnText(3).size())), Qt::ISODate);
            c.setAtMs = s.columnInt(4);
            c.by = std::string(s.columnText(5));
            c.reason = s.isNull(6) ? std::string() : std::string(s.columnText(6));
            out.push_back(std::move(c));
        }
        return out;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

CapOverride CostCapStore::set(const CapOverride &cap, std::optional<double> previousUsd, const Actor &actor,
                              std::int64_t atMs)
{
    try {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        CapOverride stored = cap;
        stored.setAtMs = atMs;
        stored.by = actorName(actor.user, actor.host);
        const std::string tenant = cap.scope == CapScope::Tenant ? cap.tenant : std::string();
        stored.tenant = tenant;
        OperatorAction action;
        action.action = "cap.change";
        action.subject = subjectOf(cap.scope, tenant);
        if (previousUsd)
            action.fromValue = usd(*previousUsd);
        action.toValue = usd(cap.usd);
        if (!cap.reason.empty())
            action.reason = cap.reason;
        const std::string reviewed = cap.reviewedOn.toString(Qt::ISODate).toStdString();
        action.details = "{\"reviewed_on\":\"" + reviewed + "\"}";
        const std::int64_t logId = appendOperatorLog(db, action, actor, atMs);
        sql::Statement s(db, "INSERT OR REPLACE INTO cost_caps(scope, tenant, cap_usd, reviewed_on, set_at, actor, reason, "
                             "operator_log_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
        s.bindText(1, capScopeName(cap.scope)).bindText(2, tenant).bind(3, cap.usd).bindText(4, reviewed);
        s.bind(5, atMs).bindText(6, stored.by).bindTextOrNull(7, cap.reason).bind(8, logId);
        s.run();
        txn.commit();
        return stored;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

bool CostCapStore::reset(CapScope scope, const std::string &tenant, const std::string &reason, const Actor &actor,
                         std::int64_t atMs)
{
    try {
        sql::Database &db = m_impl->db;
        sql::Transaction txn(db);
        const std::string key = scope == CapScope::Tenant ? tenant : std::string();
        sql::Statement read(db, "SELECT cap_usd FROM cost_caps WHERE scope = ?1 AND tenant = ?2");
        read.bindText(1, capScopeName(scope)).bindText(2, key);
        if (!read.step())
            return false;
        OperatorAction action;
        action.action = "cap.change";
        action.subject = subjectOf(scope, key);
        action.fromValue = usd(read.columnDouble(0));
        action.toValue = "vigil.toml";
        if (!reason.empty())
            action.reason = reason;
        read.reset();
        appendOperatorLog(db, action, actor, atMs);
        sql::Statement remove(db, "DELETE FROM cost_caps WHERE scope = ?1 AND tenant = ?2");
        remove.bindText(1, capScopeName(scope)).bindText(2, key);
        remove.run();
        txn.commit();
        return true;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
