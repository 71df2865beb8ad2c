// What the sweep loader must do with any input, checked by the fuzzer (fuzz_sweep.cpp) and
// by the replay of saved inputs (tests/unit/fuzz/test_fuzz_regressions.cpp).
//
// Input: the sweep file's text. Base scenario paths resolve against sweeps/ (the label is
// "sweeps/fuzz.yaml"); the shipped scenarios (scenarios/*.yaml) can be read, nothing else.
//
// A violation (besides crashes, sanitizer reports and hangs):
//  - an exception other than InvalidInput escaping the loader;
//  - an InvalidInput with no diagnostic, or a diagnostic without a message;
//  - a sweep that loads with no runs, or more runs than the loader's own limit (10^7), or
//    whose first or last run is not a valid scenario.
#pragma once

#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "scenario/loader.hpp"
#include "scenario_oracle.hpp"  // diagnostics_problem
#include "sweep/sweep.hpp"

namespace trustsim::fuzz {

// The shipped scenarios, read once from the source tree.
inline const std::map<std::string, std::string>& shipped_scenarios() {
  static const std::map<std::string, std::string> texts = [] {
    std::map<std::string, std::string> out;
    const auto dir = std::filesystem::path(TRUSTSIM_SOURCE_DIR) / "scenarios";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      out["scenarios/" + e.path().filename().string()] = ss.str();
    }
    return out;
  }();
  return texts;
}

inline std::string check_sweep_input(const std::string& text) {
  const FileReader read = [](const std::string& path) {
    const auto& texts = shipped_scenarios();
    const auto f = texts.find(std::filesystem::path(path).lexically_normal().string());
    if (f == texts.end()) throw std::runtime_error("no such file");
    return f->second;
  };
  SweepSpec sweep;
  try {
    sweep = load_sweep_text(text, "sweeps/fuzz.yaml", read);
  } catch (const InvalidInput& e) { return diagnostics_problem(e); } catch (const std::exception& e) {
    return std::string("an exception other than InvalidInput escaped the sweep loader: ") + e.what();
  }
  const auto runs = sweep.run_count();
  if (runs <= 0 || runs > 10000000) return "a valid sweep with " + std::to_string(runs) + " runs";
  try {
    run_scenario(sweep, run_key(sweep, 0));
    run_scenario(sweep, run_key(sweep, runs - 1));
  } catch (const std::exception& e) {
    return std::string("a run of a valid sweep is not a valid scenario: ") + e.what();
  }
  return "";
}

}  // namespace trustsim::fuzz
