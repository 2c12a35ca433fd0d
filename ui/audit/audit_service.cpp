#include "audit/audit_service.h"

namespace vigil::ui {

namespace {

std::atomic<std::uint64_t> g_nextEpoch{1};

struct ThreadAuditReader
{
    std::uint64_t epoch = 0;
    std::unique_ptr<AuditReader> reader;
};

ThreadAuditReader &threadReader()
{
    thread_local ThreadAuditReader slot;
    return slot;
}

} // namespace

AuditService::AuditService(QObject *parent) : QObject(parent)
{
    // Two readers: a detail can load while a chunk of rows is being read.
    m_readers.setMaxThreadCount(2);
    m_readers.setExpiryTimeout(30'000);
    m_background.setMaxThreadCount(1);
    m_background.setExpiryTimeout(30'000);
}

AuditService::~AuditService()
{
    m_readers.waitForDone();
    m_background.waitForDone();
}

void AuditService::setStorePath(const QString &path)
{
    m_path = path.toStdString();
    m_epoch = g_nextEpoch++;
}

AuditReader &AuditService::readerForThisThread(const std::string &path, std::uint64_t epoch)
{
    ThreadAuditReader &slot = threadReader();
    if (!slot.reader || slot.epoch != epoch) {
        slot.reader.reset();
        slot.reader = std::make_unique<AuditReader>(path);
        slot.epoch = epoch;
    }
    return *slot.reader;
}

void AuditService::forgetThreadReader()
{
    threadReader().reader.reset();
}

} // namespace vigil::ui
