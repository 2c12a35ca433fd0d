#pragma once

#include "alerts/alert_setup.h"
#include "server/http_server.h"
#include "store/retention.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace vigil {

class AlertService;
class PriceTable;
class Redactor;
class WriteQueue;
struct TokenEntry;

// The whole of `vigilctl serve` but the command line: the store's writer, the
// endpoints behind the router and the token gate, and the HTTP server. Lives
// on the thread that creates it (its event loop serves the sockets).
class IngestServer final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        std::string storePath;
        http::ServerOptions http;
        std::vector<TokenEntry> tokens; // hashes from the config and the environment
        QString tokenFile;              // re-read when it changes
        const PriceTable *prices = nullptr;
        std::size_t queueBatches = 64;
        qint64 maxPendingBytes = 512ll << 20;
        std::string promptsRepository; // GET /v1/prompts/{name}; empty: answered 503
        std::string promptsFolder = "prompts";
        // Alert rules, destinations and cost caps: evaluated after commits
        // and on a timer (nothing: no evaluation); the caps also answer
        // GET /v1/budget/{tenant}.
        std::optional<AlertSetup> alerts;
        // Housekeeping on a thread of its own: the search index soon after
        // commits, an hourly chain checkpoint, and (when set) the daily purge.
        bool maintenance = true;
        std::optional<RetentionPolicy> retention;
        // [redaction] rules applied to every record before it is stored.
        std::shared_ptr<const Redactor> redactor;
    };

    // Opens the store (throws StoreError). Call listen() next.
    explicit IngestServer(Options options, QObject *parent = nullptr);
    ~IngestServer() override; // commits what is queued and checkpoints

    bool listen(QString &error);
    quint16 port() const;
    bool hasTokens();
    // Stop accepting, answer what is in flight, then call `done`.
    void shutdown(std::function<void()> done);
    // A token file that could not be read (empty when fine).
    QString tokenFileError() const { return m_tokenFileError; }
    // The alert evaluator and notifiers (null when Options::alerts was not set).
    AlertService *alerting() const;

Q_SIGNALS:
    void requestServed(const vigil::http::AccessLogEntry &entry);
    // Housekeeping done: "search index: 120 records indexed", a purge, a checkpoint.
    void maintenanceEvent(const QString &line);

private:
    struct Parts;
    std::unique_ptr<Parts> m_parts;
    QString m_tokenFileError;
};

} // namespace vigil
