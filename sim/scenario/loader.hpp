// Reading scenario files: YAML -> validated Scenario, or every problem at once.
#pragma once

#include <string>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

// Loads and validates `path`; `overrides` are "dotted.key=value" strings (the --set option)
// applied after the file. Throws InvalidInput listing every problem found.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides = {});

// Same, from text in memory; `label` stands for the file name in messages.
Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<std::string>& overrides = {});

// Approximate memory a run needs, in bytes (for the limits check and the schema).
double estimated_bytes(const Params& params);
double estimated_bytes(double residents, double weak_ties_per_resident, double days, double replicates);

// Memory this process may use: the machine's, or less under a cgroup or `ulimit -v`;
// `what` says which, for messages ("this machine has 24 GB").
struct MemoryLimit {
  double bytes = 0;
  std::string what;
};
MemoryLimit memory_limit();

// Why a run of `scenario` with `parallel` replicates (or sweep runs) built side by side
// cannot fit in memory_limit(): what it needs, what is allowed, and the way out; empty when it
// fits. The loader checks one replicate; `run` and `sweep` build several at once.
std::string memory_shortfall(const Scenario& scenario, int parallel);

}  // namespace trustsim
