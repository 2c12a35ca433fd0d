#include "vigilctl_child.h"

#include <csignal>
#include <fstream>
#include <string>
#include <sys/types.h>

namespace vigil::test {

VigilctlChild::VigilctlChild(const QStringList &args, std::function<void()> inChild)
{
    if (inChild)
        m_process.setChildProcessModifier(std::move(inChild));
    m_process.start(vigilctlPath(), args);
    m_started = m_process.waitForStarted(30000);
}

VigilctlChild::~VigilctlChild()
{
    if (running())
        kill();
}

bool VigilctlChild::running() const
{
    return m_process.state() != QProcess::NotRunning;
}

qint64 VigilctlChild::pid() const
{
    return m_process.processId();
}

void VigilctlChild::sendSignal(int signal)
{
    if (running() && pid() > 0)
        ::kill(static_cast<pid_t>(pid()), signal);
}

bool VigilctlChild::catchesSignal(int signal) const
{
    if (!running())
        return false;
    std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("SigCgt:", 0) == 0) {
            const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
            return (mask >> (signal - 1)) & 1ULL;
        }
    }
    return false;
}

void VigilctlChild::kill()
{
    m_process.kill();
    m_process.waitForFinished(30000);
}

bool VigilctlChild::waitForExit(int timeoutMs)
{
    if (!running())
        return true;
    // waitForFinished also drains the child's output pipes, so a chatty child
    // never blocks on a full pipe while we wait.
    return m_process.waitForFinished(timeoutMs);
}

ProcessResult VigilctlChild::result()
{
    ProcessResult r;
    r.crashed = m_process.exitStatus() == QProcess::CrashExit;
    r.exitCode = m_process.exitCode();
    r.out = m_process.readAllStandardOutput().toStdString();
    r.err = m_process.readAllStandardError().toStdString();
    return r;
}

} // namespace vigil::test
