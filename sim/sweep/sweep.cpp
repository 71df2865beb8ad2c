#include "sweep/sweep.hpp"

#include <cstdio>

#include "core/rng.hpp"
#include "scenario/loader.hpp"

namespace trustsim {

std::uint64_t run_seed(std::uint64_t sweep_seed, std::int64_t point, std::int64_t replicate) {
  // Not the scenario: the policies of one point and replicate share every draw.
  return derive_seed(derive_seed(sweep_seed, Stream::sweep_point, static_cast<std::uint64_t>(point)),
                     Stream::replicate_seed, static_cast<std::uint64_t>(replicate));
}

RunKey run_key(const SweepSpec& sweep, std::int64_t index) {
  RunKey k;
  k.index = index;
  k.scenario = index % sweep.scenario_count();
  const std::int64_t unit = index / sweep.scenario_count();  // (point, replicate)
  k.replicate = unit % sweep.replicates;
  k.point = unit / sweep.replicates;
  k.seed = run_seed(sweep.seed, k.point, k.replicate);
  k.runs = sweep.run_count();
  return k;
}

std::vector<std::string> point_overrides(const SweepSpec& sweep, std::int64_t point) {
  std::vector<std::string> o = sweep.sets;
  const auto& row = sweep.points.at(static_cast<std::size_t>(point));
  for (std::size_t i = 0; i < sweep.axes.size(); ++i)
    o.push_back(sweep.axes[i].name + "=" + sweep.axes[i].spec->format(row[i]));
  return o;
}

Scenario run_scenario(const SweepSpec& sweep, const RunKey& key) {
  const auto& base = sweep.scenarios.at(static_cast<std::size_t>(key.scenario));
  return load_scenario_text(base.text, base.path, point_overrides(sweep, key.point));
}

std::string fnv1a_hex(const std::string& bytes) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace trustsim
