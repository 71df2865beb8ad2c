#include "scenario/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

#include "params/registry.hpp"
#include "scenario/yaml_strict.hpp"

namespace trustsim {
namespace {

struct Where {
  int line = 0, column = 0;
};
Where where(const YAML::Node& n) {
  auto m = n.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

// A policy node: an optional preset and overrides of single knobs.
struct PolicyNode {
  std::string preset;  // empty: keep the base policy
  std::vector<std::pair<const ParamSpec*, double>> overrides;
  PolicyParams apply(const PolicyParams& base) const {
    PolicyParams q = preset.empty() ? base : find_preset(preset)->params;
    Params unused;
    for (auto& [spec, value] : overrides) spec->set(unused, q, value);
    return q;
  }
  std::string label() const {
    return overrides.empty() && !preset.empty() ? preset : (preset.empty() ? "custom" : preset + "+custom");
  }
};

std::vector<std::string> preset_names() {
  std::vector<std::string> out;
  for (const auto& p : policy_presets()) out.push_back(p.name);
  return out;
}

std::vector<std::string> keys_of_section(const std::string& section) {
  std::vector<std::string> out;
  for (const auto& s : registry())
    if (s.section == section) out.push_back(s.name);
  return out;
}

// "149 TB": bytes in decimal units, three significant figures.
std::string human_bytes(double b) {
  static const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
  std::size_t u = 0;
  while (b >= 999.5 && u + 1 < std::size(units)) {
    b /= 1000;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, b >= 1000 ? "%.3g %s" : b >= 100 || u == 0 ? "%.0f %s" : "%.3g %s", b, units[u]);
  return buf;
}

// "10^12" for a power of ten from 10^6 up, "50,000,001" otherwise.
std::string human_count(double v) {
  const double e = std::round(std::log10(v));
  if (v >= 1e6 && e <= 300 && v == std::pow(10.0, e)) return "10^" + std::to_string(static_cast<int>(e));
  if (v >= 1e18) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
  }
  std::string digits = std::to_string(static_cast<long long>(v)), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The size parameters whose excess is explained in bytes, with the noun for their count.
const char* size_noun(const std::string& dotted) {
  if (dotted == "population.residents") return "residents";
  if (dotted == "simulation.days") return "days";
  if (dotted == "simulation.replicates") return "replicates";
  return nullptr;
}

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  Scenario load(const std::string& text, const std::vector<std::string>& overrides) {
    Scenario sc;
    sc.source_file = file_;
    YAML::Node root;
    if (const auto nul = nul_byte(text)) {
      error({nul->line, nul->column}, "", nul->message);
      throw InvalidInput(diags_);
    }
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      error({e.mark.line + 1, e.mark.column + 1}, "", "malformed YAML: " + e.msg);
      throw InvalidInput(diags_);
    }
    for (const auto& p : strict_yaml_problems(text, root)) error({p.line, p.column}, p.key, p.message);
    if (!root.IsMap()) {
      error(where(root), "", "a scenario must be a mapping of sections (simulation, population, policy, ...)");
      throw InvalidInput(diags_);
    }
    read_root(root, sc);
    for (const auto& o : overrides) apply_override(o, sc);
    resolve_policies(sc);
    check_rules(sc);
    if (!diags_.empty()) throw InvalidInput(diags_);
    return sc;
  }

  void error(Where w, const std::string& key, const std::string& message, const std::string& file = "") {
    diags_.add(Diagnostic{file.empty() ? file_ : file, w.line, w.column, key, message});
  }

 private:
  std::string file_;
  Diagnostics diags_;
  std::map<std::string, Where> set_at_;  // where each key was set, to locate cross-field errors
  PolicyNode city_policy_;
  std::vector<PolicyNode> jurisdiction_policy_;
  struct ScheduleEntry {
    int day;
    int jurisdiction;  // -1: every jurisdiction
    PolicyNode policy;
    Where at;
    bool has_day = false;
  };
  std::vector<ScheduleEntry> schedule_;
  std::vector<std::pair<const ParamSpec*, double>> policy_sets_;  // --set policy.*
  struct Oversize {  // a size parameter above its range, reported with the memory it would need
    const ParamSpec* spec;
    double value;
    Where at;
    std::string file, range_message;
  };
  std::vector<Oversize> oversize_;

