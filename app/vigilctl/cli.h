#pragma once
// Shared plumbing of the vigilctl commands: options every command takes, exit
// codes, output streams, interruption, and the store/config/price setup.

#include "config/config.h"
#include "record/price_table.h"
#include "store/retention.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace vigil {
class Redactor;
}

namespace vigil::cli {

enum ExitCode { Ok = 0, CheckFailed = 1, BadUsage = 2, RuntimeFailure = 3 };

QTextStream &out();
QTextStream &err();

// --db, --config, --json and --help.
void addCommonOptions(QCommandLineParser &parser);

// Parses `args` (the command's own, program name first). On a mistake prints it
// with the usage to stderr and returns BadUsage; on --help prints the usage and
// returns Ok; returns -1 when the command should go on.
int parseCommandLine(QCommandLineParser &parser, const QStringList &args);

bool wantsJson(const QCommandLineParser &parser);
void printJson(const QJsonObject &object);

// The store path, the config and the price table a command runs with.
struct Environment
{
    std::string storePath;
    std::optional<VigilConfig> config;
    std::optional<PriceTable> customPrices;
    const PriceTable *prices = &PriceTable::builtin();
};

// --config FILE, else ./vigil.toml when present; --db, VIGIL_DB, the config's
// [store] path, else the platform data folder. Returns an exit code on failure.
std::optional<int> loadEnvironment(const QCommandLineParser &parser, Environment &env);

// The redaction rules of the config ([redaction]), or null when off. Returns
// an exit code when they cannot be used (bad pattern, missing hash key).
std::optional<int> loadRedactor(const Environment &env, std::shared_ptr<const Redactor> &out);

// The retention of the config ([retention]), else the defaults (90 days of
// payloads, 400 of rollups).
RetentionPolicy retentionPolicy(const Environment &env);

// SIGINT and SIGTERM set this flag instead of killing the process, so long
// work can stop at a batch boundary and report what it committed.
void installInterruptHandler();
const std::atomic<bool> &interrupted();

bool stderrIsTerminal();
QString formatCount(long long value);
QString formatBytes(double bytes);
QString formatMs(std::optional<double> ms);
QString formatUsd(double usd);

} // namespace vigil::cli
