// Reading sweep files. Parameter values are checked by the scenario loader itself (as
// `--set` overrides on each base scenario), and its messages are moved to the place in the
// sweep file where the value was written: one set of rules, located errors.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/rng.hpp"
#include "scenario/loader.hpp"
#include "scenario/yaml_strict.hpp"
#include "sweep/designs.hpp"
#include "sweep/summary.hpp"
#include "sweep/sweep.hpp"

namespace trustsim {
namespace {

// Beyond this a sweep is a mistake: 10^7 runs of even 0.1 s are 12 core-days.
constexpr double kMaxRuns = 1e7;

struct Where {
  int line = 0, column = 0;
};
Where where(const YAML::Node& n) {
  auto m = n.Mark();
  return m.line < 0 ? Where{} : Where{m.line + 1, m.column + 1};
}

std::string scalar_text(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : std::string(); }

class SweepLoader {
 public:
  SweepLoader(std::string file, const FileReader& read) : file_(std::move(file)), read_(read) {}

  SweepSpec load(const std::string& text) {
    SweepSpec sw;
    sw.file = file_;
    sw.text = text;
    YAML::Node root;
    if (const auto nul = nul_byte(text)) {
      error({nul->line, nul->column}, "", nul->message);
      throw InvalidInput(diags_);
    }
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      error({e.mark.line + 1, e.mark.column + 1}, "", "not valid YAML: " + e.msg);
      throw InvalidInput(diags_);
    }
    for (const auto& p : strict_yaml_problems(text, root)) error({p.line, p.column}, p.key, p.message);
    if (!root.IsMap()) {
      error(where(root), "", "a sweep file is a map of keys (name, scenarios, design, axes, ...)");
      throw InvalidInput(diags_);
    }
    static const std::vector<std::string> known = {"name",    "description", "seed",     "replicates", "scenarios",
                                                   "set",     "design",      "axes",     "samples",    "points",
                                                   "outputs", "summary",     "bootstrap"};
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string k = scalar_text(it->first);
      if (std::find(known.begin(), known.end(), k) == known.end()) unknown(where(it->first), k, known);
    }
    read_header(root, sw);
    read_scenarios(root, sw);
    read_sets(root, sw);
    read_design(root, sw);
    read_outputs(root, sw);
    if (!diags_.empty()) throw InvalidInput(diags_);
    make_points(root, sw);
    if (!diags_.empty()) throw InvalidInput(diags_);
    sw.hash = definition_hash(sw);
    return sw;
  }

 private:
  std::string file_;
  const FileReader& read_;
  Diagnostics diags_;

