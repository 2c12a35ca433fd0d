#include "http_receiver.h"

#include "metrics/time_window.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>

#include <future>

namespace vigil::test {

QByteArray ReceivedRequest::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

QJsonObject ReceivedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

struct HttpReceiver::Shared
{
    mutable std::mutex mutex;
    std::deque<Answer> script;
    Answer fallback;
    std::vector<ReceivedRequest> requests;

    Answer next()
    {
        std::lock_guard lock(mutex);
        if (script.empty())
            return fallback;
        Answer a = script.front();
        script.pop_front();
        return a;
    }
};

// Lives on the receiver's thread. Reads one request per connection (the
// notifiers send one each) and answers it as scripted.
class HttpReceiver::Server final : public QTcpServer
{
public:
    explicit Server(std::shared_ptr<Shared> shared) : m_shared(std::move(shared)) {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(descriptor);
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const qsizetype end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            ReceivedRequest r;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            r.method = first.value(0);
            r.path = first.value(1);
            qsizetype length = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                r.headers.emplace_back(name, value);
                if (name == "content-length")
                    length = value.toLongLong();
            }
            if (buffer->size() < end + 4 + length)
                return; // the body is still coming
            r.body = buffer->mid(end + 4, length);
            buffer->clear();
            socket->disconnect(this);
            const Answer answer = m_shared->next();
            r.atMs = currentTimeMs();
            if (answer.kind == Answer::Kind::Respond)
                r.answeredWith = answer.status;
            {
                std::lock_guard lock(m_shared->mutex);
                m_shared->requests.push_back(r);
            }
            switch (answer.kind) {
            case Answer::Kind::Drop:
                socket->abort();
                socket->deleteLater();
                return;
            case Answer::Kind::Stall:
                return; // keep the connection open and say nothing
            case Answer::Kind::Respond:
                break;
            }
            QByteArray response = "HTTP/1.1 " + QByteArray::number(answer.status) + " Scripted\r\n";
            for (const auto &[name, value] : answer.headers)
                response += name + ": " + value + "\r\n";
            response += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(answer.body.size()) +
                        "\r\nConnection: close\r\n\r\n" + answer.body;
            socket->write(response);
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });
    }

private:
    std::shared_ptr<Shared> m_shared;
};

HttpReceiver::HttpReceiver() : m_shared(std::make_shared<Shared>())
{
    m_thread.start();
    m_server = new Server(m_shared);
    m_server->moveToThread(&m_thread);
    std::promise<quint16> port;
    QMetaObject::invokeMethod(m_server, [this, &port] {
        m_server->listen(QHostAddress::LocalHost, 0);
        port.set_value(m_server->serverPort());
    }, Qt::QueuedConnection);
    m_port = port.get_future().get();
}

HttpReceiver::~HttpReceiver()
{
    QMetaObject::invokeMethod(m_server, [s = m_server] { delete s; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

QByteArray HttpReceiver::url(const QByteArray &path) const
{
    return "http://127.0.0.1:" + QByteArray::number(m_port) + path;
}

void HttpReceiver::queue(Answer answer)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->script.push_back(std::move(answer));
}

void HttpReceiver::setFallback(Answer answer)
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->fallback = std::move(answer);
}

std::vector<ReceivedRequest> HttpReceiver::requests() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->requests;
}

std::size_t HttpReceiver::count() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->requests.size();
}

std::vector<ReceivedRequest> HttpReceiver::accepted() const
{
    std::vector<ReceivedRequest> out;
    for (const ReceivedRequest &r : requests()) {
        if (r.answeredWith >= 200 && r.answeredWith < 300)
            out.push_back(r);
    }
    return out;
}

} // namespace vigil::test
