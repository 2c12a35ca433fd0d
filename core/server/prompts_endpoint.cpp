#include "server/prompts_endpoint.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_registry.h"
#include "record/timestamp.h"
#include "store/prompt_activation_store.h"
#include "store/store_error.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThreadPool>
#include <QUrl>

#include <cstring>
#include <mutex>

namespace vigil {

namespace {

bool etagMatches(const QByteArray &ifNoneMatch, const QByteArray &etag)
{
    for (QByteArray candidate : ifNoneMatch.split(',')) {
        candidate = candidate.trimmed();
        if (candidate == "*")
            return true;
        if (candidate.startsWith("W/"))
            candidate = candidate.mid(2);
        if (candidate == etag)
            return true;
    }
    return false;
}

} // namespace

struct PromptsEndpoint::State
{
    std::mutex mutex; // one request at a time uses the registry and the connection
    Options options;
    std::unique_ptr<PromptRegistry> registry;
    std::unique_ptr<PromptActivationStore> store;

    http::Response answer(const http::Request &request)
    {
        const QByteArray raw = request.path.mid(static_cast<qsizetype>(std::strlen(kPathPrefix)));
        const QString name = QUrl::fromPercentEncoding(raw);
        if (name.isEmpty() || name.contains(QLatin1Char('/')) || name.size() > 200)
            return http::Response::error(404, QStringLiteral("no such prompt: \"%1\"").arg(name));
        const std::string promptName = name.toStdString();

        std::lock_guard lock(mutex);
        if (options.repositoryPath.empty())
            return http::Response::error(503, QStringLiteral("no prompts repository is configured: start vigilctl "
                                                             "serve with --repo PATH or set [prompts] repo in vigil.toml"));
        std::optional<PromptActivation> active;
        try {
            if (!store)
                store = std::make_unique<PromptActivationStore>(options.storePath, PromptActivationStore::Access::ReadOnly);
            active = store->active(promptName);
        } catch (const StoreError &e) {
            store.reset();
            return http::Response::error(503, QStringLiteral("cannot read the store: %1").arg(QString::fromUtf8(e.what())));
        }
        if (!active)
            return http::Response::error(404, QStringLiteral("prompt \"%1\" has no active version (vigilctl prompt "
                                                             "activate %1 SHA)").arg(name));
        std::string content;
        try {
            if (!registry)
                registry = std::make_unique<PromptRegistry>(RegistryOptions{options.repositoryPath, options.promptsFolder});
            content = registry->content(promptName, active->sha);
        } catch (const PromptError &e) {
            if (e.kind() == PromptErrorKind::RepositoryUnavailable || e.kind() == PromptErrorKind::Git)
                registry.reset(); // reopened on the next request
            return http::Response::error(503, QStringLiteral("cannot read version %1 of prompt \"%2\": %3")
                                                  .arg(QString::fromStdString(active->sha.substr(0, 7)), name,
                                                       QString::fromUtf8(e.what())));
        }
        const QJsonObject object{
            {QStringLiteral("name"), name},
            {QStringLiteral("sha"), QString::fromStdString(active->sha)},
            {QStringLiteral("content"), QString::fromUtf8(content.data(), static_cast<qsizetype>(content.size()))},
            {QStringLiteral("activated_at"), QString::fromStdString(formatRfc3339Ms(active->activatedAtMs))}};
        const QByteArray body = QJsonDocument(object).toJson(QJsonDocument::Compact);
        const QByteArray etag =
            '"' + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex().left(32) + '"';
        if (etagMatches(request.header("if-none-match"), etag)) {
            http::Response notModified;
            notModified.status = 304;
            notModified.withHeader("etag", etag).withHeader("cache-control", "no-cache");
            return notModified;
        }
        return http::Response::json(200, body).withHeader("etag", etag).withHeader("cache-control", "no-cache");
    }
};

PromptsEndpoint::PromptsEndpoint(Options options) : m_state(std::make_shared<State>())
{
    m_state->options = std::move(options);
}

PromptsEndpoint::~PromptsEndpoint() = default;

void PromptsEndpoint::handle(http::Request request, http::Responder respond)
{
    // The state outlives the endpoint while a request is in flight.
    QThreadPool::globalInstance()->start([state = m_state, request = std::move(request),
                                          respond = std::move(respond)]() { respond(state->answer(request)); });
}

} // namespace vigil
