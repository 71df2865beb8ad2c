#include "scenario/scenario.hpp"

#include <yaml-cpp/yaml.h>

#include "params/registry.hpp"

namespace trustsim {
namespace {

void emit_value(YAML::Emitter& out, const ParamSpec& spec, double value) {
  out << YAML::Key << spec.name << YAML::Value << spec.format(value);
}

void emit_policy(YAML::Emitter& out, const PolicyParams& policy) {
  Params unused;
  out << YAML::BeginMap;
  for (const auto& spec : registry())
    if (spec.is_policy()) emit_value(out, spec, spec.get(unused, policy));
  out << YAML::EndMap;
}

}  // namespace

std::string Scenario::resolved_yaml() const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << name;
  out << YAML::Key << "description" << YAML::Value << description;
  PolicyParams unused;
  for (const auto& section : registry_sections()) {
    if (section == "policy") continue;
    out << YAML::Key << section << YAML::Value << YAML::BeginMap;
    for (const auto& spec : registry())
      if (spec.section == section) emit_value(out, spec, spec.get(params, unused));
    out << YAML::EndMap;
  }
  out << YAML::Key << "jurisdictions" << YAML::Value << YAML::BeginSeq;
  for (const auto& j : jurisdictions) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << j.name;
    out << YAML::Key << "neighbourhood_share" << YAML::Value << j.neighbourhood_share;
    out << YAML::Key << "policy" << YAML::Value;
    emit_policy(out, j.policy);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "schedule" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : schedule) {
    out << YAML::BeginMap << YAML::Key << "day" << YAML::Value << c.day;
    out << YAML::Key << "jurisdiction" << YAML::Value << jurisdictions[static_cast<std::size_t>(c.jurisdiction)].name;
    out << YAML::Key << "policy" << YAML::Value;
    emit_policy(out, c.policy);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace trustsim
