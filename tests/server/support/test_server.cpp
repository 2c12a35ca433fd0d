#include "test_server.h"

#include "record/price_table.h"
#include "store/store_error.h"

#include <gtest/gtest.h>

#include <future>

namespace vigil::test {

IngestServer::Options serverOptions(const std::string &storePath)
{
    IngestServer::Options o;
    o.storePath = storePath;
    o.http.address = QHostAddress::LocalHost;
    o.http.port = 0;
    o.prices = &PriceTable::builtin();
    return o;
}

InProcessServer::InProcessServer(IngestServer::Options options)
{
    m_thread.setObjectName(QStringLiteral("test-http-server"));
    m_thread.start();
    m_context = std::make_unique<QObject>();
    m_context->moveToThread(&m_thread);
    QString error;
    QMetaObject::invokeMethod(
        m_context.get(),
        [&] {
            try {
                m_server = std::make_unique<IngestServer>(std::move(options));
            } catch (const StoreError &e) {
                error = QString::fromUtf8(e.what());
                return;
            }
            if (m_server->listen(error))
                m_port = m_server->port();
        },
        Qt::BlockingQueuedConnection);
    EXPECT_NE(m_port, 0) << error.toStdString();
}

void InProcessServer::stop()
{
    if (!m_server)
        return;
    std::promise<void> drained;
    QMetaObject::invokeMethod(
        m_context.get(), [&] { m_server->shutdown([&drained] { drained.set_value(); }); },
        Qt::BlockingQueuedConnection);
    drained.get_future().wait();
}

InProcessServer::~InProcessServer()
{
    if (m_server) {
        stop();
        // Destroyed on its own thread: the sockets and timers live there.
        QMetaObject::invokeMethod(m_context.get(), [&] { m_server.reset(); }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    m_context.reset(); // its thread has finished: nothing can be delivered to it any more
}

} // namespace vigil::test
