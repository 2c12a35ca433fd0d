// vigilctl ingest [--follow] FILE...
#include "cli.h"
#include "commands.h"
#include "ingest_report.h"
#include "progress_bar.h"

#include "audit/operator_log_entry.h"
#include "audit/redaction.h"
#include "ingest/file_ingester.h"
#include "store/fts_indexer.h"
#include "store/operator_log_store.h"
#include "store/write_queue.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <mutex>
#include <thread>

namespace vigil::cli {

int runIngest(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ingest request logs (NDJSON, one record per line; plain or .gz) into the store.\n"
        "Each file resumes after the last line committed from it, so running the command\n"
        "again on a grown file reads only the new lines. Bad lines are quarantined with\n"
        "their file, line and reason and never stop the lines around them."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("follow"),
                      QStringLiteral("Keep reading as the files grow, like tail -F (rotation and "
                                     "copy-truncate included) until Ctrl-C.")});
    parser.addOption({QStringLiteral("no-index"),
                      QStringLiteral("Skip the search-index pass after ingesting (search catches up later).")});
    parser.addOption({QStringLiteral("batch"),
                      QStringLiteral("Records per committed batch (default 8192)."),
                      QStringLiteral("n"), QStringLiteral("8192")});
    parser.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Log files to ingest."),
                                 QStringLiteral("FILE..."));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList files = parser.positionalArguments();
    if (files.isEmpty()) {
        err() << "vigilctl ingest: name at least one log file\n\n" << parser.helpText();
        return BadUsage;
    }
    bool batchOk = false;
    const int batch = parser.value(QStringLiteral("batch")).toInt(&batchOk);
    if (!batchOk || batch < 1 || batch > 1'000'000) {
        err() << "vigilctl ingest: --batch must be a number from 1 to 1000000\n";
        return BadUsage;
    }
    Environment env;
    if (auto code = loadEnvironment(parser, env))
        return *code;
    const bool json = wantsJson(parser);
    const bool follow = parser.isSet(QStringLiteral("follow"));
    installInterruptHandler();

    std::shared_ptr<const Redactor> redactor;
    if (auto code = loadRedactor(env, redactor))
        return *code;
    std::optional<WriteQueue> queue;
    try {
        queue.emplace(env.storePath);
    } catch (const StoreError &e) {
        err() << "vigilctl: cannot open the store: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    queue->setRedactor(redactor);

    const auto started = std::chrono::steady_clock::now();
    FileIngestOptions options;
    options.follow = follow;
    options.batchRecords = static_cast<std::size_t>(batch);
    options.prices = env.prices;
    FileIngester ingester(*queue, options);
    ProgressBar bar(stderrIsTerminal() && !follow);
    IngestSummary total;

    if (!follow) {
        for (const QString &file : files) {
            if (interrupted().load())
                break;
            IngestSummary summary = ingester.run(
                file.toStdString(), interrupted(), [&bar](const IngestProgress &p) { bar.update(p); });
            total.merge(summary);
            if (summary.storeError)
                break;
        }
    } else {
        // One reader per file, one shared writer.
        std::mutex mutex;
        std::vector<std::thread> threads;
        for (const QString &file : files) {
            threads.emplace_back([&, path = file.toStdString()] {
                IngestSummary summary = ingester.run(path, interrupted());
                std::lock_guard lock(mutex);
                total.merge(summary);
            });
        }
        if (!json)
            err() << "Following " << files.size() << (files.size() == 1 ? " file" : " files")
                  << "; press Ctrl-C to stop.\n";
        err().flush();
        for (auto &t : threads)
            t.join();
    }
    bar.finish();
    queue.reset(); // commit, checkpoint and close before reporting
    total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The run is an operator action; then the follow-up pass of the search
    // index (kept out of the ingest itself, which it would halve).
    try {
        OperatorAction action;
        action.action = "ingest.run";
        action.subject = files.join(QStringLiteral(", ")).toStdString();
        action.details = QJsonDocument(ingestSummaryJson(total)).toJson(QJsonDocument::Compact).toStdString();
        OperatorLog(env.storePath).record(action);
        if (!parser.isSet(QStringLiteral("no-index")) && !total.storeError && total.records > 0) {
            FtsIndexer indexer(env.storePath);
            indexer.catchUp(&interrupted());
        }
    } catch (const StoreError &e) {
        err() << "vigilctl: after the ingest: " << QString::fromUtf8(e.what()) << '\n';
        if (!total.storeError)
            total.storeError = e;
    }

    for (const auto &e : total.fileErrors)
        err() << "vigilctl: cannot read " << QString::fromStdString(e) << '\n';
    for (const auto &note : total.pendingLines)
        err() << "vigilctl: " << QString::fromStdString(note) << '\n';
    if (total.storeError)
        err() << "vigilctl: the store failed; everything up to the last committed batch is kept: "
              << QString::fromUtf8(total.storeError->what()) << '\n';
    err().flush();
    if (json)
        printJson(ingestSummaryJson(total));
    else
        printIngestSummary(total, static_cast<int>(files.size()));
    if (total.storeError)
        return RuntimeFailure;
    if (!total.fileErrors.empty())
        return BadUsage;
    return Ok;
}

} // namespace vigil::cli
