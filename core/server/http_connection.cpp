#include "server/http_connection.h"

#include "server/body_decoder.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <http_parser.h>

#include <mutex>

#include <sys/socket.h>

namespace vigil::http {

namespace {
// Bytes Qt may hold for us beyond what we parsed: while a request is being
// handled nothing more is read, so a client that pipelines without end is
// held back by TCP flow control instead of filling our memory.
constexpr qint64 kSocketReadBuffer = 256 * 1024;
// After refusing a request that was still arriving: how long to keep reading
// (and discarding) before closing, in total and without a byte.
constexpr int kLingerMaxMs = 10'000;
constexpr int kLingerIdleMs = 2'000;
} // namespace

struct Connection::Mailbox
{
    std::mutex mutex;
    Connection *connection = nullptr;
};

struct Connection::Parser
{
    http_parser parser{};
    http_parser_settings settings{};
    QByteArray url;
    int failStatus = 0;
    QString failMessage;
    bool expectContinue = false;

    static Connection &self(http_parser *p) { return *static_cast<Connection *>(p->data); }

    void stop(http_parser *p, int status, QString message)
    {
        if (!failStatus) {
            failStatus = status;
            failMessage = std::move(message);
        }
        http_parser_pause(p, 1);
    }
};

Connection::Connection(QTcpSocket *socket, RequestHandler &handler, const ConnectionLimits &limits,
                       QObject *parent)
    : QObject(parent), m_socket(socket), m_handler(handler), m_limits(limits),
      m_parser(std::make_unique<Parser>()), m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->connection = this;
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBuffer);
    http_parser_init(&m_parser->parser, HTTP_REQUEST);
    m_parser->parser.data = this;
    http_parser_settings &s = m_parser->settings;
    http_parser_settings_init(&s);
    s.on_message_begin = [](http_parser *p) {
        Parser::self(p).startRequest();
        return 0;
    };
    s.on_url = [](http_parser *p, const char *at, size_t length) {
        Connection &c = Parser::self(p);
        c.m_parser->url.append(at, static_cast<qsizetype>(length));
        return 0;
    };
    s.on_header_field = [](http_parser *p, const char *at, size_t length) {
        Connection &c = Parser::self(p);
        if (c.m_headerFieldDone) {
            c.m_request.headers.emplace_back();
            c.m_headerFieldDone = false;
        }
        c.m_request.headers.back().first.append(QByteArray(at, static_cast<qsizetype>(length)).toLower());
        return 0;
    };
    s.on_header_value = [](http_parser *p, const char *at, size_t length) {
        Connection &c = Parser::self(p);
        c.m_headerFieldDone = true;
        if (!c.m_request.headers.empty())
            c.m_request.headers.back().second.append(at, static_cast<qsizetype>(length));
        return 0;
    };
    s.on_headers_complete = [](http_parser *p) {
        Connection &c = Parser::self(p);
        Parser &ps = *c.m_parser;
        c.m_request.method = http_method_str(static_cast<http_method>(p->method));
        const QByteArray &url = ps.url;
        const auto q = url.indexOf('?');
        c.m_request.path = q < 0 ? url : url.left(q);
        c.m_request.query = q < 0 ? QByteArray() : url.mid(q + 1);
        for (auto &header : c.m_request.headers)
            header.second = header.second.trimmed();
        // Refuse what is too big before reading a byte of it.
        if ((p->flags & F_CONTENTLENGTH) && p->content_length != ULLONG_MAX &&
            p->content_length > static_cast<unsigned long long>(c.m_limits.maxWireBodyBytes)) {
            ps.stop(p, 413, QStringLiteral("request body of %1 bytes is over the limit of %2 bytes")
                                .arg(p->content_length)
                                .arg(c.m_limits.maxWireBodyBytes));
            return 0;
        }
        c.m_decoder = BodyDecoder::create(c.m_request.header("content-encoding"), c.m_limits.maxBodyBytes);
        if (!c.m_decoder) {
            ps.stop(p, 415, QStringLiteral("Content-Encoding \"%1\" is not supported (use gzip, deflate or none)")
                                .arg(QString::fromLatin1(c.m_request.header("content-encoding"))));
            return 0;
        }
        if (c.m_request.header("expect").toLower() == "100-continue")
            c.m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        return 0;
    };
    s.on_body = [](http_parser *p, const char *at, size_t length) {
        Connection &c = Parser::self(p);
        c.m_wireBodyBytes += static_cast<qint64>(length);
        if (c.m_wireBodyBytes > c.m_limits.maxWireBodyBytes) {
            c.m_parser->stop(p, 413, QStringLiteral("request body is over the limit of %1 bytes")
                                         .arg(c.m_limits.maxWireBodyBytes));
            return 0;
        }
        switch (c.m_decoder->feed(at, static_cast<qsizetype>(length))) {
        case BodyDecoder::Result::Ok: break;
        case BodyDecoder::Result::TooLarge:
            c.m_parser->stop(p, 413, QStringLiteral("decompressed request body is over the limit of %1 bytes")
                                         .arg(c.m_limits.maxBodyBytes));
            break;
        case BodyDecoder::Result::Corrupt:
            c.m_parser->stop(p, 400, QStringLiteral("the compressed request body is corrupt"));
            break;
        }
        return 0;
    };
    s.on_message_complete = [](http_parser *p) {
        Connection &c = Parser::self(p);
        if (c.m_parser->failStatus)
            return 0;
        if (c.m_decoder && c.m_decoder->finish() != BodyDecoder::Result::Ok) {
            c.m_parser->stop(p, 400, QStringLiteral("the compressed request body is truncated or corrupt"));
            return 0;
        }
        if (c.m_decoder)
            c.m_request.body = c.m_decoder->takeOutput();
        c.m_keepAlive = http_should_keep_alive(p) != 0;
        c.m_messageComplete = true;
        http_parser_pause(p, 1); // one request at a time: pipelined ones wait
        return 0;
    };

    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Connection::onTimeout);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        ++m_sequence; // a response still on its way has nowhere to go
        m_timer.stop();
        Q_EMIT finished();
    });
    m_timer.start(m_limits.idleTimeoutMs);
}

