#include "params/registry.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace trustsim {
namespace {

std::vector<std::string> split_choices(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '|') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

template <class T>
void assign(T& field, double v) {
  field = static_cast<T>(v);
}
inline void assign(bool& field, double v) { field = v != 0.0; }

std::vector<ParamSpec> build_registry() {
  std::vector<ParamSpec> r;
#define TRUSTSIM_ENTRY(SECTION, name, ptype, unit, def, lo, hi, choices, meaning, source)                         \
  r.push_back(ParamSpec{#SECTION, #name, ParamType::ptype, unit, static_cast<double>(def), lo, hi,                \
                        split_choices(choices), meaning, source,                                                  \
                        [](const Params& p, const PolicyParams&) { return static_cast<double>(p.SECTION.name); }, \
                        [](Params& p, PolicyParams&, double v) { assign(p.SECTION.name, v); }});
#define X_SIMULATION(...) TRUSTSIM_ENTRY(simulation, __VA_ARGS__)
#define X_POPULATION(...) TRUSTSIM_ENTRY(population, __VA_ARGS__)
#define X_CRIME(...) TRUSTSIM_ENTRY(crime, __VA_ARGS__)
#define X_REPORTING(...) TRUSTSIM_ENTRY(reporting, __VA_ARGS__)
#define X_POLICE(...) TRUSTSIM_ENTRY(police, __VA_ARGS__)
#define X_ICE(...) TRUSTSIM_ENTRY(ice, __VA_ARGS__)
#define X_COURT(...) TRUSTSIM_ENTRY(court, __VA_ARGS__)
#define X_LEARNING(...) TRUSTSIM_ENTRY(learning, __VA_ARGS__)
#define X_OUTPUT(...) TRUSTSIM_ENTRY(output, __VA_ARGS__)
  TRUSTSIM_SIMULATION_PARAMS(X_SIMULATION)
  TRUSTSIM_POPULATION_PARAMS(X_POPULATION)
  TRUSTSIM_CRIME_PARAMS(X_CRIME)
  TRUSTSIM_REPORTING_PARAMS(X_REPORTING)
  TRUSTSIM_POLICE_PARAMS(X_POLICE)
  TRUSTSIM_ICE_PARAMS(X_ICE)
  TRUSTSIM_COURT_PARAMS(X_COURT)
  TRUSTSIM_LEARNING_PARAMS(X_LEARNING)
  TRUSTSIM_OUTPUT_PARAMS(X_OUTPUT)
#define X_POLICY(name, ptype, unit, def, lo, hi, choices, meaning, source)                                \
  r.push_back(ParamSpec{"policy", #name, ParamType::ptype, unit, static_cast<double>(def), lo, hi,        \
                        split_choices(choices), meaning, source,                                          \
                        [](const Params&, const PolicyParams& q) { return static_cast<double>(q.name); }, \
                        [](Params&, PolicyParams& q, double v) { assign(q.name, v); }});
  TRUSTSIM_POLICY_PARAMS(X_POLICY)
  return r;
}

PolicyParams preset(std::initializer_list<std::pair<const char*, double>> overrides) {
  PolicyParams q;
  Params unused;
  for (auto& [name, value] : overrides) find_param(std::string("policy.") + name)->set(unused, q, value);
  return q;
}

}  // namespace

const std::vector<ParamSpec>& registry() {
  static const std::vector<ParamSpec> r = build_registry();
  return r;
}

const ParamSpec* find_param(std::string_view dotted) {
  for (const auto& p : registry())
    if (p.dotted() == dotted) return &p;
  return nullptr;
}

std::vector<std::string> registry_sections() {
  std::vector<std::string> out;
  for (const auto& p : registry())
    if (std::find(out.begin(), out.end(), p.section) == out.end()) out.push_back(p.section);
  return out;
}

std::string ParamSpec::type_name() const {
  switch (type) {
    case ParamType::Int: return "int";
    case ParamType::Real: return "real";
    case ParamType::Bool: return "bool";
    case ParamType::Choice: return "choice";
  }
  return "?";
}

std::string ParamSpec::format(double value) const {
  switch (type) {
    case ParamType::Int: {
      std::ostringstream os;
      os << static_cast<long long>(value);
      return os.str();
    }
    case ParamType::Bool: return value != 0.0 ? "true" : "false";
    case ParamType::Choice: return choices.at(static_cast<std::size_t>(value));
    case ParamType::Real: {
      // The shortest text that reads back to the same double: "30", "0.0545", "6.4e-05".
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
      return ec == std::errc() ? std::string(buf, end) : std::to_string(value);
    }
  }
  return "";
}