  static std::vector<std::string> root_keys() {
    std::vector<std::string> keys = {"name", "description", "policy", "jurisdictions", "schedule"};
    for (const auto& s : registry_sections())
      if (s != "policy") keys.push_back(s);
    return keys;
  }

  void read_root(const YAML::Node& root, Scenario& sc) {
    auto sections = registry_sections();
    for (auto it = root.begin(); it != root.end(); ++it) {
      auto key_text = text(it->first, "", "a key name");
      if (!key_text) continue;
      const std::string key = *key_text;
      // A copy (a Node is a handle): `it->` yields a temporary proxy, so a reference to its
      // `second` dangles after this line (ASan: stack-use-after-scope, found by the fuzzer).
      const YAML::Node value = it->second;
      if (key == "name" || key == "description") {
        if (!value.IsScalar()) {
          error(where(value), key, "must be a string");
          continue;
        }
        (key == "name" ? sc.name : sc.description) = value.as<std::string>();
      } else if (key == "policy") {
        if (auto p = read_policy(value, "policy")) city_policy_ = *p;
      } else if (key == "jurisdictions") {
        read_jurisdictions(value, sc);
      } else if (key == "schedule") {
        schedule_node_ = value;
        has_schedule_ = true;
      } else if (std::find(sections.begin(), sections.end(), key) != sections.end()) {
        read_section(key, value, sc);
      } else {
        unknown(where(it->first), key, root_keys());
      }
    }
    if (sc.jurisdictions.empty()) {
      sc.jurisdictions.push_back(Jurisdiction{"city", 1.0, "", {}});
      jurisdiction_policy_.push_back({});
    }
    if (has_schedule_) read_schedule(schedule_node_, sc);  // after jurisdictions, which it names
  }
  YAML::Node schedule_node_;
  bool has_schedule_ = false;

