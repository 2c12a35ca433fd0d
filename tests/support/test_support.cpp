#include "test_support.h"

#include <QDir>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <cstdio>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef VIGILCTL_PATH
#error "VIGILCTL_PATH must point at the vigilctl binary"
#endif

namespace vigil::test {

TempDir::TempDir() : m_dir(QDir::tempPath() + QStringLiteral("/vigil-test-XXXXXX")) {}

std::string TempDir::path(const std::string &name) const
{
    return m_dir.filePath(QString::fromStdString(name)).toStdString();
}

std::string TempDir::root() const
{
    return m_dir.path().toStdString();
}

void writeFile(const std::string &path, const std::string &content)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

void appendFile(const std::string &path, const std::string &content)
{
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << content;
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string recordLine(const std::string &requestId, long long tsMs, double latencyMs,
                       const std::string &tenant, const std::string &outcome, const std::string &model)
{
    char latency[64];
    std::snprintf(latency, sizeof latency, "%.3f", latencyMs);
    return "{\"ts\":" + std::to_string(tsMs) + ",\"request_id\":\"" + requestId +
           "\",\"tenant\":\"" + tenant + "\",\"model\":\"" + model +
           "\",\"provider\":\"openai\",\"latency_ms\":" + latency + ",\"outcome\":\"" + outcome +
           "\",\"input_tokens\":100,\"output_tokens\":20}";
}

QString vigilctlPath()
{
    return QStringLiteral(VIGILCTL_PATH);
}

ProcessResult runVigilctl(const QStringList &args, int timeoutMs, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(vigilctlPath(), args);
    ProcessResult result;
    if (!process.waitForStarted(10000))
        return result;
    process.waitForFinished(timeoutMs);
    result.crashed = process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput().toStdString();
    result.err = process.readAllStandardError().toStdString();
    return result;
}

QJsonObject parseJsonObject(const std::string &text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(text), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        ADD_FAILURE() << "not a JSON object (" << error.errorString().toStdString() << "): "
                      << text.substr(0, 2000);
        return {};
    }
    return doc.object();
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs, int pollMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        if (condition())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(pollMs));
    }
}

} // namespace vigil::test
