#pragma once

#include "server/http_types.h"

#include <optional>
#include <vector>

namespace vigil::http {

// Dispatches by method and path (exact, or a prefix for paths with a name in
// them). Unknown paths get 404, known paths with another method 405 + Allow.
class Router final : public RequestHandler
{
public:
    void add(QByteArray method, QByteArray path, RequestHandler &handler, bool prefix = false);
    void handle(Request request, Responder respond) override;

private:
    struct Route
    {
        QByteArray method;
        QByteArray path;
        RequestHandler *handler;
        bool prefix;
    };
    std::vector<Route> m_routes;
};

// What AuthGate asks (TokenStore implements it in the server).
class TokenSource
{
public:
    virtual ~TokenSource() = default;
    virtual bool hasTokens() = 0;
    // The token's name and tenant binding, or nothing when unknown.
    virtual std::optional<std::pair<QString, std::optional<QString>>> lookup(const QByteArray &secret) = 0;
};

// Bearer-token authentication in front of the router. /healthz stays open
// (for load balancers); with no token configured only loopback clients are
// served.
class AuthGate final : public RequestHandler
{
public:
    AuthGate(RequestHandler &next, TokenSource &tokens);
    void handle(Request request, Responder respond) override;

private:
    RequestHandler &m_next;
    TokenSource &m_tokens;
};

} // namespace vigil::http
