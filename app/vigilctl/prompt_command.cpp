// vigilctl prompt: prompt versions from the git repository; which one is
// active; diff, activate and roll back, each recorded in the operator log.
#include "cli.h"
#include "commands.h"
#include "prompt_settings.h"
#include "text_table.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_registry.h"
#include "prompts/prompt_switcher.h"
#include "prompts/text_diff.h"
#include "record/timestamp.h"
#include "store/prompt_activation_store.h"
#include "store/store_error.h"

#include <QJsonArray>

#include <filesystem>
#include <map>
#include <memory>

namespace vigil::cli {

namespace {

const char *const kDescription =
    "Prompt versions: the prompts/ folder of a git repository, one file per prompt,\n"
    "each commit that changed a file a version of it.\n"
    "  list                          prompts, their versions and the active one\n"
    "  log NAME                      the versions of a prompt, newest first\n"
    "  show NAME[@SHA]               a version's text (default: the active one, else the latest)\n"
    "  diff NAME A B [--word]        unified diff between two versions (--word: word level)\n"
    "  activate NAME SHA [--reason]  make a version active (SHA prefix of 7+ digits, or a tag)\n"
    "  rollback NAME [--reason]      go back to the previously active version\n"
    "  active NAME                   the active version, since when, by whom, why\n"
    "Each switch is recorded with an operator-log entry in the store and published to\n"
    "prompts.lock.json in the deploy folder; `vigilctl serve` answers GET /v1/prompts/NAME.\n"
    "Exit codes: 2 bad input (repository, name or SHA), 3 runtime failure (deploy folder\n"
    "not writable: nothing is switched).";

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonValue optionalString(const std::optional<std::string> &s)
{
    return s ? QJsonValue(q(*s)) : QJsonValue();
}

QString date(std::int64_t ms)
{
    return q(formatRfc3339Ms(ms));
}

// The command's context: options, settings, and the error it ends with.
struct Context
{
    QCommandLineParser &parser;
    Environment env;
    PromptSettings settings;
    QString command; // "vigilctl prompt log"
    bool json = false;

    PromptRegistry openRegistry() const { return PromptRegistry({settings.repository, settings.folder}); }

    // The store's activations; none when there is no store yet.
    std::unique_ptr<PromptActivationStore> readStore() const
    {
        std::error_code ec;
        if (!std::filesystem::exists(env.storePath, ec))
            return nullptr;
        return std::make_unique<PromptActivationStore>(env.storePath, PromptActivationStore::Access::ReadOnly);
    }

