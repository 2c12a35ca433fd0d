#pragma once

#include "server/http_types.h"

#include <memory>
#include <string>

namespace vigil {

// GET /v1/prompts/{name}: the active version of a prompt for the services
// that use it, as {"name","sha","content","activated_at"}. The active SHA
// comes from the store's activation history, the content from the prompts
// repository at that commit. A strong ETag (a hash of the body) lets a client
// revalidate cheaply: If-None-Match with the same tag gets 304 and no body.
// 404: no such prompt or nothing activated; 503: the repository or the store
// cannot be read right now (a client keeps serving its last good copy).
// Git and SQLite are read on the thread pool, never on the event loop.
class PromptsEndpoint final : public http::RequestHandler
{
public:
    struct Options
    {
        std::string storePath;
        std::string repositoryPath; // empty: no repository configured (503)
        std::string promptsFolder = "prompts";
    };

    explicit PromptsEndpoint(Options options);
    ~PromptsEndpoint() override;
    PromptsEndpoint(const PromptsEndpoint &) = delete;
    PromptsEndpoint &operator=(const PromptsEndpoint &) = delete;

    void handle(http::Request request, http::Responder respond) override;

    static constexpr const char *kPathPrefix = "/v1/prompts/";

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace vigil
