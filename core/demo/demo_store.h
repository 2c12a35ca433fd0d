#pragma once

#include "ingest/file_ingester.h"
#include "ingest/ingest_summary.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace vigil {

struct DemoStoreOptions
{
    std::string storePath;
    std::int64_t nowMs = 0;           // the demo day ends here
    std::uint64_t records = 150'000;  // in the day
};

// Builds the demo store: a day of realistic traffic ending at `nowMs` with the
// incident in its last hour (see GeneratorOptions), written as an NDJSON file
// next to the store and ingested like any log file. An existing store at the
// path is replaced only when it is a demo store; anything else is refused
// with StoreError(NotWritable) and left alone. The prompts the records stamp
// come from a git repository built next to the store, with their activation
// history recorded (see demo_prompts.h).
IngestSummary buildDemoStore(const DemoStoreOptions &options, const std::atomic<bool> &cancel,
                             const ProgressCallback &progress = {});

// Where the demo log of a demo store is written.
std::string demoLogPath(const std::string &storePath);

} // namespace vigil
