// What yaml-cpp lets through is refused by both loaders alike (issue 15, findings 16-17):
// duplicate keys, a second document, a NUL byte; numbers and booleans read the same way
// everywhere; a sweep's seed must be an integer, its seed and replicates are not `set`.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "scenario/loader.hpp"
#include "sweep/sweep.hpp"

using namespace trustsim;

namespace {

const std::filesystem::path kSource = TRUSTSIM_SOURCE_DIR;

std::string scenario_errors(const std::string& text) {
  try {
    load_scenario_text(text, "s.yaml");
  } catch (const InvalidInput& e) { return e.diagnostics.text(); }
  return "";
}

std::string sweep_errors(const std::string& body) {
  const std::string text = "name: t\nscenarios: [../scenarios/baseline.yaml]\n" + body;
  try {
    load_sweep_text(text, (kSource / "sweeps" / "t.yaml").string(), [](const std::string& p) {
      std::ifstream in(p);
      std::stringstream ss;
      ss << in.rdbuf();
      return ss.str();
    });
  } catch (const InvalidInput& e) { return e.diagnostics.text(); }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("yaml: a key given twice is refused in a scenario and in a sweep, located at the second", "[scenario]") {
  const auto s = scenario_errors("name: a\npopulation:\n  residents: 5000\n  residents: 6000\n");
  INFO(s);
  CHECK(contains(s, "s.yaml:4:3: population.residents: given twice in one mapping (first at line 3)"));
  const auto w = sweep_errors("seed: 1\nseed: 2\n");
  INFO(w);
  CHECK(contains(w, "t.yaml:4:1: seed: given twice in one mapping (first at line 3)"));
  CHECK(contains(scenario_errors("name: a\nname: b\n"), "name: given twice"));
}

TEST_CASE("yaml: a second document and a NUL byte are refused", "[scenario]") {
  const auto two = scenario_errors("name: a\n---\nname: b\n");
  INFO(two);
  CHECK(contains(two, "a second YAML document"));
  CHECK(contains(sweep_errors("---\nseed: 3\n"), "a second YAML document"));
  const auto nul = scenario_errors(std::string("name: ab\0cd\n", 12));
  INFO(nul);
  CHECK(contains(nul, "s.yaml:1:9: a NUL byte"));
}

TEST_CASE("yaml: numbers and booleans read alike everywhere", "[scenario]") {
  // A subnormal is a number (out of range here, said so); 1e400 is too large, not "not a number".
  const auto tiny = scenario_errors("population:\n  residents: 4.9e-324\n");
  INFO(tiny);
  CHECK(contains(tiny, "expected an integer, got '4.9e-324'"));
  const auto small = scenario_errors("reporting:\n  trust_weight: 4.9e-324\n");
  CHECK_FALSE(contains(small, "expected a number"));
  CHECK(contains(scenario_errors("reporting:\n  trust_weight: 1e400\n"), "got '1e400': too large"));
  // Every spelling YAML gives a boolean, in each of its three cases.
  for (const char* word : {"true", "True", "TRUE", "yes", "Yes", "on", "ON", "false", "False", "no", "Off"})
    CHECK(scenario_errors(std::string("output:\n  detentions_table: ") + word + "\n").empty());
  CHECK(contains(scenario_errors("output:\n  detentions_table: tRUE\n"), "expected true or false"));
}

TEST_CASE("yaml: a sweep's seed is an integer and its seed and replicates are not set per run", "[sweep]") {
  CHECK(contains(sweep_errors("seed: 1.5\n"), "seed: expected an integer, got '1.5'"));
  const auto set_seed = sweep_errors("set:\n  simulation.seed: 9\n");
  INFO(set_seed);
  CHECK(contains(set_seed, "simulation.seed: decided by the sweep"));
  CHECK(contains(set_seed, "write `seed:` at the top"));
  CHECK(contains(sweep_errors("axes:\n  simulation.replicates: [1, 2]\n"), "write `replicates:` at the top"));
  const auto design = sweep_errors("design: random\n");
  INFO(design);
  CHECK(contains(design, "design: 'random' is not one of: grid, list, lhs, sobol"));
}
