#include "server/router.h"

namespace vigil::http {

void Router::add(QByteArray method, QByteArray path, RequestHandler &handler, bool prefix)
{
    m_routes.push_back({std::move(method), std::move(path), &handler, prefix});
}

void Router::handle(Request request, Responder respond)
{
    QByteArray allowed;
    for (const Route &route : m_routes) {
        const bool pathMatches = route.prefix ? request.path.startsWith(route.path) && request.path.size() > route.path.size()
                                              : request.path == route.path;
        if (!pathMatches)
            continue;
        if (route.method == request.method) {
            route.handler->handle(std::move(request), std::move(respond));
            return;
        }
        allowed += (allowed.isEmpty() ? "" : ", ") + route.method;
    }
    if (!allowed.isEmpty()) {
        respond(Response::error(405, QStringLiteral("%1 is not allowed on %2 (allowed: %3)")
                                         .arg(QString::fromLatin1(request.method), QString::fromLatin1(request.path),
                                              QString::fromLatin1(allowed)))
                    .withHeader("allow", allowed));
        return;
    }
    respond(Response::error(404, QStringLiteral("no such endpoint: %1").arg(QString::fromLatin1(request.path))));
}

AuthGate::AuthGate(RequestHandler &next, TokenSource &tokens) : m_next(next), m_tokens(tokens) {}

void AuthGate::handle(Request request, Responder respond)
{
    if (request.path == "/healthz") {
        m_next.handle(std::move(request), std::move(respond));
        return;
    }
    if (!m_tokens.hasTokens()) {
        if (!request.peerIsLoopback()) {
            respond(Response::error(403, QStringLiteral("no tokens are configured, so only clients on this "
                                                        "machine (loopback) are served")));
            return;
        }
        m_next.handle(std::move(request), std::move(respond));
        return;
    }
    const QByteArray authorization = request.header("authorization");
    QByteArray secret;
    if (authorization.size() > 7 && authorization.left(7).toLower() == "bearer ")
        secret = authorization.mid(7).trimmed();
    const auto entry = secret.isEmpty() ? std::nullopt : m_tokens.lookup(secret);
    if (!entry) {
        respond(Response::error(401, secret.isEmpty() ? QStringLiteral("a bearer token is required")
                                                      : QStringLiteral("the bearer token is not valid"))
                    .withHeader("www-authenticate", "Bearer realm=\"vigil\""));
        return;
    }
    request.tokenName = entry->first;
    request.boundTenant = entry->second;
    m_next.handle(std::move(request), std::move(respond));
}

} // namespace vigil::http