Connection::~Connection()
{
    std::lock_guard lock(m_mailbox->mutex);
    m_mailbox->connection = nullptr;
}

void Connection::closeWhenIdle()
{
    m_closing = true;
    if (!m_awaitingResponse && !m_inRequest)
        m_socket->disconnectFromHost();
}

void Connection::startRequest()
{
    m_request = Request();
    m_request.peer = m_socket->peerAddress();
    m_parser->url.clear();
    m_headerFieldDone = true;
    m_decoder.reset();
    m_wireBodyBytes = 0;
    m_inRequest = true;
    m_clock.start();
    m_timer.start(m_limits.requestTimeoutMs);
}

void Connection::onReadyRead()
{
    if (m_lingering) {
        m_socket->readAll(); // the rest of a refused request: dropped
        if (m_lingerClock.elapsed() > kLingerMaxMs)
            m_socket->disconnectFromHost();
        else
            m_timer.start(kLingerIdleMs);
        return;
    }
    // While a request is being handled, further bytes stay in the socket
    // (its buffer is bounded); sendResponse() comes back here.
    if (m_awaitingResponse || m_failed)
        return;
    m_pending.append(m_socket->readAll());
    if (!m_inRequest && !m_pending.isEmpty() && m_closing) {
        m_pending.clear();
        return;
    }
    feed();
}

void Connection::feed()
{
    while (!m_pending.isEmpty() && !m_awaitingResponse && !m_failed) {
        http_parser &p = m_parser->parser;
        const size_t parsed = http_parser_execute(&p, &m_parser->settings, m_pending.constData(),
                                                  static_cast<size_t>(m_pending.size()));
        m_pending.remove(0, static_cast<qsizetype>(parsed));
        const auto error = HTTP_PARSER_ERRNO(&p);
        if (error == HPE_PAUSED) {
            http_parser_pause(&p, 0);
        } else if (error != HPE_OK) {
            fail(400, QStringLiteral("malformed HTTP request: %1")
                          .arg(QString::fromLatin1(http_errno_description(error))));
            return;
        }
        if (m_parser->failStatus) {
            fail(m_parser->failStatus, m_parser->failMessage);
            return;
        }
        if (m_messageComplete) {
            dispatch();
            continue;
        }
        if (parsed == 0)
            break;
    }
}

