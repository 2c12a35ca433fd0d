#include "alerts/alert_setup.h"

#include <QFile>

namespace vigil {

QString shippedDefaultConfigPath()
{
    return QStringLiteral(":/vigil/vigil.default.toml");
}

std::string shippedDefaultConfigText()
{
    QFile file(shippedDefaultConfigPath());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll().toStdString();
}

std::optional<VigilConfig> loadShippedDefaultConfig(std::vector<ConfigProblem> &problems)
{
    return loadConfigText(shippedDefaultConfigText(), "vigil.default.toml (shipped)", problems);
}

AlertSetup alertSetupFor(const std::optional<VigilConfig> &fileConfig)
{
    AlertSetup setup;
    std::vector<ConfigProblem> ignored;
    static const std::optional<VigilConfig> shipped = loadShippedDefaultConfig(ignored);
    const bool ownSettings = fileConfig && fileConfig->alerts.alertsSectionRead;
    const bool ownRules = ownSettings && fileConfig->alerts.rulesRead;
    const bool ownCosts = fileConfig && fileConfig->alerts.costsSectionRead;
    if (ownSettings)
        setup.config = fileConfig->alerts; // settings and destinations
    else if (shipped)
        setup.config = shipped->alerts;
    if (!ownRules && shipped)
        setup.config.rules = shipped->alerts.rules;
    setup.rulesFrom = ownRules ? fileConfig->sourceFile : std::string("vigil.default.toml (shipped)");
    if (ownCosts)
        setup.config.costs = fileConfig->alerts.costs;
    else if (shipped)
        setup.config.costs = shipped->alerts.costs;
    setup.costsFrom = ownCosts ? fileConfig->sourceFile : std::string("vigil.default.toml (shipped)");
    if (fileConfig) {
        const PromptsConfig &p = fileConfig->prompts;
        if (p.regressionErrorRateMargin)
            setup.regression.errorRateMargin = *p.regressionErrorRateMargin;
        if (p.regressionP95Margin)
            setup.regression.p95Margin = *p.regressionP95Margin;
        if (p.regressionWindowMs)
            setup.regression.windowMs = *p.regressionWindowMs;
        if (p.regressionMinRequests)
            setup.regression.minRequests = static_cast<std::uint64_t>(*p.regressionMinRequests);
    }
    return setup;
}

} // namespace vigil
