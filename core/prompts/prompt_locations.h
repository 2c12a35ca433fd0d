#pragma once

namespace vigil {

// Store meta keys through which a store remembers its prompts repository and
// deploy folder (the demo store sets them, so `vigilctl prompt ... --db
// demo.db` needs no config); --repo, --deploy-dir and vigil.toml come first.
inline constexpr const char *kStoreMetaPromptsRepo = "prompts.repo";
inline constexpr const char *kStoreMetaPromptsDeployDir = "prompts.deploy_dir";

} // namespace vigil
