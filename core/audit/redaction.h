#pragma once

#include <memory>
#include <string>
#include <vector>

namespace vigil {

struct Record;
struct WriteBatch;

// What redaction looks for and what it puts instead, from [redaction] in
// vigil.toml. Applied at ingest, before anything is written: the secret never
// reaches the store file, the WAL, the search index or an export.
struct RedactionRules
{
    enum class Mode { Mask, KeyedHash };
    Mode mode = Mode::Mask;
    std::string hashKey; // Mode::KeyedHash: HMAC-SHA256 key (from the environment)
    bool emails = true;
    bool phones = true;
    bool cards = true;   // Luhn-valid numbers only
    bool apiKeys = true; // OpenAI, Anthropic, AWS, GitHub, Slack, Google, Stripe shapes
    bool bearer = true;  // "Bearer <token>"
    bool jwts = true;
    std::vector<std::pair<std::string, std::string>> custom; // name, regular expression
};

class Redactor final
{
public:
    // Throws std::invalid_argument naming a custom pattern that does not compile.
    explicit Redactor(RedactionRules rules);
    ~Redactor();

    // Replaces every match in `text`; returns whether anything changed. Safe
    // inside JSON text: the replacements contain no quotes or backslashes.
    bool redact(std::string &text) const;
    // Every text field of a record (sets record.redacted when it changed).
    void redact(Record &record) const;
    // A whole batch, quarantined raw lines included.
    void redact(WriteBatch &batch) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace vigil
