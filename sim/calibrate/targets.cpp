#include "calibrate/targets.hpp"

#include <yaml-cpp/yaml.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "scenario/diagnostics.hpp"

namespace trustsim::calibrate {
namespace {

constexpr std::array<std::pair<Statistic, const char*>, 10> kStatistics = {{
    {Statistic::reporting_share, "reporting_share"},
    {Statistic::zero_fear_reporting_ratio, "zero_fear_reporting_ratio"},
    {Statistic::below_baseline_share, "below_baseline_share"},
    {Statistic::reporting_probability, "reporting_probability"},
    {Statistic::reassurance_gain, "reassurance_gain"},
    {Statistic::contact_asymmetry, "contact_asymmetry"},
    {Statistic::starting_belief, "starting_belief"},
    {Statistic::clearance_share, "clearance_share"},
    {Statistic::officers_per_1000, "officers_per_1000"},
    {Statistic::population_share, "population_share"},
}};

constexpr std::array<std::pair<Who, const char*>, 11> kWho = {{
    {Who::all, "all"},
    {Who::undocumented, "undocumented"},
    {Who::lawful_noncitizen, "lawful_noncitizen"},
    {Who::immigrant_origin, "immigrant_origin"},
    {Who::citizen_immigrant_origin, "citizen_immigrant_origin"},
    {Who::us_born_immigrant_origin_citizen, "us_born_immigrant_origin_citizen"},
    {Who::naturalised_citizen, "naturalised_citizen"},
    {Who::non_immigrant_origin, "non_immigrant_origin"},
    {Who::mixed_status, "mixed_status"},
    {Who::citizen_with_undocumented, "citizen_with_undocumented"},
    {Who::foreign_born, "foreign_born"},
}};

struct Reader {
  std::string file;
  Diagnostics diags;
  void error(const YAML::Node& n, const std::string& key, const std::string& message) {
    int line = 0, column = 0;
    if (n.IsDefined()) {
      auto m = n.Mark();
      if (m.line >= 0) {
        line = m.line + 1;
        column = m.column + 1;
      }
    }
    diags.add(Diagnostic{file, line, column, key, message});
  }
  template <class T>
  bool get(const YAML::Node& parent, const std::string& key, T& out, bool required = true) {
    const YAML::Node n = parent[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) error(parent, key, "missing");
      return false;
    }
    try {
      out = n.as<T>();
      return true;
    } catch (const YAML::Exception&) {
      error(n, key, "wrong type");
      return false;
    }
  }
};

}  // namespace

Statistic parse_statistic(const std::string& name) {
  for (auto& [s, n] : kStatistics)
    if (name == n) return s;
  throw std::invalid_argument("unknown statistic " + name);
}
const char* statistic_name(Statistic s) {
  for (auto& [k, n] : kStatistics)
    if (k == s) return n;
  return "?";
}
Who parse_who(const std::string& name) {
  for (auto& [w, n] : kWho)
    if (name == n) return w;
  throw std::invalid_argument("unknown set of residents " + name);
}
const char* who_name(Who w) {
  for (auto& [k, n] : kWho)
    if (k == w) return n;
  return "?";
}

