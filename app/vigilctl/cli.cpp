#include "cli.h"

#include "audit/redaction.h"
#include "store/store_location.h"

#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace vigil::cli {

namespace {
std::atomic<bool> g_interrupted{false};

extern "C" void onSignal(int)
{
    g_interrupted.store(true);
}
} // namespace

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

void addCommonOptions(QCommandLineParser &parser)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("Store file (default: $VIGIL_DB, the config's [store] path, "
                                     "or vigil.db in the data folder)."),
                      QStringLiteral("path")});
    parser.addOption({QStringLiteral("config"),
                      QStringLiteral("Config file (default: ./vigil.toml when present)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print one JSON document on stdout.")});
    parser.addHelpOption();
}

int parseCommandLine(QCommandLineParser &parser, const QStringList &args)
{
    if (!parser.parse(args)) {
        err() << "vigilctl: " << parser.errorText() << "\n\n" << parser.helpText();
        err().flush();
        return BadUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        return Ok;
    }
    return -1;
}

bool wantsJson(const QCommandLineParser &parser)
{
    return parser.isSet(QStringLiteral("json"));
}

void printJson(const QJsonObject &object)
{
    out() << QJsonDocument(object).toJson(QJsonDocument::Indented);
    out().flush();
}

std::optional<int> loadEnvironment(const QCommandLineParser &parser, Environment &env)
{
    QString configPath = parser.value(QStringLiteral("config"));
    if (configPath.isEmpty() && QFileInfo::exists(QStringLiteral("vigil.toml")))
        configPath = QStringLiteral("vigil.toml");
    if (!configPath.isEmpty()) {
        std::vector<ConfigProblem> problems;
        env.config = loadConfig(configPath.toStdString(), problems);
        if (!env.config) {
            for (const auto &p : problems)
                err() << "vigilctl: " << QString::fromStdString(p.text()) << '\n';
            err().flush();
            return BadUsage;
        }
    }
    QString dbOption = parser.value(QStringLiteral("db"));
    if (dbOption.isEmpty() && qEnvironmentVariableIsEmpty("VIGIL_DB") && env.config &&
        env.config->storePath)
        dbOption = QString::fromStdString(*env.config->storePath);
    env.storePath = resolveStorePath(dbOption).toStdString();

    if (env.config && env.config->pricingFile) {
        std::ifstream in(*env.config->pricingFile);
        if (!in) {
            err() << "vigilctl: " << QString::fromStdString(*env.config->pricingFile)
                  << ": cannot read the price table\n";
            err().flush();
            return BadUsage;
        }
        std::stringstream text;
        text << in.rdbuf();
        std::string error;
        env.customPrices = PriceTable::fromToml(text.str(), *env.config->pricingFile, error);
        if (!env.customPrices) {
            err() << "vigilctl: " << QString::fromStdString(error) << '\n';
            err().flush();
            return BadUsage;
        }
        env.prices = &*env.customPrices;
    }
    return std::nullopt;
}

RetentionPolicy retentionPolicy(const Environment &env)
{
    RetentionPolicy policy;
    if (env.config) {
        policy.payloadDays = env.config->retention.payloadDays;
        policy.rollupDays = env.config->retention.rollupDays;
        for (const auto &[tenant, days] : env.config->retention.tenantPayloadDays)
            policy.tenantPayloadDays[tenant] = days;
    }
    return policy;
}

std::optional<int> loadRedactor(const Environment &env, std::shared_ptr<const Redactor> &out)
{
    out.reset();
    if (!env.config || !env.config->redaction.enabled)
        return std::nullopt;
    const RedactionConfig &c = env.config->redaction;
    RedactionRules rules;
    if (!c.kinds.empty()) {
        auto has = [&c](const char *k) { return std::find(c.kinds.begin(), c.kinds.end(), k) != c.kinds.end(); };
        rules.emails = has("email");
        rules.phones = has("phone");
        rules.cards = has("card");
        rules.apiKeys = has("api_key");
        rules.bearer = has("bearer");
        rules.jwts = has("jwt");
    }
    rules.custom = c.custom;
    if (c.mode == "hash") {
        rules.mode = RedactionRules::Mode::KeyedHash;
        rules.hashKey = qEnvironmentVariable(c.hashKeyEnv.c_str()).toStdString();
        if (rules.hashKey.size() < 16) {
            err() << "vigilctl: redaction mode \"hash\" needs a key of at least 16 characters in $"
                  << QString::fromStdString(c.hashKeyEnv) << '\n';
            err().flush();
            return BadUsage;
        }
    }
    try {
        out = std::make_shared<const Redactor>(rules);
    } catch (const std::invalid_argument &e) {
        err() << "vigilctl: " << QString::fromStdString(env.config->sourceFile) << ": " << e.what() << '\n';
        err().flush();
        return BadUsage;
    }
    return std::nullopt;
}

void installInterruptHandler()
{
    struct sigaction action{};
    action.sa_handler = &onSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool> &interrupted()
{
    return g_interrupted;
}

bool stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

QString formatCount(long long value)
{
    QString digits = QString::number(value < 0 ? -value : value);
    for (qsizetype i = digits.size() - 3; i > 0; i -= 3)
        digits.insert(i, QLatin1Char(','));
    return value < 0 ? QLatin1Char('-') + digits : digits;
}

QString formatBytes(double bytes)
{
    const char *units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    return QString::number(bytes, 'f', unit == 0 ? 0 : 1) + QLatin1Char(' ') +
           QLatin1String(units[unit]);
}

QString formatMs(std::optional<double> ms)
{
    if (!ms)
        return QStringLiteral("-");
    if (*ms >= 10000)
        return QString::number(*ms / 1000, 'f', 1) + QStringLiteral(" s");
    return QString::number(*ms, 'f', *ms < 10 ? 2 : 0) + QStringLiteral(" ms");
}

QString formatUsd(double usd)
{
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 1 ? 4 : 2);
}

} // namespace vigil::cli
