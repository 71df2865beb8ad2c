// A validated scenario: immutable after loading. Defaults are filled in, presets resolved.
#pragma once

#include <string>
#include <vector>

#include "params/params.hpp"

namespace trustsim {

struct Jurisdiction {
  std::string name;
  double neighbourhood_share = 1.0;  // share of the city's neighbourhoods
  std::string preset;                // the preset the starting policy came from
  PolicyParams policy;               // the starting policy, resolved
};

// One jurisdiction's policy from `day` on (the schedule, resolved per jurisdiction).
struct PolicyChange {
  int day = 0;
  int jurisdiction = 0;
  std::string label;  // preset name, or "custom"
  PolicyParams policy;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source_file;
  Params params;
  std::vector<Jurisdiction> jurisdictions;
  std::vector<PolicyChange> schedule;  // sorted by day, then jurisdiction

  int days() const { return static_cast<int>(params.simulation.days); }
  // The scenario with every default written out: stored in each output file.
  std::string resolved_yaml() const;
};

}  // namespace trustsim
