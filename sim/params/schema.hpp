// The registry for people and for programs: `trustsim schema [NAME] [--json]`.
// NAME is a parameter (`policy.detainers`), a section (`policy`) or a policy preset
// (`sanctuary`); --json is the machine-readable form (like EMOD's --get-schema), stable
// under format "trustsim-schema".
#pragma once

#include <string>
#include <vector>

#include "params/registry.hpp"

namespace trustsim {

inline constexpr const char* kSchemaFormat = "trustsim-schema";
inline constexpr const char* kSchemaFormatVersion = "1.0";

struct SchemaSelection {
  std::vector<const ParamSpec*> params;
  std::vector<const PolicyPreset*> presets;
  bool empty() const { return params.empty() && presets.empty(); }
};

// Everything for "", else what NAME names; empty when it names nothing.
SchemaSelection select_schema(const std::string& name);
// The candidates a misspelt NAME is compared with (parameters, sections, presets).
std::vector<std::string> schema_names();

std::string schema_text(const SchemaSelection& s);
std::string schema_json(const SchemaSelection& s);
inline std::string schema_text() { return schema_text(select_schema("")); }

}  // namespace trustsim
