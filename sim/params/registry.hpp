// The parameter registry: one entry per parameter, read from params.def.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "params/params.hpp"

namespace trustsim {

struct ParamSpec {
  std::string section;  // "population", ..., or "policy" for per-jurisdiction knobs
  std::string name;     // key within the section
  ParamType type;
  std::string unit;
  double default_value;
  double min, max;
  std::vector<std::string> choices;  // for Choice
  std::string meaning;
  std::string source;
  double (*get)(const Params&, const PolicyParams&);
  void (*set)(Params&, PolicyParams&, double);

  std::string dotted() const { return section + "." + name; }
  bool is_policy() const { return section == "policy"; }
  std::string type_name() const;
  std::string format(double value) const;  // value as it would be written in YAML
};

const std::vector<ParamSpec>& registry();
const ParamSpec* find_param(std::string_view dotted);
std::vector<std::string> registry_sections();  // in declaration order, "policy" last

// Named policy presets: overrides on top of the policy defaults in the registry.
struct PolicyPreset {
  std::string name;
  std::string meaning;
  PolicyParams params;
};
const std::vector<PolicyPreset>& policy_presets();
const PolicyPreset* find_preset(std::string_view name);

// Closest candidate by edit distance, for "did you mean" (empty when nothing is close).
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// The allowed values as written in docs/parameters.md: "[lo, hi]" or "a | b | c".
std::string range_text(const ParamSpec& p);

// Markdown table of every parameter (docs/parameters.md); the plain-text and JSON schema
// are in params/schema.hpp.
std::string parameters_markdown();

}  // namespace trustsim
