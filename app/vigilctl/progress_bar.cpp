#include "progress_bar.h"

#include "cli.h"

#include <QFileInfo>

namespace vigil::cli {

ProgressBar::ProgressBar(bool enabled)
    : m_enabled(enabled), m_started(std::chrono::steady_clock::now())
{
}

void ProgressBar::update(const IngestProgress &p)
{
    if (!m_enabled)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (m_drawn && now - m_lastDraw < std::chrono::milliseconds(200))
        return;
    m_lastDraw = now;
    m_drawn = true;
    const double seconds = std::chrono::duration<double>(now - m_started).count();
    const double rate = seconds > 0 ? static_cast<double>(p.records) / seconds : 0;
    // For gzip the compressed position is what moves against the file size.
    const double done = static_cast<double>(p.compressedDone > 0 ? p.compressedDone : p.bytesDone);
    const double total = static_cast<double>(p.bytesTotal);
    const double fraction = total > 0 ? std::min(1.0, done / total) : 0;
    constexpr int width = 24;
    const int filled = static_cast<int>(fraction * width);
    QString bar = QString(filled, QLatin1Char('=')) + QString(width - filled, QLatin1Char(' '));
    QString eta = QStringLiteral("--");
    if (p.following) {
        eta = QStringLiteral("following");
    } else if (fraction > 0.001 && seconds > 0.5) {
        const double left = seconds / fraction - seconds;
        eta = QString::number(static_cast<int>(left)) + QStringLiteral("s left");
    }
    err() << "\r[" << bar << "] " << QString::number(fraction * 100, 'f', 0) << "% "
          << formatBytes(done) << '/' << formatBytes(total) << "  "
          << formatCount(static_cast<long long>(rate)) << " rec/s  " << eta << "  "
          << QFileInfo(QString::fromStdString(p.path)).fileName() << "\x1b[K";
    err().flush();
}

void ProgressBar::finish()
{
    if (m_enabled && m_drawn) {
        err() << "\r\x1b[K";
        err().flush();
    }
}

} // namespace vigil::cli