TargetsFile load_targets(const std::string& path) {
  TargetsFile tf;
  tf.path = path;
  Reader r{path, {}};
  std::ifstream in(path);
  if (!in) {
    r.diags.add(Diagnostic{path, 0, 0, "", "cannot read the targets file"});
    throw InvalidInput(r.diags);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  tf.text = ss.str();
  YAML::Node root;
  try {
    root = YAML::Load(tf.text);
  } catch (const YAML::ParserException& e) {
    r.diags.add(Diagnostic{path, e.mark.line + 1, e.mark.column + 1, "", "malformed YAML: " + e.msg});
    throw InvalidInput(r.diags);
  }
  const auto base = std::filesystem::path(path).parent_path();
  auto resolve = [&](const std::string& p) { return (base / p).lexically_normal().string(); };

  if (const auto city = root["city"]; city.IsMap()) {
    for (const auto& kv : city) {
      const auto key = kv.first.as<std::string>();
      if (!find_param(key)) r.error(kv.first, key, "not a parameter (see `trustsim schema`)");
      tf.city.push_back(key + "=" + kv.second.as<std::string>());
    }
  } else {
    r.error(root, "city", "missing: the small city (parameter overrides) every evaluation runs");
  }
  if (const auto sc = root["scenarios"]; sc.IsMap()) {
    for (const auto& kv : sc) tf.scenarios[kv.first.as<std::string>()] = kv.second.as<std::string>();
  } else {
    r.error(root, "scenarios", "missing: scenario keys and their policy presets");
  }
  for (const auto& [key, preset] : tf.scenarios)
    if (!find_preset(preset)) r.error(root["scenarios"][key], key, "unknown policy preset " + preset);

  if (const auto s = root["search"]; s.IsMap()) {
    auto& o = tf.search;
    r.get(s, "replicates", o.replicates, false);
    r.get(s, "budget", o.budget, false);
    r.get(s, "lhs_share", o.lhs_share, false);
    r.get(s, "starts", o.starts, false);
    r.get(s, "simplex_step", o.simplex_step, false);
    r.get(s, "centre_weight", o.centre_weight, false);
    r.get(s, "verify_replicates", o.verify_replicates, false);
    r.get(s, "sample_every_days", o.sample_every_days, false);
    if (o.replicates < 2) r.error(s["replicates"], "replicates", "at least 2 (confidence intervals)");
    if (o.verify_replicates < 2) r.error(s["verify_replicates"], "verify_replicates", "at least 2");
    if (o.budget < 1) r.error(s["budget"], "budget", "at least 1");
    if (!(o.lhs_share > 0 && o.lhs_share <= 1)) r.error(s["lhs_share"], "lhs_share", "in (0, 1]");
    if (o.starts < 1) r.error(s["starts"], "starts", "at least 1");
    if (o.sample_every_days < 1) r.error(s["sample_every_days"], "sample_every_days", "at least 1");
  }
  if (const auto o = root["outputs"]; o.IsMap()) {
    std::string d, m;
    if (r.get(o, "defaults", d)) tf.defaults_path = resolve(d);
    if (r.get(o, "record", m)) tf.record_path = resolve(m);
  } else {
    r.error(root, "outputs", "missing: paths of the calibrated defaults and the record");
  }

  if (const auto fr = root["free"]; fr.IsSequence()) {
    for (const auto& n : fr) {
      FreeParam p;
      r.get(n, "name", p.name);
      r.get(n, "low", p.low);
      r.get(n, "high", p.high);
      r.get(n, "why", p.why, false);
      p.spec = find_param(p.name);
      if (!p.spec)
        r.error(n, "name", "not a parameter: " + p.name);
      else if (p.spec->type != ParamType::Real || p.spec->is_policy())
        r.error(n, "name", "only real, city-wide parameters can be free");
      else if (!(p.low < p.high) || p.low < p.spec->min || p.high > p.spec->max)
        r.error(n, "low", "the search range must be increasing and inside the registry's range");
      tf.free.push_back(p);
    }
  } else {
    r.error(root, "free", "missing: the free parameters and their search ranges");
  }

  if (const auto ts = root["targets"]; ts.IsSequence()) {
    for (const auto& n : ts) {
      Target t;
      std::string stat, who = "all", crime = "violent";
      r.get(n, "id", t.id);
      r.get(n, "figure", t.figure);
      r.get(n, "statistic", stat);
      r.get(n, "scenario", t.scenario, false);
      r.get(n, "who", who, false);
      r.get(n, "crime_type", crime, false);
      r.get(n, "adults", t.adults, false);
      r.get(n, "measured", t.measured);
      r.get(n, "source", t.source);
      std::vector<double> band;
      if (r.get(n, "band", band) && (band.size() != 2 || !(band[0] < band[1])))
        r.error(n["band"], "band", "[low, high] with low < high");
      if (band.size() == 2) {
        t.low = band[0];
        t.high = band[1];
      }
      try {
        t.statistic = parse_statistic(stat);
      } catch (const std::exception& e) { r.error(n["statistic"], "statistic", e.what()); }
      try {
        t.who = parse_who(who);
      } catch (const std::exception& e) { r.error(n["who"], "who", e.what()); }
      if (crime == "violent")
        t.crime_type = 0;
      else if (crime == "property")
        t.crime_type = 1;
      else
        r.error(n["crime_type"], "crime_type", "violent or property");
      if (t.statistic != Statistic::contact_asymmetry && !tf.scenarios.count(t.scenario))
        r.error(n, "scenario", "must name one of the scenarios");
      for (const auto& other : tf.targets)
        if (other.id == t.id) r.error(n["id"], "id", "duplicate target id " + t.id);
      tf.targets.push_back(t);
    }
  } else {
    r.error(root, "targets", "missing: the targets");
  }
  if (!r.diags.empty()) throw InvalidInput(r.diags);
  return tf;
}

}  // namespace trustsim::calibrate
