#pragma once
// server/: Vigil's HTTP endpoints. The HTTP/1.1 layer (one connection per
// socket, nodejs' http-parser, limits and timeouts) hands complete requests as
// values to a RequestHandler and writes back the response value it gets; the
// endpoints (ingest, OTLP traces, health, metrics) know nothing of sockets and
// are tested without them.

#include <QByteArray>
#include <QHostAddress>
#include <QString>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace vigil::http {

struct Request
{
    QByteArray method;   // "GET", "POST", ...
    QByteArray path;     // percent-decoding is left to the handler
    QByteArray query;    // without '?'
    std::vector<std::pair<QByteArray, QByteArray>> headers; // names lowercased
    QByteArray body;     // after Content-Encoding was undone
    QHostAddress peer;
    bool tls = false;

    // Set by the authentication gate.
    QString tokenName;
    std::optional<QString> boundTenant;

    QByteArray header(const QByteArray &lowercaseName) const;
    // The media type without parameters, lowercased ("application/json").
    QByteArray contentType() const;
    bool peerIsLoopback() const;
    QString describe() const; // "POST /v1/requests from 127.0.0.1", for quarantine sources
};

struct Response
{
    int status = 200;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString logTenant; // for the access log only

    static Response json(int status, const QByteArray &body);
    static Response text(int status, const QByteArray &body);
    static Response error(int status, const QString &message); // {"error": "..."}
    Response &withHeader(QByteArray name, QByteArray value);
};

// Called exactly once with the response, from any thread.
using Responder = std::function<void(Response)>;

// What serves requests: the one-method interface between sockets and endpoints.
class RequestHandler
{
public:
    virtual ~RequestHandler() = default;
    virtual void handle(Request request, Responder respond) = 0;
};

QByteArray reasonPhrase(int status);

} // namespace vigil::http
