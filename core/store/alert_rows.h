#pragma once
// Row mapping of the alert tables (store/ internal): shared by AlertStore,
// AlertOutbox and the tests' probes, so each column list is written once.

#include "alerts/alert_records.h"
#include "store/sqlite_handle.h"

namespace vigil {

extern const char *const kAlertStateColumns;
AlertState readAlertState(const sql::Statement &s); // in kAlertStateColumns order
void upsertAlertState(sql::Database &db, const AlertState &state);

void insertAlertHistory(sql::Database &db, const AlertHistoryEntry &entry);
extern const char *const kAlertHistoryColumns;
AlertHistoryEntry readAlertHistory(const sql::Statement &s);

// INSERT OR IGNORE on (destination, message_id): false when it was already there.
bool insertOutboxMessage(sql::Database &db, const OutboxMessage &message);
extern const char *const kOutboxColumns;
OutboxMessage readOutboxMessage(const sql::Statement &s);

std::string actorName(const std::string &user, const std::string &host); // "user@host"

} // namespace vigil
