// Running a shell command line from a test: its exit code (128 + signal when killed), what
// it printed and how long it took. The whole line is one subshell, so `a & b & wait` is
// captured whole.
#pragma once

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"

namespace trustsim::test {

struct ShellResult {
  int code = -1;
  std::string out;  // stdout and stderr together, or stderr only
  double seconds = 0;
};

// Output is captured in a file of `dir`; `stderr_only` sends stdout to /dev/null.
inline ShellResult shell_in(const TempDir& dir, const std::string& command, bool stderr_only = false) {
  const std::string capture = dir / "shell-capture.txt";
  const std::string redirect = stderr_only ? " > /dev/null 2> " + capture : " > " + capture + " 2>&1";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(("( " + command + " )" + redirect + " < /dev/null").c_str());
  ShellResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.code = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream in(capture);
  std::stringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  std::filesystem::remove(capture);
  return r;
}

}  // namespace trustsim::test
