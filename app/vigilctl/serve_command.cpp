// vigilctl serve: the always-on HTTP receiver (NDJSON and OTLP) in front of the store.
#include "alerts_cli.h"
#include "cli.h"
#include "commands.h"
#include "prompt_settings.h"

#include "alerts/alert_service.h"
#include "metrics/time_window.h"
#include "prompts/prompt_error.h"
#include "prompts/prompt_registry.h"
#include "record/timestamp.h"
#include "server/ingest_server.h"
#include "server/token_store.h"
#include "store/store_error.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSocketNotifier>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::cli {

namespace {

int g_signalPipe[2] = {-1, -1};

extern "C" void onShutdownSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalPipe[1], &byte, 1);
}

// "127.0.0.1:4318", "[::1]:4318", "0.0.0.0:80", ":4318" (all interfaces).
bool parseListen(const QString &text, QHostAddress &address, quint16 &port)
{
    const auto colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return false;
    QString host = text.left(colon);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    port = static_cast<quint16>(p);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty() || host == QStringLiteral("*")) {
        address = QHostAddress::Any;
        return true;
    }
    if (host == QStringLiteral("localhost")) {
        address = QHostAddress::LocalHost;
        return true;
    }
    return address.setAddress(host);
}

} // namespace

int runServe(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Receive request logs over HTTP and store them.\n"
        "  POST /v1/requests   records as NDJSON (application/x-ndjson) or JSON (application/json)\n"
        "  POST /v1/traces     OTLP/HTTP trace export, protobuf or JSON (GenAI spans become records)\n"
        "  GET  /healthz       store writable, queue depth, last commit\n"
        "  GET  /metrics       Prometheus text\n"
        "  GET  /v1/prompts/NAME  the active version of a prompt (ETag, 304), from --repo\n"
        "  GET  /v1/budget/TENANT today's spend against the tenant's cap, and whether to go on\n"
        "Alert rules ([alerts], else the shipped defaults) are evaluated here; notifications sent.\n"
        "A 2xx answer means the records are committed durably. Bearer tokens come from the\n"
        "config ([[server.tokens]] hashes), a token file (`vigilctl token add`), or VIGIL_TOKEN;\n"
        "with none, only clients on this machine are served. SIGINT/SIGTERM: stop accepting,\n"
        "answer what is in flight, exit 0."));
    addCommonOptions(parser);
    parser.addOption({QStringLiteral("listen"), QStringLiteral("Address to listen on (default 127.0.0.1:4318)."), QStringLiteral("host:port")});
    parser.addOption({QStringLiteral("token-file"), QStringLiteral("Token file (re-read when it changes)."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("max-body"), QStringLiteral("Largest request body in bytes after decompression (default 64 MiB)."), QStringLiteral("bytes")});
    parser.addOption({QStringLiteral("read-timeout"), QStringLiteral("Seconds a client has to send a whole request (default 30)."), QStringLiteral("seconds")});
    parser.addOption({QStringLiteral("quiet"), QStringLiteral("No access log.")});
    addPromptOptions(parser, false);
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    Environment env;
    if (auto code = loadEnvironment(parser, env))
        return *code;
    const ServerConfig serverConfig = env.config ? env.config->server : ServerConfig();

    http::ServerOptions options;
    const QString listen = parser.isSet(QStringLiteral("listen")) ? parser.value(QStringLiteral("listen"))
                           : serverConfig.listen ? QString::fromStdString(*serverConfig.listen)
                                                 : QStringLiteral("127.0.0.1:4318");
    if (!parseListen(listen, options.address, options.port)) {
        err() << "vigilctl serve: --listen \"" << listen << "\" is not HOST:PORT (e.g. 127.0.0.1:4318)\n";
        return BadUsage;
    }
    if (parser.isSet(QStringLiteral("max-body"))) {
        bool ok = false;
        options.limits.maxBodyBytes = parser.value(QStringLiteral("max-body")).toLongLong(&ok);
        if (!ok || options.limits.maxBodyBytes < 1024) {
            err() << "vigilctl serve: --max-body must be a number of bytes (at least 1024)\n";
            return BadUsage;
        }
    } else if (serverConfig.maxBodyBytes) {
        options.limits.maxBodyBytes = *serverConfig.maxBodyBytes;
    }
    options.limits.maxWireBodyBytes = options.limits.maxBodyBytes;
    if (parser.isSet(QStringLiteral("read-timeout"))) {
        bool ok = false;
        const int seconds = parser.value(QStringLiteral("read-timeout")).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 3600) {
            err() << "vigilctl serve: --read-timeout must be 1 to 3600 seconds\n";
            return BadUsage;
        }
        options.limits.requestTimeoutMs = seconds * 1000;
    } else if (serverConfig.readTimeoutSeconds) {
        options.limits.requestTimeoutMs = *serverConfig.readTimeoutSeconds * 1000;
    }
    if (serverConfig.tlsCertificate && serverConfig.tlsKey) {
        QString error;
        options.tls = http::loadTlsConfiguration(QString::fromStdString(*serverConfig.tlsCertificate),
                                                 QString::fromStdString(*serverConfig.tlsKey), error);
        if (!options.tls) {
            err() << "vigilctl serve: " << error << '\n';
            return BadUsage;
        }
    }

    // Tokens: hashes from the config, the token file, and VIGIL_TOKEN.
    std::vector<TokenEntry> configured;
    for (const auto &t : serverConfig.tokens) {
        TokenEntry e;
        e.name = QString::fromStdString(t.name.empty() ? std::string("config") : t.name);
        e.sha256 = QByteArray::fromHex(QByteArray::fromStdString(t.sha256Hex));
        if (t.tenant)
            e.tenant = QString::fromStdString(*t.tenant);
        configured.push_back(std::move(e));
    }
    if (const QByteArray secret = qgetenv("VIGIL_TOKEN"); !secret.isEmpty())
        configured.push_back({QStringLiteral("VIGIL_TOKEN"), TokenStore::hash(secret), std::nullopt});
    const QString tokenFile = parser.isSet(QStringLiteral("token-file")) ? parser.value(QStringLiteral("token-file"))
                              : serverConfig.tokenFile ? QString::fromStdString(*serverConfig.tokenFile)
                                                       : QString();
    IngestServer::Options serverOptions;
    serverOptions.storePath = env.storePath;
    serverOptions.http = options;
    serverOptions.tokens = std::move(configured);
    serverOptions.tokenFile = tokenFile;
    serverOptions.prices = env.prices;
    serverOptions.queueBatches = static_cast<std::size_t>(serverConfig.queueBatches.value_or(64));
    const PromptSettings prompts = resolvePromptSettings(parser, env);
    serverOptions.promptsRepository = prompts.repository;
    serverOptions.promptsFolder = prompts.folder;
    serverOptions.alerts = alertSetupFor(env.config);
    serverOptions.retention = retentionPolicy(env);
    if (const auto failed = loadRedactor(env, serverOptions.redactor))
        return *failed;
    if (!prompts.repository.empty()) {
        try {
            PromptRegistry check({prompts.repository, prompts.folder}); // a missing repository is bad input
        } catch (const PromptError &e) {
            err() << "vigilctl serve: " << QString::fromUtf8(e.what()) << '\n';
            return BadUsage;
        }
    }
    std::optional<IngestServer> server;
    try {
        server.emplace(std::move(serverOptions));
    } catch (const StoreError &e) {
        err() << "vigilctl serve: cannot open the store: " << QString::fromUtf8(e.what()) << '\n';
        return RuntimeFailure;
    }
    if (AlertService *alerting = server->alerting())
        logAlertActivity(*alerting, "vigilctl serve");
    if (const QString error = server->tokenFileError(); !error.isEmpty()) {
        err() << "vigilctl serve: " << error << '\n';
        return BadUsage;
    }
    const bool loopback = options.address.isLoopback();
    if (!server->hasTokens()) {
        if (!loopback) {
            err() << "vigilctl serve: refusing to listen on " << listen
                  << " without any token: add one (vigilctl token add NAME --token-file FILE) or listen on 127.0.0.1\n";
            return BadUsage;
        }
        err() << "vigilctl serve: no tokens configured: serving clients on this machine (loopback) only\n";
    }

    const bool quiet = parser.isSet(QStringLiteral("quiet"));
    QObject::connect(&*server, &IngestServer::requestServed, &*server,
                     [quiet](const http::AccessLogEntry &e) {
                         if (quiet)
                             return;
                         // One line per request; never a token or a body.
                         err() << QString::fromStdString(formatRfc3339Ms(currentTimeMs())) << ' '
                               << e.method << ' ' << e.path << ' ' << e.status << ' ' << e.bytesIn << "B "
                               << e.bytesOut << "B " << QString::number(e.ms, 'f', 1) << "ms peer=" << e.peer;
                         if (!e.tenant.isEmpty())
                             err() << " tenant=" << e.tenant;
                         err() << '\n';
                         err().flush();
                     });

    QObject::connect(&*server, &IngestServer::maintenanceEvent, &*server, [quiet](const QString &line) {
        if (quiet)
            return;
        err() << QString::fromStdString(formatRfc3339Ms(currentTimeMs())) << ' ' << line << '\n';
        err().flush();
    });

    // SIGINT/SIGTERM through a pipe into the event loop, set up before we
    // listen: whoever saw "listening" may signal us at once.
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        err() << "vigilctl serve: cannot set up signal handling\n";
        return RuntimeFailure;
    }
    struct sigaction action{};
    action.sa_handler = &onShutdownSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
    QSocketNotifier notifier(g_signalPipe[0], QSocketNotifier::Read);
    bool stopping = false;
    QObject::connect(&notifier, &QSocketNotifier::activated, &*server, [&] {
        char buffer[16];
        while (::read(g_signalPipe[0], buffer, sizeof buffer) > 0) {
        }
        if (stopping)
            return;
        stopping = true;
        err() << "vigilctl serve: stopping: answering the requests in flight\n";
        err().flush();
        server->shutdown([] { QCoreApplication::quit(); });
    });
    QString error;
    if (!server->listen(error)) {
        err() << "vigilctl serve: " << error << '\n';
        return RuntimeFailure;
    }
    err() << "vigilctl serve: listening on " << (options.tls ? "https://" : "http://")
          << (options.address.protocol() == QAbstractSocket::IPv6Protocol ? QLatin1Char('[') + options.address.toString() + QLatin1Char(']')
                                                                           : options.address.toString())
          << ':' << server->port() << ", store " << QString::fromStdString(env.storePath) << '\n';
    err().flush();

    QCoreApplication::exec();
    server.reset(); // everything acknowledged is committed; checkpoint and close
    err() << "vigilctl serve: stopped\n";
    return Ok;
}

