// A fresh folder per test, removed with everything in it at the end.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace trustsim::test {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& label = "trustsim-test") {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           (label + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // A path inside, as a string (most uses build command lines or call the library).
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

}  // namespace trustsim::test
