#include "alerts/alert_board_runner.h"

#include "store/store_error.h"

namespace vigil::ui {

AlertBoardRunner::AlertBoardRunner(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1); // keep the thread, and with it the board's connections
    // The board's last user closes it: on the worker, as the pool's thread ends.
}

AlertBoardRunner::~AlertBoardRunner()
{
    m_pool.start([target = m_target] { target->board.reset(); });
    m_pool.waitForDone();
}

void AlertBoardRunner::setStore(const QString &path, const AlertSetup &setup)
{
    std::lock_guard lock(m_target->mutex);
    m_target->path = path.toStdString();
    m_target->setup = setup;
    ++m_target->epoch;
}

void AlertBoardRunner::setSetup(const AlertSetup &setup)
{
    std::lock_guard lock(m_target->mutex);
    m_target->setup = setup;
    ++m_target->epoch;
}

bool AlertBoardRunner::hasStore() const
{
    std::lock_guard lock(m_target->mutex);
    return !m_target->path.empty();
}

AlertBoard &AlertBoardRunner::boardFor(Target &target)
{
    std::string path;
    AlertSetup setup;
    std::uint64_t epoch = 0;
    {
        std::lock_guard lock(target.mutex);
        path = target.path;
        epoch = target.epoch;
        if (!target.board || target.boardEpoch != epoch)
            setup = target.setup;
    }
    if (target.board && target.boardEpoch == epoch)
        return *target.board;
    target.board.reset();
    if (path.empty())
        throw StoreError(StoreErrorKind::NotFound, "no store is open");
    target.board = std::make_unique<AlertBoard>(path, std::move(setup));
    target.boardEpoch = epoch;
    return *target.board;
}

void AlertBoardRunner::finishOne()
{
    if (--m_pending == 0)
        Q_EMIT idle();
}

} // namespace vigil::ui