  void error(Where w, const std::string& key, const std::string& message) {
    diags_.add(Diagnostic{file_, w.line, w.column, key, message});
  }
  void unknown(Where w, const std::string& key, const std::vector<std::string>& known) {
    const std::string hint = nearest(key, known);
    error(w, key, "unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }

  template <typename T>
  std::optional<T> number(const YAML::Node& n, const std::string& key, double lo, double hi) {
    if (!n.IsScalar()) {
      error(where(n), key, "expected a number");
      return {};
    }
    double v = 0;
    if (const std::string why = parse_number(n.Scalar(), v); !why.empty()) {
      error(where(n), key, "expected a number, got '" + n.Scalar() + "'" + (why == "not a number" ? "" : ": " + why));
      return {};
    }
    if (std::is_integral_v<T> && v != std::floor(v)) {
      error(where(n), key, "expected an integer, got '" + n.Scalar() + "'");
      return {};
    }
    if (v < lo || v > hi) {
      std::ostringstream os;
      os << "value " << n.Scalar() << " is out of range [" << lo << ", " << hi << "]";
      error(where(n), key, os.str());
      return {};
    }
    return static_cast<T>(v);
  }

  void read_header(const YAML::Node& root, SweepSpec& sw) {
    if (auto n = root["name"]) sw.name = scalar_text(n);
    if (sw.name.empty()) error(root["name"] ? where(root["name"]) : Where{1, 1}, "name", "a sweep needs a name");
    if (auto n = root["description"]) sw.description = scalar_text(n);
    if (auto n = root["seed"]) {
      if (auto v = number<std::int64_t>(n, "seed", 0, 9007199254740992.0)) sw.seed = static_cast<std::uint64_t>(*v);
    }
    if (auto n = root["replicates"]) {
      if (auto v = number<int>(n, "replicates", 1, 100000)) sw.replicates = *v;
    }
    if (auto n = root["bootstrap"]) {
      if (auto v = number<int>(n, "bootstrap", 0, 100000)) sw.bootstrap = *v;
    }
    if (auto s = root["summary"]) {
      if (!s.IsMap())
        error(where(s), "summary", "expected a map with period_days and window_days");
      else
        for (auto it = s.begin(); it != s.end(); ++it) {
          const std::string k = scalar_text(it->first);
          if (k == "period_days") {
            if (auto v = number<int>(it->second, "summary.period_days", 1, 100000)) sw.period_days = *v;
          } else if (k == "window_days") {
            if (auto v = number<int>(it->second, "summary.window_days", 1, 10000000)) sw.window_days = *v;
          } else
            unknown(where(it->first), "summary." + k, {"period_days", "window_days"});
        }
    }
  }

  std::string folder() const {
    auto p = std::filesystem::path(file_).parent_path();
    return p.empty() ? std::string() : p.string();
  }

  void read_scenarios(const YAML::Node& root, SweepSpec& sw) {
    auto list = root["scenarios"];
    if (!list || !list.IsSequence() || list.size() == 0) {
      error(list ? where(list) : Where{1, 1}, "scenarios", "a sweep needs a list of one or more scenario files");
      return;
    }
    std::set<std::string> seen;
    for (const auto& item : list) {
      const std::string rel = scalar_text(item);
      if (rel.empty()) {
        error(where(item), "scenarios", "expected a scenario file path");
        continue;
      }
      SweepScenario s;
      s.path = std::filesystem::path(rel).is_absolute() || folder().empty()
                   ? rel
                   : (std::filesystem::path(folder()) / rel).lexically_normal().string();
      try {
        s.text = read_(s.path);
      } catch (const std::exception& e) {
        error(where(item), "scenarios",
              "cannot read scenario file '" + s.path + "'" + (e.what()[0] ? std::string(": ") + e.what() : ""));
        continue;
      }
      try {
        Scenario sc = load_scenario_text(s.text, s.path);
        s.name = sc.name.empty() ? std::filesystem::path(s.path).stem().string() : sc.name;
      } catch (const InvalidInput& e) {
        for (const auto& d : e.diagnostics.items()) diags_.add(d);  // located in the scenario file
        continue;
      }
      if (!seen.insert(s.name).second) error(where(item), "scenarios", "two scenarios are named '" + s.name + "'");
      sw.scenarios.push_back(std::move(s));
    }
  }

  // Checks `overrides` on every base scenario; messages about `key` are moved to `w`.
  // Returns the registry value of `key` in the first scenario (or nothing on error).
  std::optional<double> check(const SweepSpec& sw, const std::vector<std::string>& overrides, const std::string& key,
                              Where w) {
    std::optional<double> value;
    std::set<std::string> said;
    // A run's seed and replicates are the sweep's: an override of them was ignored silently.
    for (const auto& o : overrides)
      for (const char* own : {"simulation.seed", "simulation.replicates"})
        if (o.rfind(std::string(own) + "=", 0) == 0) {
          error(w, own,
                std::string("decided by the sweep, not by set, an axis or a point: write `") +
                    (own == std::string("simulation.seed") ? "seed" : "replicates") +
                    ":` at the top of the sweep file");
          return {};
        }
    for (const auto& s : sw.scenarios) {
      try {
        Scenario sc = load_scenario_text(s.text, s.path, overrides);
        if (!value && !key.empty()) {
          const ParamSpec* spec = find_param(key);
          value = spec->get(sc.params, sc.jurisdictions.front().policy);
        }
      } catch (const InvalidInput& e) {
        for (auto d : e.diagnostics.items()) {
          const bool from_override = d.file == "--set" || d.line == 0;
          if (from_override) {
            d.file = file_;
            d.line = w.line;
            d.column = w.column;
            if (d.key.empty()) d.key = key;
            if (sw.scenarios.size() > 1) d.message += " (with scenario '" + s.name + "')";
          }
          if (said.insert(d.text()).second) diags_.add(d);
        }
        return {};
      }
    }
    return value;
  }

  void read_sets(const YAML::Node& root, SweepSpec& sw) {
    auto s = root["set"];
    if (!s) return;
    if (!s.IsMap()) {
      error(where(s), "set", "expected a map of parameter: value");
      return;
    }
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::string k = scalar_text(it->first);
      if (!it->second.IsScalar()) {
        error(where(it->second), k, "expected a single value");
        continue;
      }
      const std::string o = k + "=" + it->second.Scalar();
      if (check(sw, {o}, k, where(it->second))) sw.sets.push_back(o);
    }
  }

  void read_design(const YAML::Node& root, SweepSpec& sw) {
    std::string design = root["design"] ? scalar_text(root["design"]) : "grid";
    if (design == "grid")
      sw.design = Design::grid;
    else if (design == "list")
      sw.design = Design::list;
    else if (design == "lhs")
      sw.design = Design::lhs;
    else if (design == "sobol")
      sw.design = Design::sobol;
    else {
      const std::string hint = nearest(design, {"grid", "list", "lhs", "sobol"});
      error(where(root["design"]), "design",
            "'" + design + "' is not one of: grid, list, lhs, sobol" +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      return;
    }

    const bool sampled = sw.design == Design::lhs || sw.design == Design::sobol;
    if (auto n = root["samples"]) {
      if (!sampled)
        error(where(n), "samples", "only lhs and sobol designs take samples");
      else if (auto v = number<int>(n, "samples", 2, kMaxRuns))
        sw.samples = *v;
    } else if (sampled)
      error(Where{1, 1}, "samples",
            "a " + design + " design needs samples (the number of points" +
                (sw.design == Design::sobol ? " per Saltelli block)" : ")"));

    if (sw.design == Design::list) {
      if (root["axes"]) error(where(root["axes"]), "axes", "a list design takes its axes from points; remove axes");
      return;
    }
    if (root["points"]) error(where(root["points"]), "points", "only a list design takes points");
    auto axes = root["axes"];
    if (!axes || !axes.IsMap() || axes.size() == 0) {
      if (sw.design == Design::grid && !axes) return;  // a grid with no axes: one point, the scenarios as they are
      error(axes ? where(axes) : Where{1, 1}, "axes",
            "expected a map of parameter: " + std::string(sampled ? "{min, max}" : "[values]"));
      return;
    }
    for (auto it = axes.begin(); it != axes.end(); ++it) {
      SweepAxis a;
      a.name = scalar_text(it->first);
      auto w = where(it->first);
      a.line = w.line;
      a.column = w.column;
      a.spec = find_param(a.name);
      if (!a.spec) {
        std::vector<std::string> all;
        for (const auto& s : registry()) all.push_back(s.dotted());
        unknown(w, a.name, all);
        continue;
      }
      if (sampled)
        read_range(sw, a, it->second);
      else
        read_values(sw, a, it->second);
      sw.axes.push_back(a);
    }
  }

  void read_values(const SweepSpec& sw, SweepAxis& a, const YAML::Node& n) {
    if (!n.IsSequence() || n.size() == 0) {
      error(where(n), a.name, "expected a list of values");
      return;
    }
    for (const auto& v : n) {
      if (!v.IsScalar()) {
        error(where(v), a.name, "expected a single value");
        continue;
      }
      auto overrides = sw.sets;
      overrides.push_back(a.name + "=" + v.Scalar());
      if (auto value = check(sw, overrides, a.name, where(v))) a.values.push_back(*value);
    }
  }

  void read_range(const SweepSpec& sw, SweepAxis& a, const YAML::Node& n) {
    if (a.spec->type == ParamType::Bool || a.spec->type == ParamType::Choice) {
      error(where(n), a.name, "a " + a.spec->type_name() + " parameter cannot be sampled; use a grid or list design");
      return;
    }
    if (!n.IsMap() || !n["min"] || !n["max"]) {
      error(where(n), a.name, "expected {min: ..., max: ...}");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string k = scalar_text(it->first);
      if (k != "min" && k != "max" && k != "log") unknown(where(it->first), a.name + "." + k, {"min", "max", "log"});
    }
    if (auto l = n["log"]) a.log = scalar_text(l) == "true";
    auto bound = [&](const char* which) -> std::optional<double> {
      auto overrides = sw.sets;
      overrides.push_back(a.name + "=" + scalar_text(n[which]));
      return check(sw, overrides, a.name, where(n[which]));
    };
    auto lo = bound("min"), hi = bound("max");
    if (!lo || !hi) return;
    a.lo = *lo;
    a.hi = *hi;
    if (!(a.lo < a.hi)) error(where(n), a.name, "min must be below max");
    if (a.log && a.lo <= 0) error(where(n["min"]), a.name, "a log axis needs min > 0");
  }

  void read_outputs(const YAML::Node& root, SweepSpec& sw) {
    auto n = root["outputs"];
    if (!n) {
      sw.outputs = {"reporting_rate", "reporting_rate.undocumented", "detentions", "trust_mean"};
      return;
    }
    if (!n.IsSequence() || n.size() == 0) {
      error(where(n), "outputs", "expected a list of output names");
      return;
    }
    std::vector<std::string> all;
    for (const auto& o : output_specs()) all.push_back(o.name);
    for (const auto& item : n) {
      const std::string name = scalar_text(item);
      if (find_output(name) < 0) {
        const std::string hint = nearest(name, all);
        error(where(item), "outputs",
              "unknown output '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                  "; `trustsim sweep --outputs` lists them");
      } else
        sw.outputs.push_back(name);
    }
  }

  void make_points(const YAML::Node& root, SweepSpec& sw) {
    const int k = static_cast<int>(sw.axes.size());
    const double per_point = static_cast<double>(sw.scenarios.size()) * sw.replicates;
    double points = 1;
    switch (sw.design) {
      case Design::grid:
        for (const auto& a : sw.axes) points *= static_cast<double>(a.values.size());
        break;
      case Design::lhs: points = sw.samples; break;
      case Design::sobol: points = static_cast<double>(sw.samples) * (k + 2); break;
      case Design::list:
        points = root["points"] && root["points"].IsSequence() ? static_cast<double>(root["points"].size()) : 0;
        break;
    }
    if (points * per_point > kMaxRuns) {
      std::ostringstream os;
      os << "this sweep has " << points << " points x " << sw.scenarios.size() << " scenarios x " << sw.replicates
         << " replicates = " << points * per_point << " runs, which would take years of computing and "
         << points * per_point * 20e3 / 1e9 << " GB of results; the limit is " << kMaxRuns << " runs";
      error({1, 1}, kDesignNames[static_cast<int>(sw.design)], os.str());
      return;
    }
    switch (sw.design) {
      case Design::grid: sw.points = grid_points(sw.axes); break;
      case Design::lhs:
        for (auto& row : latin_hypercube(sw.samples, k, derive_seed(sw.seed, Stream::sweep_design, 0)))
          sw.points.push_back(scaled(sw, row));
        break;
      case Design::sobol:
        for (auto& row : saltelli_points(sw.samples, k)) sw.points.push_back(scaled(sw, row));
        break;
      case Design::list: read_points(root, sw); break;
    }
  }

  static std::vector<double> scaled(const SweepSpec& sw, const std::vector<double>& unit) {
    std::vector<double> row;
    for (std::size_t i = 0; i < unit.size(); ++i) row.push_back(scale(sw.axes[i], unit[i]));
    return row;
  }

  // A list design: every point names the same parameters; each point is checked whole.
  void read_points(const YAML::Node& root, SweepSpec& sw) {
    auto list = root["points"];
    if (!list || !list.IsSequence() || list.size() == 0) {
      error(list ? where(list) : Where{1, 1}, "points",
            "a list design needs points: a list of {parameter: value} maps");
      return;
    }
    for (const auto& point : list) {
      if (!point.IsMap()) {
        error(where(point), "points", "expected a map of parameter: value");
        continue;
      }
      if (sw.axes.empty())
        for (auto it = point.begin(); it != point.end(); ++it) {
          SweepAxis a;
          a.name = scalar_text(it->first);
          a.spec = find_param(a.name);
          auto w = where(it->first);
          a.line = w.line;
          a.column = w.column;
          sw.axes.push_back(a);
        }
      std::vector<double> row;
      std::vector<std::string> overrides = sw.sets;
      bool ok = point.size() == sw.axes.size();
      for (const auto& a : sw.axes) {
        auto v = point[a.name];
        if (!v || !v.IsScalar()) {
          ok = false;
          continue;
        }
        overrides.push_back(a.name + "=" + v.Scalar());
      }
      if (!ok) {
        std::string names;
        for (const auto& a : sw.axes) names += (names.empty() ? "" : ", ") + a.name;
        error(where(point), "points", "every point sets the same parameters, one value each: " + names);
        continue;
      }
      for (const auto& a : sw.axes) {
        auto v = check(sw, overrides, a.spec ? a.name : "", where(point[a.name]));
        if (!v) break;  // one message per point is enough
        row.push_back(*v);
      }
      if (row.size() == sw.axes.size()) sw.points.push_back(row);
    }
  }

  static std::string definition_hash(const SweepSpec& sw) {
    std::string bytes = "trustsim-sweep-definition\n" + sw.text;
    for (const auto& s : sw.scenarios) bytes += "\n--- scenario " + s.name + "\n" + s.text;
    return fnv1a_hex(bytes);
  }
};

}  // namespace

SweepSpec load_sweep_text(const std::string& text, const std::string& label, const FileReader& read) {
  return SweepLoader(label, read).load(text);
}

namespace {

// The sweep text with the overrides written in: the file's comments give way to a header
// that names the file and the options.
std::string amended_text(const std::string& text, const std::string& path, const SweepOverrides& o) {
  YAML::Node root = YAML::Load(text);  // valid: the file loaded before
  Diagnostics bad;
  std::string said;
  for (const auto& s : o.sets) {
    const auto eq = s.find('=');
    if (eq == 0 || eq == std::string::npos) {
      bad.add(Diagnostic{"--set", 0, 0, s, "expected dotted.name=value"});
      continue;
    }
    root["set"][s.substr(0, eq)] = s.substr(eq + 1);
    said += " --set " + s;
  }
  if (!bad.empty()) throw InvalidInput(bad);
  if (o.seed) {
    root["seed"] = *o.seed;
    said += " --seed " + std::to_string(*o.seed);
  }
  if (o.replicates) {
    root["replicates"] = *o.replicates;
    said += " --replicates " + std::to_string(*o.replicates);
  }
  YAML::Emitter out;
  out << root;
  return "# " + path + " with" + said + "\n" + out.c_str() + "\n";
}

}  // namespace

SweepSpec load_sweep(const std::string& path, const SweepOverrides& overrides) {
  auto read = [](const std::string& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::string text;
  try {
    text = read(path);
  } catch (const std::exception&) {
    Diagnostics d;
    d.add(Diagnostic{path, 0, 0, "", "cannot open the sweep file"});
    throw InvalidInput(d);
  }
  SweepSpec file = load_sweep_text(text, path, read);  // the file's own problems, at its lines
  if (overrides.empty()) return file;
  try {
    return load_sweep_text(amended_text(text, path, overrides), path, read);
  } catch (const InvalidInput& e) {
    // Problems the options made: located at the options, not at lines of the amended text.
    Diagnostics d;
    for (const auto& item : e.diagnostics.items())
      d.add(Diagnostic{"command line (--set, --seed, --replicates)", 0, 0, item.key, item.message});
    throw InvalidInput(d);
  }
}

}  // namespace trustsim
