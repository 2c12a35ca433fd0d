#include "demo/demo_prompts.h"

#include "prompts/prompt_error.h"
#include "prompts/prompt_locations.h"
#include "prompts/prompt_registry.h"
#include "prompts/prompt_repo_writer.h"
#include "prompts/prompt_switcher.h"
#include "store/rollup_accumulator.h"
#include "store/store_error.h"
#include "store/store_meta.h"

#include <algorithm>
#include <filesystem>

namespace vigil {

namespace {

namespace fs = std::filesystem;

struct DemoVersion
{
    const char *prompt;
    double at; // fraction of the day; < 0: before the day began
    const char *author;
    const char *subject;
    const char *text;
};

// The bad deploy is placed separately (40 minutes before the end).
constexpr const char *kBadAnswerText =
    "You are the support assistant of Acme Cloud.\n"
    "Answer the customer's question using the retrieved passages below.\n"
    "Think step by step and explain your full reasoning before answering.\n"
    "Quote every passage you use in full, then restate the answer in detail.\n"
    "If the passages do not contain the answer, try to answer from general knowledge.\n"
    "\n"
    "Passages:\n{{ passages }}\n\nQuestion: {{ question }}\n";

const DemoVersion kVersions[] = {
    {"summarize", -0.10, "Maya Chen", "Add the summarize prompt",
     "Summarize the following document in 3 bullet points.\nKeep each bullet under 20 words.\n\n{{ document }}\n"},
    {"classify-ticket", -0.09, "Maya Chen", "Add the ticket classifier",
     "Classify the support ticket into one of: billing, outage, bug, how-to, other.\n"
     "Answer with the label only.\n\nTicket:\n{{ ticket }}\n"},
    {"answer-question", -0.08, "Jonas Weber", "Add the RAG answer prompt",
     "You are the support assistant of Acme Cloud.\n"
     "Answer the customer's question using only the retrieved passages below.\n"
     "If the passages do not contain the answer, say you do not know.\n"
     "\n"
     "Passages:\n{{ passages }}\n\nQuestion: {{ question }}\n"},
    {"extract-entities", -0.07, "Jonas Weber", "Add entity extraction",
     "Extract the people, companies and products named in the text.\n"
     "Return JSON: {\"people\": [], \"companies\": [], \"products\": []}.\n\n{{ text }}\n"},
    {"extract-entities", 0.25, "Priya Natarajan", "extract-entities: include dates",
     "Extract the people, companies, products and dates named in the text.\n"
     "Return JSON: {\"people\": [], \"companies\": [], \"products\": [], \"dates\": []}.\n"
     "Dates in ISO 8601.\n\n{{ text }}\n"},
    {"summarize", 1.0 / 3, "Maya Chen", "summarize: shorter bullets, keep numbers",
     "Summarize the following document in 3 bullet points.\nKeep each bullet under 15 words.\n"
     "Keep every number and date exactly as written.\n\n{{ document }}\n"},
    {"answer-question", 0.5, "Jonas Weber", "answer-question: cite passage ids",
     "You are the support assistant of Acme Cloud.\n"
     "Answer the customer's question using only the retrieved passages below.\n"
     "Cite the passage ids you used, like [p3].\n"
     "If the passages do not contain the answer, say you do not know.\n"
     "\n"
     "Passages:\n{{ passages }}\n\nQuestion: {{ question }}\n"},
    {"classify-ticket", 0.6, "Priya Natarajan", "classify-ticket: add the security label",
     "Classify the support ticket into one of: billing, outage, bug, security, how-to, other.\n"
     "Answer with the label only.\n\nTicket:\n{{ ticket }}\n"},
};

struct Planned
{
    std::string prompt;
    std::int64_t liveMs;
    std::string author;
    std::string subject;
    std::string text;
};

std::string email(const std::string &author)
{
    std::string local;
    for (char c : author)
        local += c == ' ' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return local + "@acme.example";
}

fs::path siblingOf(const std::string &storePath, const char *suffix)
{
    const fs::path store(storePath);
    return store.parent_path() / (store.stem().string() + suffix);
}

} // namespace

std::string demoPromptsRepoPath(const std::string &storePath)
{
    return siblingOf(storePath, "-prompts").string();
}

std::string demoDeployPath(const std::string &storePath)
{
    return siblingOf(storePath, "-deploy").string();
}

DemoPromptHistory buildDemoPromptsRepo(const std::string &storePath, std::int64_t startMs, std::int64_t endMs)
{
    DemoPromptHistory history;
    history.repositoryPath = demoPromptsRepoPath(storePath);
    history.deployPath = demoDeployPath(storePath);
    const fs::path repo(history.repositoryPath);
    const fs::path marker = repo / ".git" / "vigil-demo";
    std::error_code ec;
    if (fs::exists(repo, ec)) {
        if (!fs::exists(marker, ec))
            throw StoreError(StoreErrorKind::NotWritable,
                             history.repositoryPath + ": exists and is not the demo's prompts repository; not touching it");
        fs::remove_all(repo, ec);
        if (ec)
            throw StoreError(StoreErrorKind::NotWritable, history.repositoryPath + ": cannot replace it: " + ec.message());
    }

    const std::int64_t span = endMs - startMs;
    std::vector<Planned> plan;
    for (const DemoVersion &v : kVersions)
        plan.push_back({v.prompt, startMs + static_cast<std::int64_t>(v.at * static_cast<double>(span)), v.author,
                        v.subject, v.text});
    plan.push_back({"answer-question", endMs - 40 * 60'000, "Dana Kim", "answer-question: more thorough answers",
                    kBadAnswerText});
    std::stable_sort(plan.begin(), plan.end(), [](const Planned &a, const Planned &b) { return a.liveMs < b.liveMs; });

    try {
        PromptRepoWriter writer(history.repositoryPath, false);
        {
            std::FILE *f = std::fopen(marker.c_str(), "w");
            if (f)
                std::fclose(f);
        }
        bool readmeWritten = false;
        for (const Planned &p : plan) {
            // Committed ten minutes before it went live.
            const std::int64_t committed = p.liveMs - 10 * 60'000;
            if (!readmeWritten && p.liveMs >= startMs) {
                // A commit that changes no prompt: activating it is refused.
                writer.commitFile("README.md",
                                  "# Acme prompts\n\nOne file per prompt in prompts/. Deployed with Vigil: "
                                  "`vigilctl prompt activate NAME SHA`.\n",
                                  {"Maya Chen", email("Maya Chen"), startMs - 60 * 60'000}, "Add a README");
                readmeWritten = true;
            }
            const std::string sha = writer.commitFile("prompts/" + p.prompt + ".txt", p.text,
                                                      {p.author, email(p.author), committed}, p.subject);
            auto spec = std::find_if(history.prompts.begin(), history.prompts.end(),
                                     [&](const PromptSpec &s) { return s.name == p.prompt; });
            if (spec == history.prompts.end()) {
                history.prompts.push_back({p.prompt, {}});
                spec = history.prompts.end() - 1;
            }
            spec->versions.push_back({sha, std::max(p.liveMs, startMs)});
        }
    } catch (const PromptError &e) {
        throw StoreError(StoreErrorKind::NotWritable, std::string("building the demo prompts repository: ") + e.what());
    }
    return history;
}

void recordDemoActivations(const std::string &storePath, const DemoPromptHistory &history)
{
    PromptRegistry registry({history.repositoryPath, "prompts"});
    PromptSwitcher switcher(registry, storePath, history.deployPath);
    struct Step
    {
        std::string name;
        PromptVersionSpec version;
    };
    std::vector<Step> steps;
    for (const PromptSpec &p : history.prompts) {
        for (const PromptVersionSpec &v : p.versions)
            steps.push_back({p.name, v});
    }
    std::stable_sort(steps.begin(), steps.end(),
                     [](const Step &a, const Step &b) { return a.version.activeFromMs < b.version.activeFromMs; });
    std::string badSha; // answer-question's last version
    for (const PromptSpec &p : history.prompts) {
        if (p.name == "answer-question" && !p.versions.empty())
            badSha = p.versions.back().version;
    }
    for (const Step &s : steps) {
        const bool badDeploy = s.version.version == badSha;
        const Actor actor = badDeploy ? Actor{"dana", "dana-laptop"} : Actor{"deploy-bot", "ci-runner-2"};
        const std::string reason = badDeploy ? "more thorough answers (ticket SUP-1432)" : "scheduled release";
        switcher.activate(s.name, s.version.version, reason, actor, s.version.activeFromMs);
    }
    writeStoreMeta(storePath, kStoreMetaPromptsRepo, fs::absolute(history.repositoryPath).string());
    writeStoreMeta(storePath, kStoreMetaPromptsDeployDir, fs::absolute(history.deployPath).string());
}

} // namespace vigil
