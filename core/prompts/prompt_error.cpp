#include "prompts/prompt_error.h"

namespace vigil {

bool PromptError::isBadInput() const
{
    return m_kind != PromptErrorKind::DeployUnwritable && m_kind != PromptErrorKind::Git;
}

} // namespace vigil
