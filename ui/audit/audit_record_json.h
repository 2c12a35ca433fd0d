#pragma once

#include "record/record.h"

#include <QJsonValue>
#include <QString>

#include <string>

namespace vigil::ui {

// A call as one NDJSON line in the request-log record's own form (the fields
// in the spec's order, then the attributes), so a copied call pasted into a
// log file ingests as the same record. The stored JSON of the input,
// retrieval context, action and attributes goes in as it is, key order and
// all. A computed cost is left out: ingest computes it again.
std::string auditRecordJson(const Record &record);
QString auditRecordJsonText(const Record &record);

// A stored JSON value (input, retrieval context, action, attributes) as a
// JSON value; a value that is not JSON stays a string.
QJsonValue storedJsonValue(const std::string &json);

} // namespace vigil::ui
