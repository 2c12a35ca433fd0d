#pragma once
// The real serve stack (IngestServer: store writer, endpoints, token gate,
// HTTP server) on 127.0.0.1 and an ephemeral port, running on its own thread
// with its own event loop, so a test can talk to it with blocking sockets.

#include "server/ingest_server.h"
#include "server/token_store.h"

#include <QThread>

#include <memory>
#include <string>

namespace vigil::test {

// Defaults for tests: loopback, port 0 (the system picks one), the built-in
// price table, quiet.
IngestServer::Options serverOptions(const std::string &storePath);

class InProcessServer final
{
public:
    // Opens the store and listens; a test failure (and port() == 0) when it cannot.
    explicit InProcessServer(IngestServer::Options options);
    explicit InProcessServer(const std::string &storePath) : InProcessServer(serverOptions(storePath)) {}
    ~InProcessServer(); // shuts down cleanly: everything acknowledged is committed
    InProcessServer(const InProcessServer &) = delete;
    InProcessServer &operator=(const InProcessServer &) = delete;

    std::uint16_t port() const { return m_port; }
    // Graceful stop (as SIGTERM does): stop accepting, answer in-flight requests.
    void stop();

private:
    QThread m_thread;
    std::unique_ptr<QObject> m_context; // lives on m_thread
    std::unique_ptr<IngestServer> m_server;
    std::uint16_t m_port = 0;
};

} // namespace vigil::test
