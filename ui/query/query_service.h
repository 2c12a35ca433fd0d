#pragma once

#include "store/metrics_reader.h"
#include "store/store_error.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

namespace vigil::ui {

using CancelToken = std::shared_ptr<std::atomic<bool>>;

struct QueryFailure
{
    StoreErrorKind kind = StoreErrorKind::Other;
    QString message;
};

// Runs read queries off the UI thread. Every worker thread of its pool keeps
// its own MetricsReader (a reader owns one read connection and is not
// thread-safe), opened on first use and reopened when the store changes. A
// job's answer comes back on the UI thread and is handed on only while the
// receiver still exists and the job was not cancelled; the job itself sees
// the cancel flag and stops early.
class QueryService final : public QObject
{
    Q_OBJECT

public:
    template <typename Result>
    using Job = std::function<Result(MetricsReader &, const std::atomic<bool> &cancel)>;
    using FailureHandler = std::function<void(const QueryFailure &)>;

    explicit QueryService(QObject *parent = nullptr);
    ~QueryService() override; // waits for running jobs
    Q_DISABLE_COPY_MOVE(QueryService)

    void setStorePath(const QString &path); // empty: no store open
    QString storePath() const { return QString::fromStdString(m_path); }
    bool hasStore() const { return !m_path.empty(); }
    int pendingJobs() const { return m_pending; }

    template <typename Result>
    void run(QObject *receiver, CancelToken cancel, Job<Result> job, std::function<void(Result)> done,
             FailureHandler failed = {});

Q_SIGNALS:
    void idle(); // the last pending job's answer was delivered (or dropped)

private:
    template <typename Result>
    using Outcome = std::variant<std::monostate, Result, QueryFailure>;

    static MetricsReader &readerForThisThread(const std::string &path, std::uint64_t epoch);
    static void forgetThreadReader();
    void finishOne();

    QThreadPool m_pool;
    std::string m_path;
    std::uint64_t m_epoch = 0;
    int m_pending = 0;
};

template <typename Result>
void QueryService::run(QObject *receiver, CancelToken cancel, Job<Result> job, std::function<void(Result)> done,
                       FailureHandler failed)
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
    m_pool.start([this, path = m_path, epoch = m_epoch, cancel, outcome, job = std::move(job),
                  deliver = std::move(deliver)]() mutable {
        if (!cancel->load()) {
            try {
                outcome->template emplace<1>(job(readerForThisThread(path, epoch), *cancel));
            } catch (const StoreError &e) {
                forgetThreadReader(); // reopen next time: the store may have been replaced
                outcome->template emplace<2>(QueryFailure{e.kind(), QString::fromUtf8(e.what())});
            } catch (const std::exception &e) {
                forgetThreadReader();
                outcome->template emplace<2>(QueryFailure{StoreErrorKind::Other, QString::fromUtf8(e.what())});
            }
        }
        // The service outlives its jobs (its destructor waits for them), so
        // posting to it is safe; the receiver is checked on the UI thread.
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

} // namespace vigil::ui
