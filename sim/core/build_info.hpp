// The build's identity, written into every output file (provenance) and printed by
// `trustsim --version`.
#pragma once

namespace trustsim {

// The source revision the program was built from, e.g. "1762d39a0b3c", with "-dirty" when
// the checkout had uncommitted or untracked changes at build time; "unknown" outside git.
// Defined in a source generated at every build (cmake/GitRevision.cmake).
const char* git_revision();

}  // namespace trustsim
