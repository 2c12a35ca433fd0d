#pragma once

#include "query/query_service.h"

#include <cstdint>
#include <memory>

namespace vigil::ui {

// The newest query of one kind that a page asked for. Asking again cancels
// the one in flight and moves the generation on, so an answer for a range or
// filter the user already left is dropped rather than drawn over the new one.
// UI thread only.
class LatestQuery final
{
public:
    struct Ticket
    {
        std::uint64_t generation = 0;
        CancelToken cancel;
    };

    LatestQuery() = default;
    ~LatestQuery() { cancel(); }
    LatestQuery(const LatestQuery &) = delete;
    LatestQuery &operator=(const LatestQuery &) = delete;

    Ticket next()
    {
        cancel();
        m_cancel = std::make_shared<std::atomic<bool>>(false);
        m_inFlight = true;
        return {++m_generation, m_cancel};
    }

    // True when `generation` is still the newest: the caller may show it.
    bool accept(std::uint64_t generation)
    {
        if (generation != m_generation) {
            ++m_dropped;
            return false;
        }
        m_inFlight = false;
        return true;
    }

    void cancel()
    {
        if (m_cancel)
            m_cancel->store(true);
        m_inFlight = false;
    }

    bool inFlight() const { return m_inFlight; }
    std::uint64_t generation() const { return m_generation; }
    std::uint64_t dropped() const { return m_dropped; }

private:
    std::uint64_t m_generation = 0;
    std::uint64_t m_dropped = 0;
    CancelToken m_cancel;
    bool m_inFlight = false;
};

} // namespace vigil::ui
