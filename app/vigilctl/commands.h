#pragma once

#include <QStringList>

namespace vigil::cli {

// Each takes the command's arguments with a program name first, returns the exit code.
int runIngest(const QStringList &args);
int runQuery(const QStringList &args);
int runQuarantine(const QStringList &args);
int runDemo(const QStringList &args);
int runGenerate(const QStringList &args);
int runServe(const QStringList &args);
int runAudit(const QStringList &args);
int runToken(const QStringList &args);
int runPrompt(const QStringList &args);
int runAlerts(const QStringList &args);
int runRunbook(const QStringList &args);

} // namespace vigil::cli
