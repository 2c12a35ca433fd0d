#include "store/prompt_activation_store.h"

#include "metrics/time_window.h"
#include "store/connection.h"
#include "store/operator_log_store.h"

namespace vigil {

namespace {

const char *const kColumns =
    "id, name, sha, previous_sha, kind, activated_at, actor, host, reason, operator_log_id";

PromptActivation readRow(const sql::Statement &s)
{
    PromptActivation a;
    a.id = s.columnInt(0);
    a.name = std::string(s.columnText(1));
    a.sha = std::string(s.columnText(2));
    if (!s.isNull(3))
        a.previousSha = std::string(s.columnText(3));
    a.kind = std::string(s.columnText(4));
    a.activatedAtMs = s.columnInt(5);
    a.actor = std::string(s.columnText(6));
    a.host = std::string(s.columnText(7));
    if (!s.isNull(8))
        a.reason = std::string(s.columnText(8));
    a.operatorLogId = s.columnInt(9);
    return a;
}

std::vector<PromptActivation> readAll(sql::Statement &s)
{
    std::vector<PromptActivation> out;
    while (s.step())
        out.push_back(readRow(s));
    return out;
}

std::vector<PromptActivation> historyOf(sql::Database &db, const std::string &name)
{
    sql::Statement s(db, std::string("SELECT ") + kColumns + " FROM prompt_activations WHERE name = ?1 ORDER BY id");
    s.bindText(1, name);
    return readAll(s);
}

std::vector<PromptActivation> activeSetOf(sql::Database &db)
{
    sql::Statement s(db, std::string("SELECT ") + kColumns +
                             " FROM prompt_activations WHERE id IN (SELECT max(id) FROM prompt_activations "
                             "GROUP BY name) ORDER BY name");
    return readAll(s);
}

} // namespace

std::vector<std::string> rollbackStack(const std::vector<PromptActivation> &historyOldestFirst)
{
    std::vector<std::string> stack;
    for (const PromptActivation &a : historyOldestFirst) {
        if (a.kind == "rollback") {
            if (!stack.empty())
                stack.pop_back();
            // A rollback's target is on top now; keep the stack honest if the
            // history was written by something else.
            if (stack.empty() || stack.back() != a.sha)
                stack.push_back(a.sha);
        } else {
            stack.push_back(a.sha);
        }
    }
    return stack;
}

struct PromptActivationStore::Impl
{
    std::string path;
    sql::Database db;
    Impl(const std::string &p, Access access)
        : path(p), db(openConnection(p, access == Access::ReadOnly ? ConnectionRole::Reader : ConnectionRole::Writer))
    {
    }
};

PromptActivationStore::PromptActivationStore(const std::string &storePath, Access access)
    : m_impl(std::make_unique<Impl>(storePath, access))
{
}

PromptActivationStore::~PromptActivationStore() = default;

std::optional<PromptActivation> PromptActivationStore::active(const std::string &name)
{
    try {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kColumns +
                                         " FROM prompt_activations WHERE name = ?1 ORDER BY id DESC LIMIT 1");
        s.bindText(1, name);
        if (!s.step())
            return std::nullopt;
        return readRow(s);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<PromptActivation> PromptActivationStore::activeSet()
{
    try {
        return activeSetOf(m_impl->db);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<PromptActivation> PromptActivationStore::history(const std::string &name)
{
    try {
        return historyOf(m_impl->db, name);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

std::vector<PromptActivation> PromptActivationStore::allActivations(std::int64_t fromMs, std::int64_t toMs)
{
    try {
        sql::Statement s(m_impl->db, std::string("SELECT ") + kColumns +
                                         " FROM prompt_activations WHERE activated_at >= ?1 AND activated_at < ?2 "
                                         "ORDER BY activated_at, id");
        s.bind(1, fromMs).bind(2, toMs);
        return readAll(s);
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

PromptActivation PromptActivationStore::activate(const Switch &request)
{
    return record(request, false);
}

PromptActivation PromptActivationStore::rollback(const Switch &request)
{
    return record(request, true);
}

PromptActivation PromptActivationStore::record(const Switch &request, bool isRollback)
{
    try {
        sql::Transaction txn(m_impl->db);
        // Read inside the write lock: another process may have switched meanwhile.
        const std::vector<PromptActivation> history = historyOf(m_impl->db, request.name);
        std::optional<std::string> previous;
        if (!history.empty())
            previous = history.back().sha;
        std::string target = request.sha;
        if (isRollback) {
            const auto stack = rollbackStack(history);
            if (stack.size() < 2) {
                throw PromptSwitchRefused(
                    history.empty()
                        ? "prompt \"" + request.name + "\" has never been activated, so there is nothing to roll back"
                        : "prompt \"" + request.name + "\" has no earlier version to roll back to: " +
                              stack.back().substr(0, 7) + " is the first version activated through Vigil "
                              "(activate an older one explicitly with vigilctl prompt activate)");
            }
            target = stack[stack.size() - 2];
        } else if (previous && *previous == target) {
            throw PromptSwitchRefused("version " + target.substr(0, 7) + " of prompt \"" + request.name +
                                      "\" is already active");
        }

        PromptActivation row;
        row.name = request.name;
        row.sha = target;
        row.previousSha = previous;
        row.kind = isRollback ? "rollback" : "activate";
        row.activatedAtMs = request.atMs ? request.atMs : currentTimeMs();
        row.actor = request.actor.user;
        row.host = request.actor.host;
        row.reason = request.reason;

        OperatorAction action;
        action.action = isRollback ? "prompt.rollback" : "prompt.activate";
        action.subject = request.name;
        action.fromValue = previous;
        action.toValue = target;
        action.reason = request.reason;
        action.details = request.details;
        row.operatorLogId = appendOperatorLog(m_impl->db, action, request.actor, row.activatedAtMs);

        sql::Statement insert(m_impl->db,
                              "INSERT INTO prompt_activations(name, sha, previous_sha, kind, activated_at, actor, "
                              "host, reason, operator_log_id) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
        insert.bindText(1, row.name).bindText(2, row.sha);
        if (row.previousSha)
            insert.bindText(3, *row.previousSha);
        else
            insert.bindNull(3);
        insert.bindText(4, row.kind).bind(5, row.activatedAtMs).bindText(6, row.actor).bindText(7, row.host);
        if (row.reason)
            insert.bindText(8, *row.reason);
        else
            insert.bindNull(8);
        insert.bind(9, row.operatorLogId);
        insert.run();
        row.id = sqlite3_last_insert_rowid(m_impl->db.handle());

        if (request.beforeCommit)
            request.beforeCommit(activeSetOf(m_impl->db));
        txn.commit();
        return row;
    } catch (const sql::Error &e) {
        throw toStoreError(e, m_impl->path);
    }
}

} // namespace vigil
