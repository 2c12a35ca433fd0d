#pragma once

#include "ingest/file_ingester.h"

#include <chrono>

namespace vigil::cli {

// A one-line progress bar on stderr (only when stderr is a terminal): bytes,
// records/s and the time left. Redraws at most five times a second.
class ProgressBar final
{
public:
    explicit ProgressBar(bool enabled);
    void update(const IngestProgress &progress);
    void finish();

private:
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_started;
    std::chrono::steady_clock::time_point m_lastDraw;
};

} // namespace vigil::cli
