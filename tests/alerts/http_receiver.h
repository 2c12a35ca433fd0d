#pragma once
// A real HTTP/1.1 peer on 127.0.0.1 for the notifier tests: a QTcpServer on
// its own thread (so it answers while a test blocks on a child process)
// that records every request it reads and answers as scripted: a status with
// headers and body, a dropped connection, or silence (a stalled peer).

#include <QByteArray>
#include <QJsonObject>
#include <QThread>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace vigil::test {

struct ReceivedRequest
{
    QByteArray method;
    QByteArray path;
    std::vector<std::pair<QByteArray, QByteArray>> headers; // names lowercased
    QByteArray body;
    int answeredWith = 0; // the status sent back; 0: dropped or stalled
    std::int64_t atMs = 0;

    QByteArray header(const QByteArray &lowercaseName) const;
    QJsonObject json() const; // the body as a JSON object
};

struct Answer
{
    enum class Kind { Respond, Drop, Stall };
    Kind kind = Kind::Respond;
    int status = 202;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body = "{\"status\":\"success\",\"message\":\"Event processed\"}";

    static Answer respond(int code, QByteArray body = {}) { Answer a; a.status = code; if (!body.isEmpty()) a.body = std::move(body); return a; }
    static Answer drop() { Answer a; a.kind = Kind::Drop; return a; }
    static Answer stall() { Answer a; a.kind = Kind::Stall; return a; }
    Answer &with(QByteArray name, QByteArray value) { headers.emplace_back(std::move(name), std::move(value)); return *this; }
};

class HttpReceiver final
{
public:
    HttpReceiver(); // listens on 127.0.0.1, a free port
    ~HttpReceiver();
    HttpReceiver(const HttpReceiver &) = delete;
    HttpReceiver &operator=(const HttpReceiver &) = delete;

    quint16 port() const { return m_port; }
    QByteArray url(const QByteArray &path = "/") const;

    // Answers for the next requests, in order; when none is queued, `fallback`.
    void queue(Answer answer);
    void setFallback(Answer answer);
    std::vector<ReceivedRequest> requests() const;
    std::size_t count() const;
    // Requests answered with a 2xx.
    std::vector<ReceivedRequest> accepted() const;

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared;
    QThread m_thread;
    class Server;
    Server *m_server = nullptr;
    quint16 m_port = 0;
};

} // namespace vigil::test