    int fail(const QString &message, int code) const
    {
        err() << command << ": " << message << '\n';
        err().flush();
        return code;
    }
};

QJsonObject activationJson(const PromptActivation &a)
{
    return QJsonObject{{QStringLiteral("name"), q(a.name)},
                       {QStringLiteral("sha"), q(a.sha)},
                       {QStringLiteral("activated_at"), date(a.activatedAtMs)},
                       {QStringLiteral("by"), q(a.by())},
                       {QStringLiteral("reason"), optionalString(a.reason)}};
}

int runList(Context &c)
{
    PromptRegistry registry = c.openRegistry();
    const auto prompts = registry.prompts();
    std::map<std::string, PromptActivation> active;
    if (auto store = c.readStore()) {
        for (auto &a : store->activeSet())
            active.emplace(a.name, std::move(a));
    }
    for (const std::string &problem : registry.problems())
        err() << c.command << ": warning: " << q(problem) << '\n';
    if (c.json) {
        QJsonArray list;
        for (const PromptInfo &p : prompts) {
            const auto a = active.find(p.name);
            list.append(QJsonObject{{QStringLiteral("name"), q(p.name)},
                                    {QStringLiteral("file"), q(p.path)},
                                    {QStringLiteral("versions"), static_cast<qint64>(p.versionCount)},
                                    {QStringLiteral("latest"), q(p.latestSha)},
                                    {QStringLiteral("active"), a == active.end() ? QJsonValue() : QJsonValue(q(a->second.sha))},
                                    {QStringLiteral("activated_at"),
                                     a == active.end() ? QJsonValue() : QJsonValue(date(a->second.activatedAtMs))}});
        }
        printJson(QJsonObject{{QStringLiteral("repository"), q(c.settings.repository)}, {QStringLiteral("prompts"), list}});
        return Ok;
    }
    if (prompts.empty()) {
        out() << "No prompts in " << q(c.settings.folder) << "/ of " << q(c.settings.repository) << " at HEAD.\n";
        return Ok;
    }
    TextTable table({QStringLiteral("NAME"), QStringLiteral("FILE"), QStringLiteral("LATEST"), QStringLiteral("ACTIVE"),
                     QStringLiteral("SINCE"), QStringLiteral("VERSIONS")},
                    5);
    for (const PromptInfo &p : prompts) {
        const auto a = active.find(p.name);
        table.addRow({q(p.name), q(p.path), q(p.latestSha.substr(0, 7)),
                      a == active.end() ? QStringLiteral("-") : q(a->second.sha.substr(0, 7)),
                      a == active.end() ? QStringLiteral("-") : date(a->second.activatedAtMs),
                      QString::number(p.versionCount)});
    }
    table.print(out());
    return Ok;
}

int runLog(Context &c, const std::string &name)
{
    PromptRegistry registry = c.openRegistry();
    const auto versions = registry.versions(name);
    std::optional<PromptActivation> active;
    if (auto store = c.readStore())
        active = store->active(name);
    const auto isActive = [&](const PromptVersion &v) { return active && active->sha == v.sha; };
    if (c.json) {
        QJsonArray list;
        for (const PromptVersion &v : versions) {
            QJsonArray tags;
            for (const auto &t : v.tags)
                tags.append(q(t));
            list.append(QJsonObject{{QStringLiteral("sha"), q(v.sha)},
                                    {QStringLiteral("short"), q(v.shortSha)},
                                    {QStringLiteral("author"), q(v.author)},
                                    {QStringLiteral("date"), date(v.dateMs)},
                                    {QStringLiteral("subject"), q(v.subject)},
                                    {QStringLiteral("active"), isActive(v)},
                                    {QStringLiteral("tags"), tags}});
        }
        printJson(QJsonObject{{QStringLiteral("name"), q(name)}, {QStringLiteral("versions"), list}});
        return Ok;
    }
    for (const PromptVersion &v : versions) {
        out() << (isActive(v) ? "* " : "  ") << q(v.shortSha) << "  " << date(v.dateMs).left(16) << "  "
              << q(v.author) << "  " << q(v.subject);
        for (const auto &t : v.tags)
            out() << "  (tag: " << q(t) << ')';
        if (isActive(v))
            out() << "  [active since " << date(active->activatedAtMs) << ']';
        out() << '\n';
    }
    if (active && std::none_of(versions.begin(), versions.end(), isActive))
        out() << "The active version " << q(active->sha.substr(0, 7)) << " is not in the history of HEAD.\n";
    return Ok;
}

int runShow(Context &c, const std::string &spec)
{
    const auto at = spec.find('@');
    const std::string name = spec.substr(0, at);
    PromptRegistry registry = c.openRegistry();
    PromptVersion version;
    if (at != std::string::npos) {
        version = registry.resolve(name, spec.substr(at + 1));
    } else {
        std::optional<PromptActivation> active;
        if (auto store = c.readStore())
            active = store->active(name);
        version = active ? registry.resolve(name, active->sha) : registry.versions(name).front();
    }
    const auto file = registry.fileAt(name, version.sha);
    if (c.json) {
        std::optional<PromptActivation> active;
        if (auto store = c.readStore())
            active = store->active(name);
        printJson(QJsonObject{{QStringLiteral("name"), q(name)},
                              {QStringLiteral("sha"), q(version.sha)},
                              {QStringLiteral("short"), q(version.shortSha)},
                              {QStringLiteral("file"), q(file.path)},
                              {QStringLiteral("subject"), q(version.subject)},
                              {QStringLiteral("content"), QString::fromUtf8(file.content.data(), static_cast<qsizetype>(file.content.size()))},
                              {QStringLiteral("active"), active && active->sha == version.sha}});
        return Ok;
    }
    out().flush();
    std::fwrite(file.content.data(), 1, file.content.size(), stdout); // the exact bytes
    std::fflush(stdout);
    return Ok;
}

int runDiff(Context &c, const std::string &name, const std::string &a, const std::string &b)
{
    PromptRegistry registry = c.openRegistry();
    const PromptVersion from = registry.resolve(name, a);
    const PromptVersion to = registry.resolve(name, b);
    const auto oldFile = registry.fileAt(name, from.sha);
    const auto newFile = registry.fileAt(name, to.sha);
    const bool word = c.parser.isSet(QStringLiteral("word"));
    TextDiffer differ;
    const std::string oldLabel = "a/" + oldFile.path + "@" + from.shortSha;
    const std::string newLabel = "b/" + newFile.path + "@" + to.shortSha;
    const std::string text = *(word ? differ.wordDiff(oldFile.content, newFile.content, oldLabel, newLabel)
                                    : differ.unified(oldFile.content, newFile.content, oldLabel, newLabel));
    if (!c.json) {
        out() << q(text);
        if (text.empty())
            err() << c.command << ": " << q(from.shortSha) << " and " << q(to.shortSha) << " have the same text\n";
        return Ok;
    }
    const LineDiff lines = *differ.diffLines(oldFile.content, newFile.content);
    const auto opName = [](EditOp op) {
        return op == EditOp::Equal ? QStringLiteral("equal") : op == EditOp::Delete ? QStringLiteral("delete") : QStringLiteral("insert");
    };
    QJsonArray hunks;
    for (const DiffHunk &h : lines.hunks) {
        QJsonArray body;
        for (const DiffHunk::Line &l : h.lines)
            body.append(QJsonObject{{QStringLiteral("op"), opName(l.op)}, {QStringLiteral("text"), q(l.text)}});
        hunks.append(QJsonObject{{QStringLiteral("old_start"), static_cast<qint64>(h.oldStart)},
                                 {QStringLiteral("old_lines"), static_cast<qint64>(h.oldCount)},
                                 {QStringLiteral("new_start"), static_cast<qint64>(h.newStart)},
                                 {QStringLiteral("new_lines"), static_cast<qint64>(h.newCount)},
                                 {QStringLiteral("lines"), body}});
    }
    const auto ref = [](const PromptVersion &v) {
        return QJsonObject{{QStringLiteral("sha"), q(v.sha)}, {QStringLiteral("short"), q(v.shortSha)},
                           {QStringLiteral("subject"), q(v.subject)}};
    };
    QJsonObject result{{QStringLiteral("name"), q(name)},
                       {QStringLiteral("from"), ref(from)},
                       {QStringLiteral("to"), ref(to)},
                       {QStringLiteral("identical"), lines.identical},
                       {QStringLiteral("added"), static_cast<qint64>(lines.added)},
                       {QStringLiteral("removed"), static_cast<qint64>(lines.removed)},
                       {QStringLiteral("diff"), q(text)},
                       {QStringLiteral("hunks"), hunks}};
    if (word) {
        QJsonArray words;
        const std::vector<WordSpan> spans = *differ.diffWords(oldFile.content, newFile.content);
        for (const WordSpan &s : spans)
            words.append(QJsonObject{{QStringLiteral("op"), opName(s.op)}, {QStringLiteral("text"), q(s.text)}});
        result.insert(QStringLiteral("words"), words);
    }
    printJson(result);
    return Ok;
}

int runSwitch(Context &c, const std::string &name, const std::optional<std::string> &spec)
{
    PromptRegistry registry = c.openRegistry();
    PromptSwitcher switcher(registry, c.env.storePath, c.settings.deployDir);
    std::optional<std::string> reason;
    if (c.parser.isSet(QStringLiteral("reason")))
        reason = c.parser.value(QStringLiteral("reason")).toStdString();
    const SwitchOutcome outcome = spec ? switcher.activate(name, *spec, reason) : switcher.rollback(name, reason);
    const PromptActivation &a = outcome.activation;
    if (c.json) {
        QJsonObject o = activationJson(a);
        o.insert(QStringLiteral("previous_sha"), optionalString(a.previousSha));
        o.insert(QStringLiteral("kind"), q(a.kind));
        o.insert(QStringLiteral("subject"), q(outcome.version.subject));
        o.insert(QStringLiteral("operator_log_id"), static_cast<qint64>(a.operatorLogId));
        o.insert(QStringLiteral("manifest"), q(outcome.manifestPath));
        printJson(o);
        return Ok;
    }
    out() << q(name) << ": " << (spec ? "activated " : "rolled back to ") << q(a.sha.substr(0, 7)) << " \""
          << q(outcome.version.subject) << "\"";
    if (a.previousSha)
        out() << " (was " << q(a.previousSha->substr(0, 7)) << ')';
    out() << "\nRecorded as operator-log entry " << a.operatorLogId << " by " << q(a.by())
          << "; manifest " << q(outcome.manifestPath) << '\n';
    return Ok;
}

int runActive(Context &c, const std::string &name)
{
    std::optional<PromptActivation> active;
    if (auto store = c.readStore())
        active = store->active(name);
    if (!active)
        return c.fail(QStringLiteral("prompt \"%1\" has no active version in %2 (vigilctl prompt activate %1 SHA)")
                          .arg(q(name), q(c.env.storePath)),
                      BadUsage);
    if (c.json) {
        printJson(activationJson(*active));
        return Ok;
    }
    out() << q(name) << ' ' << q(active->sha) << "\n  active since " << date(active->activatedAtMs) << " ("
          << q(active->kind) << " by " << q(active->by()) << ')';
    if (active->reason)
        out() << "\n  reason: " << q(*active->reason);
    if (active->previousSha)
        out() << "\n  previous: " << q(*active->previousSha);
    out() << '\n';
    return Ok;
}

} // namespace

int runPrompt(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(kDescription));
    addCommonOptions(parser);
    addPromptOptions(parser, true);
    parser.addOption({QStringLiteral("reason"), QStringLiteral("Why (activate, rollback): kept in the operator log."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("word"), QStringLiteral("diff: word-level instead of line-level.")});
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, log, show, diff, activate, rollback or active"),
                                 QStringLiteral("ACTION [ARGS...]"));
    if (const int code = parseCommandLine(parser, args); code >= 0)
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    Context c{parser, {}, {}, QStringLiteral("vigilctl prompt ") + action, wantsJson(parser)};
    struct Shape
    {
        qsizetype args;
        const char *usage;
    };
    static const std::map<QString, Shape> shapes = {
        {QStringLiteral("list"), {1, "list"}},
        {QStringLiteral("log"), {2, "log NAME"}},
        {QStringLiteral("show"), {2, "show NAME[@SHA]"}},
        {QStringLiteral("diff"), {4, "diff NAME A B [--word]"}},
        {QStringLiteral("activate"), {3, "activate NAME SHA [--reason TEXT]"}},
        {QStringLiteral("rollback"), {2, "rollback NAME [--reason TEXT]"}},
        {QStringLiteral("active"), {2, "active NAME"}},
    };
    const auto shape = shapes.find(action);
    if (shape == shapes.end()) {
        err() << "vigilctl prompt: " << (action.isEmpty() ? QStringLiteral("give an action") : QStringLiteral("unknown action \"%1\"").arg(action))
              << "\n\n" << parser.helpText();
        return BadUsage;
    }
    if (pos.size() != shape->second.args)
        return c.fail(QStringLiteral("usage: vigilctl prompt %1").arg(QLatin1String(shape->second.usage)), BadUsage);
    if (auto code = loadEnvironment(parser, c.env))
        return *code;
    c.settings = resolvePromptSettings(parser, c.env);
    const auto arg = [&](int i) { return pos[i].toStdString(); };
    try {
        if (action == QStringLiteral("list"))
            return runList(c);
        if (action == QStringLiteral("log"))
            return runLog(c, arg(1));
        if (action == QStringLiteral("show"))
            return runShow(c, arg(1));
        if (action == QStringLiteral("diff"))
            return runDiff(c, arg(1), arg(2), arg(3));
        if (action == QStringLiteral("activate"))
            return runSwitch(c, arg(1), arg(2));
        if (action == QStringLiteral("rollback"))
            return runSwitch(c, arg(1), std::nullopt);
        return runActive(c, arg(1));
    } catch (const PromptError &e) {
        QString message = QString::fromUtf8(e.what());
        if (e.kind() == PromptErrorKind::DeployUnwritable && !message.contains(QStringLiteral("recorded in the store")))
            message += QStringLiteral(" (nothing was switched)");
        return c.fail(message, e.isBadInput() ? BadUsage : RuntimeFailure);
    } catch (const StoreError &e) {
        return c.fail(QString::fromUtf8(e.what()), e.kind() == StoreErrorKind::NotFound ? BadUsage : RuntimeFailure);
    }
}

} // namespace vigil::cli