void Connection::dispatch()
{
    m_messageComplete = false;
    m_inRequest = false;
    m_awaitingResponse = true;
    m_timer.stop(); // the handler may take a while (a commit): no read timeout now
    const int sequence = ++m_sequence;
    m_logMethod = m_request.method;
    m_logPath = m_request.path;
    Responder respond = [mailbox = m_mailbox, sequence](Response response) {
        std::lock_guard lock(mailbox->mutex);
        Connection *self = mailbox->connection;
        if (!self)
            return; // the client is gone
        // Handlers may answer from the writer thread: hop back to ours. Qt
        // drops the event if we are deleted before it is delivered.
        QMetaObject::invokeMethod(
            self,
            [self, sequence, response = std::move(response)]() mutable {
                if (self->m_sequence == sequence && self->m_awaitingResponse)
                    self->sendResponse(std::move(response), false);
            },
            Qt::QueuedConnection);
    };
    m_handler.handle(std::move(m_request), std::move(respond));
}

void Connection::sendResponse(Response response, bool closeAfter)
{
    const bool close = closeAfter || !m_keepAlive || m_closing || m_failed;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                      reasonPhrase(response.status) + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "content-length: " + QByteArray::number(response.body.size()) + "\r\n";
    head += close ? "connection: close\r\n\r\n" : "connection: keep-alive\r\n\r\n";
    m_socket->write(head);
    m_socket->write(response.body);
    finishResponse(response);
    m_awaitingResponse = false;
    if (close) {
        m_pending.clear();
        if (m_failed)
            lingerThenClose();
        else
            m_socket->disconnectFromHost();
        return;
    }
    m_timer.start(m_limits.idleTimeoutMs);
    // Pipelined requests: what we parsed already, and what waited in the socket.
    QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
}

void Connection::lingerThenClose()
{
    // The request was refused before it was read to its end (413, 408, 400):
    // the client may still be sending. Closing now would make the kernel
    // answer its next bytes with a reset, which can destroy our answer before
    // the client reads it. So, as HTTP servers do: send the answer, stop
    // writing (FIN), read and drop what still comes, and close when the
    // client does or after a while.
    m_lingering = true;
    m_lingerClock.start();
    m_timer.start(kLingerIdleMs);
    if (qobject_cast<QSslSocket *>(m_socket))
        return; // TLS: no half-close under the TLS layer; the timer closes it
    auto shutdownWrite = [this] {
        if (m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0)
            ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
    };
    m_socket->flush();
    if (m_socket->bytesToWrite() == 0)
        shutdownWrite();
    else
        connect(m_socket, &QTcpSocket::bytesWritten, this, shutdownWrite);
    onReadyRead(); // drop what is already buffered
}

void Connection::finishResponse(const Response &response)
{
    AccessLogEntry entry;
    entry.method = m_logMethod.isEmpty() ? QByteArray("-") : m_logMethod;
    entry.path = m_logPath.isEmpty() ? QByteArray("-") : m_logPath;
    entry.status = response.status;
    entry.bytesIn = m_wireBodyBytes;
    entry.bytesOut = response.body.size();
    entry.ms = m_clock.isValid() ? static_cast<double>(m_clock.nsecsElapsed()) / 1e6 : 0;
    entry.tenant = response.logTenant;
    entry.peer = m_socket->peerAddress().toString();
    Q_EMIT requestServed(entry);
}

void Connection::fail(int status, const QString &message)
{
    m_failed = true;
    m_inRequest = false;
    m_logMethod = m_request.method.isEmpty()
                      ? QByteArray(http_method_str(static_cast<http_method>(m_parser->parser.method)))
                      : m_request.method;
    m_logPath = m_request.path;
    sendResponse(Response::error(status, message), true);
}

void Connection::onTimeout()
{
    if (m_lingering) {
        m_socket->disconnectFromHost();
        return;
    }
    if (m_awaitingResponse)
        return;
    if (m_inRequest) {
        // A slow or stalled sender: cut it off rather than hold a slot forever.
        fail(408, QStringLiteral("the request was not received within %1 s").arg(m_limits.requestTimeoutMs / 1000));
        return;
    }
    m_socket->disconnectFromHost(); // idle keep-alive connection
}

} // namespace vigil::http
