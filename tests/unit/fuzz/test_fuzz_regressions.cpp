// Every input the fuzzers found a problem with (fuzz/regressions/<target>/), replayed through
// the same checks the fuzzer makes (fuzz/*_oracle.hpp), so a fixed crash stays fixed in
// every build, sanitized or not. scripts/fuzz also seeds the fuzzers with these files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/scenario_oracle.hpp"
#include "fuzz/sweep_oracle.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> saved_inputs(const std::string& target) {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(TRUSTSIM_SOURCE_DIR) / "fuzz" / "regressions" / target;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename().string().front() != '.') out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("fuzz regressions: every saved scenario input is handled (located error or a valid, stable scenario)",
          "[fuzz][scenario]") {
  const auto inputs = saved_inputs("fuzz_scenario");
  CHECK_FALSE(inputs.empty());
  for (const auto& p : inputs) {
    INFO(p.filename().string());
    CHECK(trustsim::fuzz::check_scenario_input(slurp(p)) == "");
  }
}

TEST_CASE("fuzz regressions: every saved sweep input is handled (located error or a valid sweep)", "[fuzz][sweep]") {
  const auto inputs = saved_inputs("fuzz_sweep");
  CHECK_FALSE(inputs.empty());  // a renamed or missing folder must not pass by replaying nothing
  for (const auto& p : inputs) {
    INFO(p.filename().string());
    CHECK(trustsim::fuzz::check_sweep_input(slurp(p)) == "");
  }
}

TEST_CASE("fuzz regressions: the oracles accept the shipped sweeps and reject a broken contract", "[fuzz][sweep]") {
  // The fuzzers' seeds pass the same check the saved inputs do.
  const fs::path dir = fs::path(TRUSTSIM_SOURCE_DIR) / "sweeps";
  int shipped = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".yaml") continue;
    INFO(e.path().filename().string());
    CHECK(trustsim::fuzz::check_sweep_input(slurp(e.path())) == "");
    ++shipped;
  }
  CHECK(shipped >= 2);
  // The oracle is not a function that always says yes: an error without a located diagnostic
  // breaks the loader's contract.
  CHECK(trustsim::fuzz::diagnostics_problem(trustsim::InvalidInput(trustsim::Diagnostics{})) != "");
}
