#pragma once

#include "server/http_connection.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <optional>

class QTcpServer;

namespace vigil::http {

struct ServerOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 4318;
    ConnectionLimits limits;
    int maxConnections = 1024;
    std::optional<QSslConfiguration> tls; // set: HTTPS only
};

// Listens and owns the connections; everything protocol-level is in
// Connection, everything application-level in the RequestHandler.
class Server final : public QObject
{
    Q_OBJECT
public:
    Server(RequestHandler &handler, ServerOptions options, QObject *parent = nullptr);
    ~Server() override;

    // False (with `error` set) when the address cannot be bound (in use, not ours).
    bool listen(QString &error);
    quint16 port() const;

    // Stop accepting; close idle connections; `done` runs once every request
    // that was being handled has been answered.
    void shutdown(std::function<void()> done);
    int openConnections() const;

Q_SIGNALS:
    void requestServed(const vigil::http::AccessLogEntry &entry);

private:
    void onNewConnection();
    void checkDrained();

    RequestHandler &m_handler;
    ServerOptions m_options;
    QTcpServer *m_listener = nullptr;
    QList<QPointer<Connection>> m_connections;
    std::function<void()> m_onDrained;
};

// Loads a PEM certificate chain and private key for HTTPS (TLS 1.2 or later).
std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString &error);

} // namespace vigil::http
