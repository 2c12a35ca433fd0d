#pragma once

#include "prompts/repository_location.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_registry.h"
#include "store/store_error.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

namespace vigil::ui {

// Why a job on the prompts worker failed, in words for the page.
struct PromptFailure
{
    std::optional<PromptErrorKind> promptKind;
    std::optional<StoreErrorKind> storeKind;
    QString message;
};
// The failure in words an operator can act on ("Refused: ...", "The prompts
// repository cannot be read: ...").
QString describePromptFailure(const PromptFailure &failure);

// What a job works with: the location (resolved on the worker, since it reads
// vigil.toml and the store's meta) and the registry, opened on first use and
// kept while the location stays the same. Only ever touched by the worker thread.
class PromptSession final
{
public:
    explicit PromptSession(PromptLocationInputs inputs) : m_inputs(std::move(inputs)) {}

    const std::string &storePath() const { return m_inputs.storePath; }
    const PromptLocation &location();
    // Throws PromptError(RepositoryUnavailable) when none is configured or it cannot be read.
    PromptRegistry &registry();
    bool hasRepository() { return !location().repository.empty(); }

private:
    PromptLocationInputs m_inputs;
    std::optional<PromptLocation> m_location;
    std::unique_ptr<PromptRegistry> m_registry;
};

// Runs the page's git and store work on one worker thread, in the order it
// was asked for: the registry is not thread safe and libgit2 reads can be
// slow, so neither ever runs on the UI thread. An answer comes back on the UI
// thread only while its receiver exists and its job was not cancelled.
class PromptWorker final : public QObject
{
    Q_OBJECT

public:
    template <typename Result>
    using Job = std::function<Result(PromptSession &, const std::atomic<bool> &cancel)>;
    using FailureHandler = std::function<void(const PromptFailure &)>;
    using Cancel = std::shared_ptr<std::atomic<bool>>;

    explicit PromptWorker(QObject *parent = nullptr);
    ~PromptWorker() override; // waits for the running job
    Q_DISABLE_COPY_MOVE(PromptWorker)

    // A new store or location: jobs asked for from now on use a fresh session.
    void setInputs(const PromptLocationInputs &inputs);
    const PromptLocationInputs &inputs() const { return m_inputs; }
    int pendingJobs() const { return m_pending; }

    template <typename Result>
    void run(QObject *receiver, Cancel cancel, Job<Result> job, std::function<void(Result)> done,
             FailureHandler failed = {});

Q_SIGNALS:
    void idle();

private:
    template <typename Result>
    using Outcome = std::variant<std::monostate, Result, PromptFailure>;

    static PromptFailure describe(std::exception_ptr error);
    void finishOne();

    QThreadPool m_pool;
    PromptLocationInputs m_inputs;
    std::shared_ptr<PromptSession> m_session;
    int m_pending = 0;
};

template <typename Result>
void PromptWorker::run(QObject *receiver, Cancel cancel, Job<Result> job, std::function<void(Result)> done,
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
    m_pool.start([this, session = m_session, cancel, outcome, job = std::move(job), deliver = std::move(deliver)]() mutable {
        if (!cancel->load()) {
            try {
                outcome->template emplace<1>(job(*session, *cancel));
            } catch (...) {
                outcome->template emplace<2>(describe(std::current_exception()));
            }
        }
        // The worker outlives its jobs (its destructor waits for them).
        QMetaObject::invokeMethod(this, std::move(deliver), Qt::QueuedConnection);
    });
}

} // namespace vigil::ui
