#include "server/http_types.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace vigil::http {

QByteArray Request::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

QByteArray Request::contentType() const
{
    QByteArray type = header("content-type");
    if (const auto semicolon = type.indexOf(';'); semicolon >= 0)
        type.truncate(semicolon);
    return type.trimmed().toLower();
}

bool Request::peerIsLoopback() const
{
    return peer.isLoopback();
}

QString Request::describe() const
{
    return QString::fromLatin1(method) + QLatin1Char(' ') + QString::fromLatin1(path) +
           QStringLiteral(" from ") + peer.toString();
}

Response Response::json(int status, const QByteArray &body)
{
    Response r;
    r.status = status;
    r.body = body;
    r.headers.emplace_back("content-type", "application/json");
    return r;
}

Response Response::text(int status, const QByteArray &body)
{
    Response r;
    r.status = status;
    r.body = body;
    r.headers.emplace_back("content-type", "text/plain; charset=utf-8");
    return r;
}

Response Response::error(int status, const QString &message)
{
    return json(status, QJsonDocument(QJsonObject{{QStringLiteral("error"), message}})
                            .toJson(QJsonDocument::Compact));
}

Response &Response::withHeader(QByteArray name, QByteArray value)
{
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

} // namespace vigil::http
