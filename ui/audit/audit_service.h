#pragma once

#include "query/query_service.h"

#include "store/audit_reader.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace vigil::ui {

// Runs the Audit page's reads off the UI thread, the way QueryService runs
// the dashboard's: every worker thread keeps its own AuditReader (one read
// connection each), reopened when the store changes. Row chunks and details
// go to the reader pool; long jobs that open their own connection (verifying
// the chain, catching up the search index) go to a pool of one thread so they
// never hold up the table. An answer reaches the UI thread only while its
// receiver exists and it was not cancelled.
class AuditService final : public QObject
{
    Q_OBJECT

public:
    template <typename Result>
    using ReaderJob = std::function<Result(AuditReader &, const std::atomic<bool> &cancel)>;
    template <typename Result>
    using StoreJob = std::function<Result(const std::string &storePath, const std::atomic<bool> &cancel)>;
    using FailureHandler = std::function<void(const QueryFailure &)>;

    explicit AuditService(QObject *parent = nullptr);
    ~AuditService() override; // cancels nothing itself; waits for running jobs
    Q_DISABLE_COPY_MOVE(AuditService)

    void setStorePath(const QString &path);
    bool hasStore() const { return !m_path.empty(); }
    int pendingJobs() const { return m_pending; }

    template <typename Result>
    void read(QObject *receiver, CancelToken cancel, ReaderJob<Result> job, std::function<void(Result)> done,
              FailureHandler failed = {});
    template <typename Result>
    void background(QObject *receiver, CancelToken cancel, StoreJob<Result> job, std::function<void(Result)> done,
                    FailureHandler failed = {});

private:
    template <typename Result>
    using Outcome = std::variant<std::monostate, Result, QueryFailure>;
    template <typename Result>
    void start(QThreadPool &pool, QObject *receiver, CancelToken cancel,
               std::function<Result(const std::string &, std::uint64_t, const std::atomic<bool> &)> job,
               std::function<void(Result)> done, FailureHandler failed);

    static AuditReader &readerForThisThread(const std::string &path, std::uint64_t epoch);
    static void forgetThreadReader();
    void finishOne() { --m_pending; }

    QThreadPool m_readers;
    QThreadPool m_background;
    std::string m_path;
    std::uint64_t m_epoch = 0;
    int m_pending = 0;
};

template <typename Result>
void AuditService::read(QObject *receiver, CancelToken cancel, ReaderJob<Result> job, std::function<void(Result)> done,
                        FailureHandler failed)
{
    start<Result>(
        m_readers, receiver, std::move(cancel),
        [job = std::move(job)](const std::string &path, std::uint64_t epoch, const std::atomic<bool> &c) {
            return job(readerForThisThread(path, epoch), c);
        },
        std::move(done), std::move(failed));
}

template <typename Result>
void AuditService::background(QObject *receiver, CancelToken cancel, StoreJob<Result> job,
                              std::function<void(Result)> done, FailureHandler failed)
{
    start<Result>(
        m_background, receiver, std::move(cancel),
        [job = std::move(job)](const std::string &path, std::uint64_t, const std::atomic<bool> &c) { return job(path, c); },
        std::move(done), std::move(failed));
}

template <typename Result>
void AuditService::start(QThreadPool &pool, QObject *receiver, CancelToken cancel,
                         std::function<Result(const std::string &, std::uint64_t, const std::atomic<bool> &)> job,
                         std::function<void(Result)> done, FailureHandler failed)
{
    if (!cancel)
        cancel = std::make_shared<std::atomic<bool>>(false);
    ++m_pending;
    auto outcome = std::make_shared<Outcome<Result>>();
    QPointer<QObject> guard(receiver);
    auto deliver = [this, guard, cancel, outcome, done = std::move(done), failed = std::move(failed)] {
        finishOne();
        if (!guard || cancel->load())
            return;
        if (auto *result = std::get_if<1>(outcome.get()))
            done(std::move(*result));
        else if (auto *failure = std::get_if<2>(outcome.get()); failure && failed)
            failed(*failure);
    };
    if (m_path.empty()) {
        *outcome = QueryFailure{StoreErrorKind::NotFound, tr("No store is open.")};
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
        return;
    }
    pool.start([this, path = m_path, epoch = m_epoch, cancel, outcome, job = std::move(job),
                deliver = std::move(deliver)]() mutable {
        if (!cancel->load()) {
            try {
                outcome->template emplace<1>(job(path, epoch, *cancel));
            } catch (const StoreError &e) {
                forgetThreadReader(); // reopen next time: the store may have been replaced
                outcome->template emplace<2>(QueryFailure{e.kind(), QString::fromUtf8(e.what())});
            } catch (const std::exception &e) {
                forgetThreadReader();
                outcome->template emplace<2>(QueryFailure{StoreErrorKind::Other, QString::fromUtf8(e.what())});
            }
        }
        // The service outlives its jobs (its destructor waits for them).
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

} // namespace vigil::ui
