// Small helpers shared by the tests: tiny scenarios and series sums.
#pragma once

#include <numeric>
#include <string>
#include <vector>

#include "engine/runner.hpp"
#include "scenario/loader.hpp"

namespace trustsim::test {

// A scenario from a preset and `--set`-style overrides.
inline Scenario tiny(const std::string& preset, std::vector<std::string> sets = {}) {
  std::vector<std::string> all = {"population.residents=20000", "population.neighbourhoods=20", "simulation.days=365"};
  all.insert(all.end(), sets.begin(), sets.end());
  return load_scenario_text("name: " + preset + "\npolicy: " + preset + "\n", preset + ".yaml", all);
}

// Sum of a series over every day and slot (mind the mixed-status overlay in group series).
inline double total(const RunResult& r, SeriesId id) {
  const auto& d = r.series.data(id);
  return std::accumulate(d.begin(), d.end(), 0.0);
}

}  // namespace trustsim::test