int runToken(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Bearer tokens for vigilctl serve.\n"
        "  add NAME --token-file FILE [--tenant T]   make a token, store its hash, print it once\n"
        "  hash                                      read a token on stdin, print its sha256 for\n"
        "                                            [[server.tokens]] in vigil.toml"));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.addHelpOption();
    parser.addOption({QStringLiteral("token-file"), QStringLiteral("The token file."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("tenant"), QStringLiteral("Bind the token to one tenant."), QStringLiteral("tenant")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("add NAME, or hash"), QStringLiteral("add NAME|hash"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() == 1 && pos[0] == QStringLiteral("hash")) {
        QTextStream in(stdin);
        const QByteArray secret = in.readLine().trimmed().toUtf8();
        if (secret.isEmpty()) {
            err() << "vigilctl token hash: give the token on stdin\n";
            return BadUsage;
        }
        out() << TokenStore::hash(secret).toHex() << '\n';
        return Ok;
    }
    if (pos.size() != 2 || pos[0] != QStringLiteral("add")) {
        err() << "vigilctl token: use \"add NAME --token-file FILE\" or \"hash\"\n\n" << parser.helpText();
        return BadUsage;
    }
    static const QRegularExpression safe(QStringLiteral("^[A-Za-z0-9._-]{1,64}$"));
    const QString name = pos[1];
    std::optional<QString> tenant;
    if (parser.isSet(QStringLiteral("tenant")))
        tenant = parser.value(QStringLiteral("tenant"));
    if (!safe.match(name).hasMatch() || (tenant && !safe.match(*tenant).hasMatch())) {
        err() << "vigilctl token add: names and tenants are 1-64 of A-Z a-z 0-9 . _ -\n";
        return BadUsage;
    }
    if (!parser.isSet(QStringLiteral("token-file"))) {
        err() << "vigilctl token add: --token-file is required\n";
        return BadUsage;
    }
    QString error;
    const auto secret = TokenStore::addToken(parser.value(QStringLiteral("token-file")), name, tenant, error);
    if (!secret) {
        err() << "vigilctl token add: " << error << '\n';
        return RuntimeFailure;
    }
    err() << "New token \"" << name << "\"" << (tenant ? QStringLiteral(" bound to tenant ") + *tenant : QString())
          << ". It is shown once; only its hash is stored:\n";
    err().flush();
    out() << *secret << '\n';
    return Ok;
}

} // namespace vigil::cli
