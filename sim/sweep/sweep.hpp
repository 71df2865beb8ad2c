// A parameter sweep: base scenarios, axes over registry parameters, a design that places
// points on those axes, and replicates. Its runs are numbered once, so any split of the
// sweep (threads, shards, machines, restarts) runs the same runs with the same seeds.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "params/registry.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

enum class Design { grid, list, lhs, sobol };
inline constexpr const char* kDesignNames[] = {"grid", "list", "lhs", "sobol"};

struct SweepAxis {
  std::string name;  // dotted registry name
  const ParamSpec* spec = nullptr;
  std::vector<double> values;  // grid: the values, in file order
  double lo = 0, hi = 0;       // lhs, sobol: the range
  bool log = false;            // lhs, sobol: uniform in log(value)
  int line = 0, column = 0;    // where the axis is declared
};

struct SweepScenario {
  std::string path;  // as resolved from the sweep file's folder
  std::string name;  // the scenario's `name` (or the file stem)
  std::string text;  // the file's contents, part of the sweep's definition
};

struct SweepSpec {
  std::string file, text;  // the sweep file and its contents
  std::string name, description;
  std::uint64_t seed = 1;
  int replicates = 1;
  std::vector<SweepScenario> scenarios;
  std::vector<std::string> sets;  // "dotted=value" applied to every run before the design point
  Design design = Design::grid;
  std::vector<SweepAxis> axes;
  int samples = 0;                          // lhs: points; sobol: base samples N (points = N x (axes + 2))
  std::vector<std::vector<double>> points;  // design points x axes, registry values
  std::vector<std::string> outputs;         // summary outputs to analyse (sensitivity)
  int period_days = 30;                     // summary series resolution
  int window_days = 365;                    // summary outputs: the last days of a run
  int bootstrap = 1000;                     // resamples for sensitivity intervals
  std::string hash;                         // of the definition: sweep text and scenario texts

  std::int64_t point_count() const { return static_cast<std::int64_t>(points.size()); }
  std::int64_t scenario_count() const { return static_cast<std::int64_t>(scenarios.size()); }
  std::int64_t run_count() const { return point_count() * replicates * scenario_count(); }
};

// One run: a design point, a base scenario, a replicate. The policy scenarios of one point
// and replicate are adjacent and share the seed: common random numbers.
struct RunKey {
  std::int64_t index = 0, point = 0, scenario = 0, replicate = 0;
  std::uint64_t seed = 0;
  std::int64_t runs = 0;  // the sweep's run count: a large sweep's run files go in subfolders
};
RunKey run_key(const SweepSpec& sweep, std::int64_t index);
std::uint64_t run_seed(std::uint64_t sweep_seed, std::int64_t point, std::int64_t replicate);

// The `--set` overrides that make a run's scenario: the sweep's `set`, then the point.
std::vector<std::string> point_overrides(const SweepSpec& sweep, std::int64_t point);
Scenario run_scenario(const SweepSpec& sweep, const RunKey& key);

// Reading sweep files. Every problem is reported at once, located, as InvalidInput.
// `read` returns a base scenario file's contents (throws std::runtime_error when it cannot).
using FileReader = std::function<std::string(const std::string& path)>;
SweepSpec load_sweep_text(const std::string& text, const std::string& label, const FileReader& read);

// The command line's changes to a sweep file (`trustsim sweep --set/--seed/--replicates`):
// written into the sweep's text, which is its definition, so a folder run with them is
// resumed only with the same ones.
struct SweepOverrides {
  std::vector<std::string> sets;  // "dotted=value", into the file's `set:` map
  std::optional<std::uint64_t> seed;
  std::optional<int> replicates;
  bool empty() const { return sets.empty() && !seed && !replicates; }
};
SweepSpec load_sweep(const std::string& path, const SweepOverrides& overrides = {});

// Stable 64-bit FNV-1a digest, as 16 hex digits (identity, not security).
std::string fnv1a_hex(const std::string& bytes);

}  // namespace trustsim
