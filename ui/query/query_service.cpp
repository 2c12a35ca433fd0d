#include "query/query_service.h"

namespace vigil::ui {

namespace {

std::atomic<std::uint64_t> g_nextEpoch{1};

struct ThreadReader
{
    std::uint64_t epoch = 0;
    std::unique_ptr<MetricsReader> reader;
};

ThreadReader &threadReader()
{
    thread_local ThreadReader slot;
    return slot;
}

} // namespace

QueryService::QueryService(QObject *parent) : QObject(parent)
{
    // Two cores are common on the machines this runs on; three threads let a
    // slow dashboard query and the status poll proceed side by side.
    m_pool.setMaxThreadCount(3);
    m_pool.setExpiryTimeout(30'000); // idle threads (and their readers) go away
}

QueryService::~QueryService()
{
    m_pool.waitForDone();
}

void QueryService::setStorePath(const QString &path)
{
    m_path = path.toStdString();
    m_epoch = g_nextEpoch++;
}

MetricsReader &QueryService::readerForThisThread(const std::string &path, std::uint64_t epoch)
{
    ThreadReader &slot = threadReader();
    if (!slot.reader || slot.epoch != epoch) {
        slot.reader.reset();
        slot.reader = std::make_unique<MetricsReader>(path);
        slot.epoch = epoch;
    }
    return *slot.reader;
}

void QueryService::forgetThreadReader()
{
    threadReader().reader.reset();
}

void QueryService::finishOne()
{
    if (--m_pending == 0)
        Q_EMIT idle();
}

} // namespace vigil::ui
