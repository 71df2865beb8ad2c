// Running the real `trustsim` program (or another) from a test: exit code, stdout, stderr.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace trustsim::test {

struct ProgramResult {
  int code = -1;  // exit code; 128 + signal if killed by one
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// `program args...` with stdin from /dev/null and its output captured in `dir`; `env` is
// prefixed to the command line ("NAME=value ").
inline ProgramResult run_program(const TempDir& dir, const std::vector<std::string>& args,
                                 const std::string& program = TRUSTSIM_BINARY, const std::string& env = "") {
  std::string cmd = env + shell_quote(program);
  for (const auto& a : args) cmd += " " + shell_quote(a);
  const auto out = dir / "cmd.stdout", err = dir / "cmd.stderr";
  cmd += " > " + shell_quote(out) + " 2> " + shell_quote(err) + " < /dev/null";
  const int status = std::system(cmd.c_str());
  ProgramResult r;
  r.code = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace trustsim::test
