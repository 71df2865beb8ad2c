// The partial files beside an output: <out>.partial.<host>.<pid> (sim/output/output_file.hpp),
// whichever process wrote them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace trustsim::test {

inline std::vector<std::filesystem::path> partial_files(const std::filesystem::path& out) {
  std::vector<std::filesystem::path> found;
  const std::string prefix = out.filename().string() + ".partial";
  std::error_code ec;
  const auto folder = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  for (const auto& e : std::filesystem::directory_iterator(folder, ec))
    if (e.path().filename().string().rfind(prefix, 0) == 0) found.push_back(e.path());
  return found;
}

inline bool has_partial(const std::filesystem::path& out) { return !partial_files(out).empty(); }

}  // namespace trustsim::test
