#include "prompts/prompt_worker.h"

#include <QCoreApplication>

namespace vigil::ui {

// The failure of a worker job in words an operator can act on.
QString describePromptFailure(const PromptFailure &f)
{
    if (f.promptKind) {
        switch (*f.promptKind) {
        case PromptErrorKind::RepositoryUnavailable:
            return QCoreApplication::translate("PromptsPage", "The prompts repository cannot be read: %1").arg(f.message);
        case PromptErrorKind::Git: return QCoreApplication::translate("PromptsPage", "Git failed: %1").arg(f.message);
        case PromptErrorKind::DeployUnwritable:
            return QCoreApplication::translate("PromptsPage", "The deploy folder cannot be written: %1").arg(f.message);
        default: return QCoreApplication::translate("PromptsPage", "Refused: %1").arg(f.message);
        }
    }
    if (f.storeKind) {
        if (*f.storeKind == StoreErrorKind::NotWritable || *f.storeKind == StoreErrorKind::Locked ||
            *f.storeKind == StoreErrorKind::DiskFull)
            return QCoreApplication::translate("PromptsPage", "The store cannot be written, nothing was switched: %1").arg(f.message);
        return QCoreApplication::translate("PromptsPage", "The store cannot be read: %1").arg(f.message);
    }
    return f.message;
}

const PromptLocation &PromptSession::location()
{
    if (!m_location)
        m_location = resolvePromptLocation(m_inputs);
    return *m_location;
}

PromptRegistry &PromptSession::registry()
{
    if (!m_registry) {
        const PromptLocation &where = location();
        if (where.repository.empty())
            throw PromptError(PromptErrorKind::RepositoryUnavailable, "no prompts repository is configured");
        // A failure is not kept: the next job tries again (the folder may appear).
        m_registry = std::make_unique<PromptRegistry>(RegistryOptions{where.repository, where.folder});
    }
    return *m_registry;
}

PromptWorker::PromptWorker(QObject *parent)
    : QObject(parent), m_session(std::make_shared<PromptSession>(PromptLocationInputs{}))
{
    // One thread: the registry is used by one thread at a time, and jobs run
    // in the order they were asked for (a switch after the diff it confirms).
    m_pool.setMaxThreadCount(1);
}

PromptWorker::~PromptWorker()
{
    m_pool.waitForDone();
}

void PromptWorker::setInputs(const PromptLocationInputs &inputs)
{
    m_inputs = inputs;
    m_session = std::make_shared<PromptSession>(inputs);
}

PromptFailure PromptWorker::describe(std::exception_ptr error)
{
    PromptFailure failure;
    try {
        std::rethrow_exception(error);
    } catch (const PromptError &e) {
        failure.promptKind = e.kind();
        failure.message = QString::fromStdString(e.what());
    } catch (const StoreError &e) {
        failure.storeKind = e.kind();
        failure.message = QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        failure.message = QString::fromStdString(e.what());
    } catch (...) {
        failure.message = QStringLiteral("unknown error");
    }
    return failure;
}

void PromptWorker::finishOne()
{
    if (--m_pending == 0)
        Q_EMIT idle();
}

} // namespace vigil::ui
