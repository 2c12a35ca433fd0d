#include "server/http_server.h"

#include <QFile>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

namespace vigil::http {

Server::Server(RequestHandler &handler, ServerOptions options, QObject *parent)
    : QObject(parent), m_handler(handler), m_options(std::move(options))
{
    if (m_options.tls) {
        auto *ssl = new QSslServer(this);
        ssl->setSslConfiguration(*m_options.tls);
        // A client that never finishes the handshake is cut off like a slow sender.
        ssl->setHandshakeTimeout(m_options.limits.requestTimeoutMs);
        m_listener = ssl;
    } else {
        m_listener = new QTcpServer(this);
    }
    m_listener->setMaxPendingConnections(128);
    connect(m_listener, &QTcpServer::pendingConnectionAvailable, this, &Server::onNewConnection);
}

Server::~Server() = default;

bool Server::listen(QString &error)
{
    if (!m_listener->listen(m_options.address, m_options.port)) {
        error = QStringLiteral("cannot listen on %1:%2: %3")
                    .arg(m_options.address.toString())
                    .arg(m_options.port)
                    .arg(m_listener->errorString());
        return false;
    }
    return true;
}

quint16 Server::port() const
{
    return m_listener->serverPort();
}

int Server::openConnections() const
{
    int n = 0;
    for (const auto &c : m_connections)
        n += !c.isNull();
    return n;
}

void Server::onNewConnection()
{
    while (m_listener->hasPendingConnections()) {
        QTcpSocket *socket = m_listener->nextPendingConnection();
        if (!socket)
            break;
        if (openConnections() >= m_options.maxConnections || m_onDrained) {
            socket->write("HTTP/1.1 503 Service Unavailable\r\nretry-after: 1\r\ncontent-length: 0\r\n"
                          "connection: close\r\n\r\n");
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        auto *connection = new Connection(socket, m_handler, m_options.limits, this);
        m_connections.append(connection);
        connect(connection, &Connection::requestServed, this, &Server::requestServed);
        connect(connection, &Connection::finished, this, [this, connection] {
            m_connections.removeAll(connection);
            connection->deleteLater();
            checkDrained();
        });
    }
}

void Server::shutdown(std::function<void()> done)
{
    m_listener->close();
    m_onDrained = std::move(done);
    for (const auto &c : m_connections) {
        if (c)
            c->closeWhenIdle();
    }
    checkDrained();
}

void Server::checkDrained()
{
    if (!m_onDrained)
        return;
    for (const auto &c : m_connections) {
        if (c && c->busy())
            return;
    }
    auto done = std::exchange(m_onDrained, std::function<void()>([] {}));
    done();
}

std::optional<QSslConfiguration> loadTlsConfiguration(const QString &certificateFile,
                                                      const QString &keyFile, QString &error)
{
    if (!QSslSocket::supportsSsl()) {
        error = QStringLiteral("TLS is not available (Qt has no TLS backend here)");
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    if (chain.isEmpty()) {
        error = certificateFile + QStringLiteral(": no PEM certificate found");
        return std::nullopt;
    }
    QFile file(keyFile);
    if (!file.open(QIODevice::ReadOnly)) {
        error = keyFile + QStringLiteral(": cannot read the private key");
        return std::nullopt;
    }
    const QByteArray pem = file.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        error = keyFile + QStringLiteral(": not a PEM RSA or EC private key");
        return std::nullopt;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    return config;
}

} // namespace vigil::http
