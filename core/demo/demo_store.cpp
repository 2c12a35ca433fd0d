#include "demo/demo_store.h"

#include "demo/demo_prompts.h"
#include "demo/log_generator.h"
#include "prompts/prompt_error.h"
#include "record/price_table.h"
#include "store/rollup_accumulator.h"
#include "store/store_meta.h"
#include "store/write_queue.h"

#include <cstdio>
#include <filesystem>

namespace vigil {

std::string demoLogPath(const std::string &storePath)
{
    return storePath + ".ndjson";
}

IngestSummary buildDemoStore(const DemoStoreOptions &options, const std::atomic<bool> &cancel,
                             const ProgressCallback &progress)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(options.storePath, ec)) {
        std::optional<std::string> mark;
        try {
            mark = readStoreMeta(options.storePath, "demo");
        } catch (const StoreError &) {
        }
        if (mark != "1")
            throw StoreError(StoreErrorKind::NotWritable,
                             options.storePath + ": exists and is not a demo store; not touching it");
        removeStoreFiles(options.storePath);
    }

    const std::string logPath = demoLogPath(options.storePath);
    GeneratorOptions gen;
    gen.endMs = options.nowMs;
    gen.startMs = options.nowMs - kDayMs;
    gen.records = options.records;
    gen.minPayloadBytes = 400;
    gen.maxPayloadBytes = 1500;
    gen.malformedShare = 0.0005;
    gen.incidentEndMs = options.nowMs;
    // The prompts the records stamp are real commits of a prompts repository
    // next to the store, so the demo can show, diff and roll them back.
    const DemoPromptHistory prompts = buildDemoPromptsRepo(options.storePath, gen.startMs, gen.endMs);
    gen.prompts = prompts.prompts;
    fs::create_directories(fs::path(logPath).parent_path(), ec);
    FILE *file = std::fopen(logPath.c_str(), "wb");
    if (!file)
        throw StoreError(StoreErrorKind::NotWritable, logPath + ": cannot write the demo log");
    LogGenerator generator(gen);
    std::string line;
    bool ok = true;
    while (ok && generator.next(line)) {
        line += '\n';
        ok = std::fwrite(line.data(), 1, line.size(), file) == line.size();
    }
    ok = std::fclose(file) == 0 && ok;
    if (!ok)
        throw StoreError(StoreErrorKind::DiskFull, logPath + ": writing the demo log failed");

    writeStoreMeta(options.storePath, "demo", "1"); // first, so a failed build can be rebuilt
    try {
        recordDemoActivations(options.storePath, prompts);
    } catch (const PromptError &e) {
        throw StoreError(StoreErrorKind::NotWritable, std::string("recording the demo's prompt activations: ") + e.what());
    }
    WriteQueue queue(options.storePath);
    FileIngestOptions ingest;
    ingest.prices = &PriceTable::builtin();
    FileIngester ingester(queue, ingest);
    return ingester.run(logPath, cancel, progress);
}

} // namespace vigil