  // `key` is the full label; the suggestion compares its last part with the candidates.
  void unknown(Where w, const std::string& key, const std::vector<std::string>& candidates) {
    const bool dotted_candidates = !candidates.empty() && candidates.front().find('.') != std::string::npos;
    const auto dot = key.rfind('.');
    std::string hint = nearest(dotted_candidates || dot == std::string::npos ? key : key.substr(dot + 1), candidates);
    error(w, key, "unknown key" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
  }

  // The text of a scalar node (a key, a name), or an error and nothing.
  std::optional<std::string> text(const YAML::Node& node, const std::string& key, const std::string& what) {
    if (node.IsScalar()) return node.Scalar();
    error(where(node), key, "expected " + what);
    return std::nullopt;
  }

  void read_section(const std::string& section, const YAML::Node& node, Scenario& sc) {
    if (!node.IsMap()) {
      error(where(node), section, "must be a mapping of parameters");
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto key_text = text(it->first, section, "a key name");
      if (!key_text) continue;
      const std::string key = *key_text;
      const ParamSpec* spec = find_param(section + "." + key);
      if (!spec) {
        unknown(where(it->first), section + "." + key, dotted_of(section));
        continue;
      }
      if (auto v = parse_value(*spec, it->second, where(it->second))) {
        PolicyParams unused;
        spec->set(sc.params, unused, *v);
        set_at_[spec->dotted()] = where(it->second);
      }
    }
  }

  static std::vector<std::string> dotted_of(const std::string& section) {
    std::vector<std::string> out;
    for (const auto& k : keys_of_section(section)) out.push_back(section + "." + k);
    return out;
  }

  std::optional<double> parse_value(const ParamSpec& spec, const YAML::Node& node, Where w,
                                    const std::string& file = "") {
    const std::string key = spec.dotted();
    if (!node.IsScalar()) {
      error(w, key, "expected a single " + spec.type_name() + " value", file);
      return {};
    }
    const std::string& text = node.Scalar();
    double v = 0;
    switch (spec.type) {
      case ParamType::Bool: {
        // YAML's words for booleans, each in its three spellings (true, True, TRUE), all
        // alike: `True` was refused while `yes` and `on` passed.
        static const std::map<std::string, bool> words = [] {
          std::map<std::string, bool> m;
          for (const auto& [word, value] : {std::pair<std::string, bool>{"true", true},
                                            {"false", false},
                                            {"yes", true},
                                            {"no", false},
                                            {"on", true},
                                            {"off", false}}) {
            std::string title = word, upper = word;
            title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            m[word] = m[title] = m[upper] = value;
          }
          return m;
        }();
        auto f = words.find(text);
        if (f == words.end()) {
          error(w, key, "expected true or false, got '" + text + "'", file);
          return {};
        }
        return f->second ? 1.0 : 0.0;
      }
      case ParamType::Choice: {
        auto f = std::find(spec.choices.begin(), spec.choices.end(), text);
        if (f == spec.choices.end()) {
          std::string all, hint = nearest(text, spec.choices);
          for (const auto& c : spec.choices) all += (all.empty() ? "" : ", ") + c;
          error(w, key,
                "'" + text + "' is not one of: " + all + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"), file);
          return {};
        }
        return static_cast<double>(f - spec.choices.begin());
      }
      case ParamType::Int:
      case ParamType::Real: {
        if (const std::string why = parse_number(text, v); !why.empty()) {
          error(w, key,
                "expected " + std::string(spec.type == ParamType::Int ? "an integer" : "a number") + ", got '" + text +
                    "'" + (why == "not a number" ? "" : ": " + why),
                file);
          return {};
        }
        if (spec.type == ParamType::Int && v != std::floor(v)) {
          error(w, key, "expected an integer, got '" + text + "'", file);
          return {};
        }
        if (v < spec.min || v > spec.max) {
          std::string msg =
              "value " + text + " is out of range [" + spec.format(spec.min) + ", " + spec.format(spec.max) + "]";
          if (v > spec.max && size_noun(key)) {
            // Explained once the whole scenario is read: what the run would need, in memory.
            oversize_.push_back(Oversize{&spec, v, w, file, msg});
            return {};
          }
          error(w, key, msg, file);
          return {};
        }
        return v;
      }
    }
    return {};
  }

  std::optional<PolicyNode> read_policy(const YAML::Node& node, const std::string& key) {
    PolicyNode p;
    auto take_preset = [&](const YAML::Node& n) {
      auto name_text = text(n, key, "a preset name");
      if (!name_text) return false;
      const std::string name = *name_text;
      if (!find_preset(name)) {
        std::string hint = nearest(name, preset_names()), all;
        for (const auto& c : preset_names()) all += (all.empty() ? "" : ", ") + c;
        error(where(n), key,
              "unknown policy preset '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                  "; presets: " + all);
        return false;
      }
      p.preset = name;
      return true;
    };
    if (node.IsScalar()) {
      if (!take_preset(node)) return {};
      return p;
    }
    if (!node.IsMap()) {
      error(where(node), key, "must be a preset name or a mapping {preset: ..., knob: value}");
      return {};
    }
    bool ok = true;
    for (auto it = node.begin(); it != node.end(); ++it) {
      auto k_text = text(it->first, key, "a key name");
      if (!k_text) {
        ok = false;
        continue;
      }
      const std::string k = *k_text;
      if (k == "preset") {
        ok = take_preset(it->second) && ok;
        continue;
      }
      const ParamSpec* spec = find_param("policy." + k);
      if (!spec) {
        auto cands = keys_of_section("policy");
        cands.emplace_back("preset");
        unknown(where(it->first), key + "." + k, cands);
        ok = false;
        continue;
      }
      if (auto v = parse_value(*spec, it->second, where(it->second)))
        p.overrides.emplace_back(spec, *v);
      else
        ok = false;
    }
    if (!ok) return {};
    return p;
  }

  void read_jurisdictions(const YAML::Node& node, Scenario& sc) {
    if (!node.IsSequence() || node.size() == 0) {
      error(where(node), "jurisdictions", "must be a non-empty list");
      return;
    }
    double total = 0;
    for (const auto& j : node) {
      if (!j.IsMap()) {
        error(where(j), "jurisdictions", "each jurisdiction must be a mapping {name, neighbourhood_share, policy}");
        continue;
      }
      Jurisdiction jur;
      PolicyNode policy;
      for (auto it = j.begin(); it != j.end(); ++it) {
        const auto k_text = text(it->first, "jurisdictions", "a key name");
        if (!k_text) continue;
        const std::string& k = *k_text;
        if (k == "name")
          jur.name = text(it->second, "jurisdictions.name", "a jurisdiction name").value_or("");
        else if (k == "neighbourhood_share") {
          try {
            jur.neighbourhood_share = it->second.as<double>();
          } catch (...) { jur.neighbourhood_share = -1; }
          if (!(jur.neighbourhood_share > 0 && jur.neighbourhood_share <= 1))
            error(where(it->second), "jurisdictions.neighbourhood_share", "must be a number in (0, 1]");
        } else if (k == "policy") {
          if (auto p = read_policy(it->second, "jurisdictions.policy")) policy = *p;
        } else
          unknown(where(it->first), "jurisdictions." + k, {"name", "neighbourhood_share", "policy"});
      }
      if (jur.name.empty()) error(where(j), "jurisdictions.name", "every jurisdiction needs a name");
      for (const auto& other : sc.jurisdictions)
        if (other.name == jur.name) error(where(j), "jurisdictions.name", "duplicate jurisdiction '" + jur.name + "'");
      total += jur.neighbourhood_share;
      sc.jurisdictions.push_back(jur);
      jurisdiction_policy_.push_back(policy);
    }
    if (std::fabs(total - 1.0) > 1e-6)
      error(where(node), "jurisdictions.neighbourhood_share",
            "shares must add up to 1 (they add up to " + std::to_string(total) + ")");
  }

  void read_schedule(const YAML::Node& node, const Scenario& sc) {
    if (!node.IsSequence()) {
      error(where(node), "schedule", "must be a list of {day, jurisdiction, policy}");
      return;
    }
    for (const auto& e : node) {
      if (!e.IsMap()) {
        error(where(e), "schedule", "each entry must be a mapping {day, jurisdiction, policy}");
        continue;
      }
      ScheduleEntry entry{-1, -1, {}, where(e)};
      bool has_policy = false;
      for (auto it = e.begin(); it != e.end(); ++it) {
        const auto k_text = text(it->first, "schedule", "a key name");
        if (!k_text) continue;
        const std::string& k = *k_text;
        if (k == "day") {
          try {
            entry.day = it->second.as<int>();
            entry.has_day = true;
          } catch (...) { error(where(it->second), "schedule.day", "expected an integer day"); }
          entry.at = where(it->second);
        } else if (k == "jurisdiction") {
          auto name_text = text(it->second, "schedule.jurisdiction", "a jurisdiction name");
          if (!name_text) continue;
          const std::string name = *name_text;
          std::vector<std::string> names;
          for (std::size_t i = 0; i < sc.jurisdictions.size(); ++i) {
            names.push_back(sc.jurisdictions[i].name);
            if (sc.jurisdictions[i].name == name) entry.jurisdiction = static_cast<int>(i);
          }
          if (entry.jurisdiction < 0) {
            std::string hint = nearest(name, names);
            error(where(it->second), "schedule.jurisdiction",
                  "no jurisdiction named '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
          }
        } else if (k == "policy") {
          has_policy = true;
          if (auto p = read_policy(it->second, "schedule.policy")) entry.policy = *p;
        } else
          unknown(where(it->first), "schedule." + k, {"day", "jurisdiction", "policy"});
      }
      if (!has_policy) error(where(e), "schedule.policy", "each schedule entry needs a policy");
      if (!e["day"]) error(where(e), "schedule.day", "each schedule entry needs a day");
      schedule_.push_back(entry);
    }
  }

  void apply_override(const std::string& text, Scenario& sc) {
    auto eq = text.find('=');
    if (eq == std::string::npos) {
      error({}, text, "expected key=value", "--set");
      return;
    }
    const std::string key = text.substr(0, eq), value = text.substr(eq + 1);
    const ParamSpec* spec = find_param(key);
    if (!spec) {
      std::vector<std::string> all;
      for (const auto& s : registry()) all.push_back(s.dotted());
      std::string hint = nearest(key, all);
      error({}, key, "unknown parameter" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"), "--set");
      return;
    }
    YAML::Node node;
    try {
      node = YAML::Load(value);
    } catch (const YAML::Exception&) { node = YAML::Node(value); }
    if (node.IsNull()) node = YAML::Node(value);
    auto v = parse_value(*spec, node, {}, "--set");
    if (!v) return;
    if (spec->is_policy())
      policy_sets_.emplace_back(spec, *v);
    else {
      PolicyParams unused;
      spec->set(sc.params, unused, *v);
      set_at_[key] = {};
    }
  }

  void resolve_policies(Scenario& sc) {
    Params unused;
    for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j) {
      auto& jur = sc.jurisdictions[j];
      const PolicyNode& own = jurisdiction_policy_[j];
      jur.policy = own.apply(city_policy_.apply(PolicyParams{}));
      jur.preset = !own.preset.empty() ? own.preset : (!city_policy_.preset.empty() ? city_policy_.preset : "baseline");
      for (auto& [spec, value] : policy_sets_) spec->set(unused, jur.policy, value);
    }
    std::stable_sort(schedule_.begin(), schedule_.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
    std::vector<PolicyParams> current;
    for (const auto& jur : sc.jurisdictions) current.push_back(jur.policy);
    for (const auto& e : schedule_) {
      for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j) {
        if (e.jurisdiction >= 0 && static_cast<std::size_t>(e.jurisdiction) != j) continue;
        current[j] = e.policy.apply(current[j]);
        if (e.has_day) sc.schedule.push_back(PolicyChange{e.day, static_cast<int>(j), e.policy.label(), current[j]});
      }
    }
  }

  Where at(const std::string& key) const {
    auto f = set_at_.find(key);
    return f == set_at_.end() ? Where{} : f->second;
  }

  void check_share_sum(const Scenario& sc, const std::string& a, const std::string& b) {
    PolicyParams unused;
    double total = find_param(a)->get(sc.params, unused) + find_param(b)->get(sc.params, unused);
    if (total > 1.0 + 1e-12)
      error(at(set_at_.count(b) ? b : a), set_at_.count(b) ? b : a,
            a + " + " + b + " = " + std::to_string(total) + ", but shares cannot add up to more than 1");
  }

  void check_rules(const Scenario& sc) {
    check_share_sum(sc, "population.undocumented_household_share", "population.immigrant_household_share");
    check_share_sum(sc, "population.undocumented_member_undocumented_share",
                    "population.undocumented_member_lawful_share");
    check_share_sum(sc, "population.immigrant_member_lawful_share", "population.immigrant_member_naturalised_share");
    check_share_sum(sc, "population.violent_record_share", "population.nonviolent_record_share");
    check_share_sum(sc, "police.patrol_share", "police.investigation_share");
    const auto& pop = sc.params.population;
    const bool sizes_ok = oversize_.empty();  // otherwise the sizes in `sc` are defaults, not the file's
    if (static_cast<std::size_t>(pop.neighbourhoods) < sc.jurisdictions.size())
      error(at("population.neighbourhoods"), "population.neighbourhoods", "fewer neighbourhoods than jurisdictions");
    if (sizes_ok && pop.neighbourhoods * 10 > pop.residents)
      error(at("population.neighbourhoods"), "population.neighbourhoods",
            "needs at least 10 residents per neighbourhood (" + std::to_string(pop.residents) + " residents)");
    for (const auto& e : schedule_)
      if (sizes_ok && e.has_day && (e.day < 1 || e.day >= sc.days()))
        error(e.at, "schedule.day",
              "day " + std::to_string(e.day) + " is outside the run (days 1 to " + std::to_string(sc.days() - 1) + ")");
    check_memory(sc);
  }

  // Sizes beyond what memory can hold are refused here, with what they would need, rather
  // than attempted until the machine runs out of memory.
  void check_memory(const Scenario& sc) {
    const MemoryLimit limit = memory_limit();
    if (!oversize_.empty()) {
      // The run as asked, with every oversize value in place (in double: 1e300 is a valid number).
      double residents = static_cast<double>(sc.params.population.residents);
      double days = static_cast<double>(sc.params.simulation.days);
      double replicates = static_cast<double>(sc.params.simulation.replicates);
      for (const auto& o : oversize_) {
        if (o.spec->dotted() == "population.residents") residents = o.value;
        if (o.spec->dotted() == "simulation.days") days = o.value;
        if (o.spec->dotted() == "simulation.replicates") replicates = o.value;
      }
      const std::string need =
          human_bytes(estimated_bytes(residents, sc.params.population.weak_ties_per_resident, days, replicates));
      for (const auto& o : oversize_)
        error(o.at, o.spec->dotted(),
              o.range_message + ": " + human_count(o.value) + " " + size_noun(o.spec->dotted()) + " need about " +
                  need + " of memory" +
                  (o.spec->dotted() == "population.residents"
                       ? ""
                       : " (the daily series of every replicate are kept until the file is written)") +
                  "; " + limit.what,
              o.file);
      return;
    }
    const double bytes = estimated_bytes(sc.params);
    if (bytes <= limit.bytes) return;
    // Located at whichever size weighs most: the city, or the replicates' daily series.
    Params one_day = sc.params;
    one_day.simulation.days = 1;
    one_day.simulation.replicates = 1;
    const double city = estimated_bytes(one_day);
    const std::string key = city >= bytes - city                  ? "population.residents"
                            : sc.params.simulation.replicates > 1 ? "simulation.replicates"
                                                                  : "simulation.days";
    error(at(key), key,
          "this run would need about " + human_bytes(bytes) + " of memory (" +
              human_count(static_cast<double>(sc.params.population.residents)) + " residents: " + human_bytes(city) +
              "; daily series of " + human_count(static_cast<double>(sc.params.simulation.days)) + " days x " +
              human_count(static_cast<double>(sc.params.simulation.replicates)) +
              " replicates: " + human_bytes(bytes - city) + "); " + limit.what);
  }
};

}  // namespace

MemoryLimit memory_limit() {
  MemoryLimit m;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  m.bytes = pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 16e9;
  m.what = "this machine has " + human_bytes(m.bytes);
  // A job may get less than the machine: a cgroup (Slurm, containers; v2 then v1) or ulimit -v.
  auto consider = [&m](double bytes, const std::string& what) {
    if (bytes > 0 && bytes < m.bytes) m = {bytes, what + " " + human_bytes(bytes)};
  };
  auto read_number = [](const std::string& path) {
    std::ifstream in(path);
    double v = -1;
    if (in >> v) return v;
    return -1.0;  // missing, or "max"
  };
  std::ifstream cgroups("/proc/self/cgroup");
  for (std::string line; std::getline(cgroups, line);) {
    if (line.rfind("0::", 0) == 0) {
      consider(read_number("/sys/fs/cgroup" + line.substr(3) + "/memory.max"), "this job's cgroup allows");
    } else if (const auto p = line.find(":memory:"); p != std::string::npos) {
      consider(read_number("/sys/fs/cgroup/memory" + line.substr(p + 8) + "/memory.limit_in_bytes"),
               "this job's cgroup allows");
    }
  }
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    consider(static_cast<double>(as.rlim_cur), "ulimit -v allows");
  return m;
}

std::string memory_shortfall(const Scenario& sc, int parallel) {
  Params one = sc.params;
  one.simulation.days = 1;
  one.simulation.replicates = 1;
  const double city = estimated_bytes(one), all = estimated_bytes(sc.params);
  const double need = all + static_cast<double>(std::max(parallel, 1) - 1) * city;
  const MemoryLimit limit = memory_limit();
  if (need <= limit.bytes || parallel <= 1) return "";
  const int fit = std::max(1, static_cast<int>((limit.bytes - (all - city)) / city));
  return "this run would need about " + human_bytes(need) + " of memory: " + std::to_string(parallel) + " cities of " +
         human_count(static_cast<double>(sc.params.population.residents)) + " residents built side by side (" +
         human_bytes(city) + " each) and the daily series (" + human_bytes(all - city) + "); " + limit.what +
         ". Use --threads " + std::to_string(fit) + (fit > 1 ? " or fewer" : "") +
         ": the results are the same for any number of threads";
}

double estimated_bytes(const Params& p) {
  return estimated_bytes(static_cast<double>(p.population.residents), p.population.weak_ties_per_resident,
                         static_cast<double>(p.simulation.days), static_cast<double>(p.simulation.replicates));
}

double estimated_bytes(double residents, double weak_ties_per_resident, double days, double replicates) {
  // Measured layout: resident state, ties (about 10 entries of 8 bytes), households,
  // and the daily series, times the replicates kept in memory until written.
  const double per_resident = 64 + 16 * (1 + 2 * weak_ties_per_resident);
  const double series = days * 4000 * 8;
  return residents * per_resident + series * replicates;
}

Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<std::string>& overrides) {
  return Loader(label).load(text, overrides);
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path);
  if (!in) {
    Diagnostics d;
    d.add(Diagnostic{path, 0, 0, "", "cannot open the scenario file"});
    throw InvalidInput(d);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return load_scenario_text(ss.str(), path, overrides);
}

}  // namespace trustsim
