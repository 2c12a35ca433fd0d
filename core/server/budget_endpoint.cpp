#include "server/budget_endpoint.h"

#include "alerts/cost_caps.h"
#include "alerts/spend_today.h"
#include "metrics/time_window.h"
#include "record/timestamp.h"
#include "store/cost_cap_store.h"
#include "store/metrics_reader.h"
#include "store/store_error.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QThreadPool>
#include <QUrl>

#include <cmath>
#include <cstring>
#include <mutex>

namespace vigil {

namespace {
// Dollars to the cent, as a JSON number.
double cents(double usd)
{
    return std::round(usd * 100.0) / 100.0;
}
} // namespace

struct BudgetEndpoint::State
{
    std::mutex mutex; // one request at a time uses the connections
    Options options;
    std::unique_ptr<MetricsReader> metrics;
    std::unique_ptr<CostCapStore> caps;

    http::Response answer(const http::Request &request)
    {
        const QByteArray raw = request.path.mid(static_cast<qsizetype>(std::strlen(kPathPrefix)));
        const QString tenant = QUrl::fromPercentEncoding(raw);
        if (tenant.isEmpty() || tenant.contains(QLatin1Char('/')) || tenant.size() > 200)
            return http::Response::error(404, QStringLiteral("GET /v1/budget/{tenant}: name a tenant"));
        if (request.boundTenant && *request.boundTenant != tenant)
            return http::Response::error(403, QStringLiteral("this token is bound to tenant \"%1\"").arg(*request.boundTenant));

        std::lock_guard lock(mutex);
        BudgetAnswer a;
        try {
            if (!metrics)
                metrics = std::make_unique<MetricsReader>(options.storePath);
            if (!caps)
                caps = std::make_unique<CostCapStore>(options.storePath, CostCapStore::Access::ReadOnly);
            // Caps set from the console apply at once: the overrides are re-read each time.
            const EffectiveCaps effective = effectiveCaps(options.caps, options.capsSource, caps->overrides());
            a = budgetFor(*metrics, effective, tenant.toStdString(), currentTimeMs());
        } catch (const StoreError &e) {
            metrics.reset();
            caps.reset();
            return http::Response::error(503, QStringLiteral("cannot read the store: %1").arg(QString::fromUtf8(e.what())))
                .withHeader("retry-after", "5");
        }
        QJsonObject o{{QStringLiteral("tenant"), tenant},
                      {QStringLiteral("spent_today_usd"), cents(a.spentUsd)},
                      {QStringLiteral("cap_usd"), a.capUsd ? QJsonValue(cents(*a.capUsd)) : QJsonValue()},
                      {QStringLiteral("remaining_usd"), a.remainingUsd ? QJsonValue(cents(*a.remainingUsd)) : QJsonValue()},
                      {QStringLiteral("allow"), a.allow},
                      {QStringLiteral("warn"), a.capUsd && a.spentUsd >= *a.capUsd * a.warnShare},
                      {QStringLiteral("day_start"), QString::fromStdString(formatRfc3339Ms(a.day.fromMs))},
                      {QStringLiteral("day_end"), QString::fromStdString(formatRfc3339Ms(a.day.toMs))},
                      {QStringLiteral("daily_spent_usd"), cents(a.dailySpentUsd)},
                      {QStringLiteral("daily_cap_usd"), a.dailyCapUsd ? QJsonValue(cents(*a.dailyCapUsd)) : QJsonValue()}};
        if (!a.reason.empty())
            o.insert(QStringLiteral("reason"), QString::fromStdString(a.reason));
        http::Response response = http::Response::json(200, QJsonDocument(o).toJson(QJsonDocument::Compact));
        response.withHeader("cache-control", "no-store");
        response.logTenant = tenant;
        return response;
    }
};

BudgetEndpoint::BudgetEndpoint(Options options) : m_state(std::make_shared<State>())
{
    m_state->options = std::move(options);
}

BudgetEndpoint::~BudgetEndpoint() = default;

void BudgetEndpoint::handle(http::Request request, http::Responder respond)
{
    QThreadPool::globalInstance()->start([state = m_state, request = std::move(request),
                                          respond = std::move(respond)]() { respond(state->answer(request)); });
}

} // namespace vigil
