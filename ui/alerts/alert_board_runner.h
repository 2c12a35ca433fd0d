#pragma once

#include "alerts/alert_board.h"
#include "store/store_error.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <mutex>
#include <variant>

namespace vigil::ui {

// Runs AlertBoard calls (alerts, acknowledgements, silences, costs, cap
// edits) off the UI thread. One worker thread owns one AlertBoard, so its
// calls run in order and never share a connection; the board is opened on
// that thread (opening may migrate the store) and reopened when the store or
// the rules change. An answer comes back on the UI thread while its
// receiver still exists; a refused action or a store error arrives as a
// message for the operator.
class AlertBoardRunner final : public QObject
{
    Q_OBJECT

public:
    template <typename Result>
    using Job = std::function<Result(AlertBoard &)>;
    using FailureHandler = std::function<void(const QString &message)>;

    explicit AlertBoardRunner(QObject *parent = nullptr);
    ~AlertBoardRunner() override; // waits for the running call
    Q_DISABLE_COPY_MOVE(AlertBoardRunner)

    // Empty path: no store (calls fail with a message).
    void setStore(const QString &path, const AlertSetup &setup);
    void setSetup(const AlertSetup &setup);
    bool hasStore() const;
    int pendingJobs() const { return m_pending; }

    template <typename Result>
    void run(QObject *receiver, Job<Result> job, std::function<void(Result)> done, FailureHandler failed = {});

Q_SIGNALS:
    void idle();

private:
    // What the worker opens its board on; written on the UI thread, read on the worker.
    struct Target
    {
        std::mutex mutex;
        std::string path;
        AlertSetup setup;
        std::uint64_t epoch = 0;
        // Only the worker touches these.
        std::unique_ptr<AlertBoard> board;
        std::uint64_t boardEpoch = 0;
    };
    static AlertBoard &boardFor(Target &target); // on the worker; throws StoreError
    void finishOne();

    QThreadPool m_pool;
    std::shared_ptr<Target> m_target = std::make_shared<Target>();
    int m_pending = 0;
};

template <typename Result>
void AlertBoardRunner::run(QObject *receiver, Job<Result> job, std::function<void(Result)> done, FailureHandler failed)
{
    ++m_pending;
    using Outcome = std::variant<std::monostate, Result, QString>;
    auto outcome = std::make_shared<Outcome>();
    QPointer<QObject> guard(receiver);
    auto deliver = [this, guard, outcome, done = std::move(done), failed = std::move(failed)] {
        finishOne();
        if (!guard)
            return;
        if (auto *result = std::get_if<1>(outcome.get()))
            done(std::move(*result));
        else if (auto *message = std::get_if<2>(outcome.get()); message && failed)
            failed(*message);
    };
    m_pool.start([this, target = m_target, outcome, job = std::move(job), deliver = std::move(deliver)]() mutable {
        try {
            outcome->template emplace<1>(job(boardFor(*target)));
        } catch (const StoreError &e) {
            target->board.reset(); // reopen next time: the store may have been replaced
            outcome->template emplace<2>(QString::fromUtf8(e.what()));
        } catch (const std::exception &e) {
            outcome->template emplace<2>(QString::fromUtf8(e.what()));
        }
        // The runner outlives its jobs (its destructor waits for them).
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

} // namespace vigil::ui
