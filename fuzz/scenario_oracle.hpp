// What the scenario loader must do with any input, checked by the fuzzer (fuzz_scenario.cpp)
// and by the replay of every saved input (tests/unit/fuzz/test_fuzz_regressions.cpp).
//
// Input: the YAML text, optionally followed by a NUL byte and NUL-separated `--set`
// overrides ("dotted.key=value"), so the command-line path is exercised too.
//
// A violation (besides crashes, sanitizer reports and hangs, which the tools catch):
//  - an exception other than InvalidInput escaping the loader (users must always get a
//    located message, never "error: yaml-cpp: bad conversion");
//  - an InvalidInput with no diagnostic, or a diagnostic without a message;
//  - a scenario that loads but whose resolved_yaml() (written into every run file, and
//    documented as accepted back by `trustsim run`) does not load to the same text.
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "scenario/loader.hpp"

namespace trustsim::fuzz {

struct ScenarioInput {
  std::string text;
  std::vector<std::string> sets;
};

inline ScenarioInput split_scenario_input(const std::string& input) {
  ScenarioInput in;
  const auto nul = input.find('\0');
  in.text = input.substr(0, nul);
  for (std::size_t start = nul; start != std::string::npos && in.sets.size() < 8;) {
    const auto end = input.find('\0', start + 1);
    in.sets.push_back(input.substr(start + 1, end == std::string::npos ? std::string::npos : end - start - 1));
    start = end;
  }
  return in;
}

// A rejection must say what is wrong: at least one diagnostic, each with a message.
// Empty if it does; otherwise what went wrong (shared with sweep_oracle.hpp).
inline std::string diagnostics_problem(const InvalidInput& e) {
  if (e.diagnostics.empty()) return "InvalidInput without diagnostics";
  for (const auto& d : e.diagnostics.items())
    if (d.message.empty()) return "a diagnostic without a message: " + d.text();
  return "";
}

// Empty if the loader behaved; otherwise what went wrong.
inline std::string check_scenario_input(const std::string& input) {
  const auto in = split_scenario_input(input);
  std::string resolved;
  try {
    resolved = load_scenario_text(in.text, "fuzz.yaml", in.sets).resolved_yaml();
  } catch (const InvalidInput& e) { return diagnostics_problem(e); } catch (const std::exception& e) {
    return std::string("an exception other than InvalidInput escaped the loader: ") + e.what();
  }
  try {
    const std::string again = load_scenario_text(resolved, "resolved.yaml").resolved_yaml();
    if (again != resolved) return "resolved_yaml is not a fixed point:\n" + resolved + "\n---- became ----\n" + again;
  } catch (const std::exception& e) {
    return "the resolved_yaml of a valid scenario does not load:\n" + resolved + "\n---- error ----\n" + e.what();
  }
  return "";
}

}  // namespace trustsim::fuzz
