#pragma once
// The two manifests the kill -9 test alternates between: a small one and a
// large one (a long write, so kills often land in the middle of it).

#include "prompts/prompt_manifest.h"

#include <string>

namespace vigil::test {

inline std::string smallManifest()
{
    return manifestJson({{"answer", std::string(40, 'a'), "prompts/answer.md", 1'700'000'000'000, "alice@h", std::nullopt,
                          std::string("old\n")}});
}

inline std::string largeManifest()
{
    std::vector<ManifestEntry> entries;
    for (int i = 0; i < 40; ++i) {
        entries.push_back({"prompt-" + std::to_string(i), std::string(40, 'b'), "prompts/p.md", 1'700'000'000'000 + i,
                           "bob@h", std::string("new"), std::string(50'000, static_cast<char>('a' + i % 26))});
    }
    return manifestJson(entries);
}

} // namespace vigil::test