const std::vector<PolicyPreset>& policy_presets() {
  // Each preset lists only what differs from the registry's policy defaults (which are
  // the baseline: fingerprints shared, all detainers honoured, no patrol checks).
  static const std::vector<PolicyPreset> presets = {
      {"baseline", "Fingerprints shared at booking and all detainers honoured; no status checks on patrol", preset({})},
      {"sanctuary", "Sanctuary, refusing every detainer (as Cook County's ordinance 11-O-73 of 2011); no status checks",
       preset({{"detainers", 2}})},
      {"sanctuary_serious_only",
       "Sanctuary that honours detainers only for people with a serious or violent conviction (as California's SB 54 "
       "of "
       "2017)",
       preset({{"detainers", 1}})},
      {"sanctuary_judicial_warrant",
       "Sanctuary that honours a detainer only with a judge's warrant (as Philadelphia's Executive Order 5-16 of 2016)",
       preset({{"detainers", 3}})},
      {"sanctuary_notice_only", "Tells ICE when a person it asked about is released, but holds no one past release",
       preset({{"detainers", 4}})},
      {"sanctuary_no_jail_access",
       "Honours detainers on paper but keeps ICE agents out of the jail: custody only at release",
       preset({{"ice_jail_access", 0}})},
      {"287g_jail", "287(g) jail model: every booked person's status screened, all detainers honoured",
       preset({{"jail_screening", 1}})},
      {"287g_task_force",
       "287(g) task-force model: jail screening plus designated patrol officers who check status at stops, "
       "with profiling",
       preset({{"jail_screening", 1}, {"designated_officer_share", 0.15}, {"profiling_multiplier", 1.5}})},
      {"task_force_cooperation",
       "Task-force model plus regular visible joint operations with federal agents (one a month per 200,000 residents)",
       preset({{"jail_screening", 1},
               {"designated_officer_share", 0.15},
               {"profiling_multiplier", 1.5},
               {"joint_operations_per_100k_month", 0.5}})},
  };
  return presets;
}

const PolicyPreset* find_preset(std::string_view name) {
  for (const auto& p : policy_presets())
    if (p.name == name) return &p;
  return nullptr;
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      std::swap(prev, cur);
    }
    return prev[b.size()];
  };
  std::string best;
  std::size_t best_d = std::max<std::size_t>(3, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string range_text(const ParamSpec& p) {
  if (p.type == ParamType::Choice) {
    std::string s;
    for (const auto& c : p.choices) s += (s.empty() ? "" : " | ") + c;
    return s;
  }
  if (p.type == ParamType::Bool) return "true | false";
  return "[" + p.format(p.min) + ", " + p.format(p.max) + "]";
}

std::string parameters_markdown() {
  std::ostringstream os;
  os << "# Parameters\n\n"
        "Generated by `trustsim schema --markdown` from the registry (`sim/params/params.def`); "
        "do not edit by hand. A scenario file sets any of these by section and name; `policy.*` "
        "knobs are set per jurisdiction through presets, overrides and the schedule.\n\n"
        "## Policy presets\n\n| preset | meaning | differs from the defaults in |\n|---|---|---|\n";
  Params p0;
  PolicyParams defaults;
  for (const auto& pr : policy_presets()) {
    std::string diff;
    for (const auto& s : registry())
      if (s.is_policy() && s.get(p0, pr.params) != s.get(p0, defaults))
        diff += (diff.empty() ? "" : ", ") + s.name + " = " + s.format(s.get(p0, pr.params));
    os << "| `" << pr.name << "` | " << pr.meaning << " | " << (diff.empty() ? "(none)" : diff) << " |\n";
  }
  for (const auto& section : registry_sections()) {
    os << "\n## " << section << "\n\n| name | type | unit | default | range | meaning | source |\n"
       << "|---|---|---|---|---|---|---|\n";
    for (const auto& s : registry())
      if (s.section == section)
        os << "| `" << s.dotted() << "` | " << s.type_name() << " | " << s.unit << " | " << s.format(s.default_value)
           << " | " << range_text(s) << " | " << s.meaning << " | " << s.source << " |\n";
  }
  return os.str();
}

}  // namespace trustsim
