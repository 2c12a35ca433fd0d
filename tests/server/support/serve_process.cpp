#include "serve_process.h"

#include "test_support.h"

#include <QRegularExpression>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

namespace vigil::test {

ServeProcess::ServeProcess(const QStringList &args, const std::string &logFile, std::function<void()> inChild,
                           const QProcessEnvironment &env)
    : m_logFile(logFile)
{
    // Only what this process writes counts (a restarted server may share the file).
    std::ifstream existing(logFile, std::ios::binary | std::ios::ate);
    m_logOffset = existing ? static_cast<std::size_t>(existing.tellg()) : 0;
    if (inChild)
        m_process.setChildProcessModifier(std::move(inChild));
    m_process.setProcessEnvironment(env);
    m_process.setStandardErrorFile(QString::fromStdString(logFile), QIODevice::Append);
    m_process.start(vigilctlPath(), QStringList{QStringLiteral("serve")} + args);
    m_process.waitForStarted(30000);
}

ServeProcess::~ServeProcess()
{
    if (running())
        kill();
}

std::string ServeProcess::log() const
{
    std::ifstream in(m_logFile, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string all = s.str();
    return all.size() > m_logOffset ? all.substr(m_logOffset) : std::string();
}

bool ServeProcess::waitUntilListening(int timeoutMs)
{
    static const QRegularExpression listening(QStringLiteral("listening on https?://.*:(\\d+),"));
    return waitUntil(
               [&] {
                   const QRegularExpressionMatch match = listening.match(QString::fromStdString(log()));
                   if (match.hasMatch() && running()) {
                       m_port = static_cast<std::uint16_t>(match.captured(1).toUInt());
                       return true;
                   }
                   return !running();
               },
               timeoutMs, 20) &&
           running() && m_port != 0;
}

std::int64_t ServeProcess::peakMemoryBytes() const
{
    std::ifstream status("/proc/" + std::to_string(pid()) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stoll(line.substr(6)) * 1024;
    }
    return 0;
}

void ServeProcess::sendSignal(int signal)
{
    if (running() && pid() > 0)
        ::kill(static_cast<pid_t>(pid()), signal);
}

void ServeProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(30000);
}

bool ServeProcess::waitForExit(int timeoutMs)
{
    if (!running())
        return true;
    return m_process.waitForFinished(timeoutMs);
}

std::string ServeProcess::out()
{
    return m_process.readAllStandardOutput().toStdString();
}

} // namespace vigil::test
