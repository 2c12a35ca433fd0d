#pragma once
// The window and label-filter options shared by every command that reads
// records: --since/--from/--to/--now and --tenant/--model/--provider/--prompt.

#include "metrics/time_window.h"
#include "store/labels.h"

#include <QCommandLineParser>

#include <optional>

namespace vigil::cli {

void addWindowOptions(QCommandLineParser &parser, const QString &defaultSince);
void addFilterOptions(QCommandLineParser &parser);

// Half-open [from, to). `--since D --now T` is [T-D, T). Returns an error text
// naming the option on a mistake.
std::optional<QString> readWindow(const QCommandLineParser &parser, const QString &defaultSince,
                                  TimeWindow &window, std::int64_t &now);
LabelFilter readFilter(const QCommandLineParser &parser);

} // namespace vigil::cli
