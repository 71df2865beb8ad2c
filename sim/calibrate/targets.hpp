// The calibration targets file (calibration/targets.yaml): the published figures the default
// city is fitted to, how each is measured from a run, its band and source; the free
// parameters with their search ranges; the small city and the search settings.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "params/registry.hpp"

namespace trustsim::calibrate {

// A statistic measured on a run (statistics.cpp documents each).
enum class Statistic {
  reporting_share,  // expected share of victimisations of a crime type reported (all residents), mean over sampled days
  zero_fear_reporting_ratio,  // day 0, fear set to 0: immigrant-origin residents' reporting probability / others'
  below_baseline_share,   // end of run: share of `who` whose own violent reporting probability is below its day-0 value
  reporting_probability,  // end of run: mean reporting probability of `who` as victims (crime mix at base rates)
  reassurance_gain,       // end of run: the same with fear set to 0, minus with fear
  contact_asymmetry,  // the learning rule: trust lost to a negative contact / gained from a positive one, at trust 0.5
  starting_belief,    // day 0: mean belief of `who`
  clearance_share,    // whole run: cleared / reported crimes of a crime type (realised counts)
  officers_per_1000,  // local officers per 1,000 residents
  population_share,   // day 0: share of residents in `who`
};
Statistic parse_statistic(const std::string& name);  // throws InvalidInput-like std::invalid_argument
const char* statistic_name(Statistic s);

// Sets of residents a statistic is taken over.
enum class Who {
  all,
  undocumented,
  lawful_noncitizen,
  immigrant_origin,
  citizen_immigrant_origin,
  us_born_immigrant_origin_citizen,
  naturalised_citizen,
  non_immigrant_origin,
  mixed_status,
  citizen_with_undocumented,
  foreign_born,
};
Who parse_who(const std::string& name);
const char* who_name(Who w);

struct Target {
  std::string id;
  int figure = 0;  // the MODEL.md calibration item (1-8)
  Statistic statistic{};
  std::string scenario;  // a key of TargetsFile::scenarios ("" for contact_asymmetry)
  Who who = Who::all;
  bool adults = false;  // only adults (surveys of adults)
  int crime_type = 0;   // CrimeType index, for reporting_share and clearance_share
  double low = 0, high = 0;
  std::string measured, source;
  double centre() const { return 0.5 * (low + high); }
  double half_width() const { return 0.5 * (high - low); }
};

struct FreeParam {
  std::string name;  // dotted registry name
  double low = 0, high = 0;
  std::string why;
  const ParamSpec* spec = nullptr;
};

struct SearchSettings {
  int replicates = 4;      // replicates per candidate, with the same seeds for every candidate (common random numbers)
  int budget = 400;        // evaluations in all (Latin hypercube + Nelder-Mead)
  double lhs_share = 0.4;  // share of the budget spent on the Latin hypercube
  int starts = 3;          // Nelder-Mead runs, from the best hypercube points
  double simplex_step = 0.08;   // initial simplex edge, as a share of each range
  double centre_weight = 0.05;  // weight of the pull toward band centres (robustness), next to the out-of-band distance
  int verify_replicates = 10;   // replicates of the final check (fresh seeds), behind the confidence intervals
  int sample_every_days = 30;   // days between the samples behind reporting_share
};

struct TargetsFile {
  std::string path;               // as given
  std::string text;               // the file's content (fingerprint of a resumable search, stored in the record)
  std::vector<std::string> city;  // "dotted.name=value" overrides of every scenario (the small city)
  std::map<std::string, std::string> scenarios;  // key -> policy preset
  std::vector<FreeParam> free;
  std::vector<Target> targets;
  SearchSettings search;
  std::string defaults_path, record_path;  // resolved against the targets file's directory
};

// Reads and checks the file (every problem at once, as InvalidInput).
TargetsFile load_targets(const std::string& path);

}  // namespace trustsim::calibrate
