#pragma once

#include "server/http_types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QTcpSocket;

namespace vigil::http {

class BodyDecoder;

struct ConnectionLimits
{
    qsizetype maxBodyBytes = 64ll << 20;       // after decompression
    qsizetype maxWireBodyBytes = 64ll << 20;   // as sent (compressed)
    int requestTimeoutMs = 30'000;             // first byte to last byte of a request
    int idleTimeoutMs = 60'000;                // keep-alive connection with nothing to do
};

struct AccessLogEntry
{
    QByteArray method;
    QByteArray path;
    int status = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    double ms = 0;
    QString tenant;
    QString peer;
};

// One client connection: parses HTTP/1.1 requests with nodejs' http-parser
// (keep-alive, pipelining, chunked bodies, Expect: 100-continue), enforces the
// limits while reading, undoes gzip/deflate, hands each complete request to
// the handler, and writes the handler's response when it arrives (from any
// thread). Requests on one connection are answered in order.
class Connection final : public QObject
{
    Q_OBJECT
public:
    Connection(QTcpSocket *socket, RequestHandler &handler, const ConnectionLimits &limits,
               QObject *parent = nullptr);
    ~Connection() override;

    // Stop reading new requests; close once the current one is answered.
    void closeWhenIdle();
    bool busy() const { return m_awaitingResponse; }

Q_SIGNALS:
    void finished(); // the socket is closed; the server deletes us
    void requestServed(const vigil::http::AccessLogEntry &entry);

private:
    struct Parser;
    friend struct Parser;
    // Where responders from other threads find us: cleared (under its mutex)
    // when we are destroyed, so a late response is dropped, never delivered to
    // a dead object or on the wrong thread.
    struct Mailbox;

    void onReadyRead();
    void feed();
    void startRequest();
    void dispatch();
    void sendResponse(Response response, bool closeAfter);
    void fail(int status, const QString &message); // answer and close
    void finishResponse(const Response &response);
    void onTimeout();
    void lingerThenClose();

    QTcpSocket *m_socket;
    RequestHandler &m_handler;
    ConnectionLimits m_limits;
    std::unique_ptr<Parser> m_parser;
    QByteArray m_pending;       // received but not yet parsed (pipelining)
    Request m_request;          // being read
    QByteArray m_logMethod;     // of the request being answered, for the access log
    QByteArray m_logPath;
    QByteArray m_headerField;
    bool m_headerFieldDone = true;
    std::unique_ptr<BodyDecoder> m_decoder;
    qint64 m_wireBodyBytes = 0;
    qint64 m_requestBytes = 0;
    bool m_inRequest = false;
    bool m_messageComplete = false;
    bool m_awaitingResponse = false;
    bool m_keepAlive = true;
    bool m_closing = false;
    bool m_failed = false;
    bool m_lingering = false;   // refused mid-request: draining before the close
    int m_sequence = 0;         // guards late responses after the socket died
    QTimer m_timer;
    QElapsedTimer m_clock;
    QElapsedTimer m_lingerClock;
    std::shared_ptr<Mailbox> m_mailbox;
};

} // namespace vigil::http
