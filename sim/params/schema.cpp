#include "params/schema.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

namespace trustsim {
namespace {

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";  // an open range end
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "null";
}

// A value as JSON of the parameter's type: number, true/false, or the choice's name.
std::string json_value(const ParamSpec& p, double v) {
  switch (p.type) {
    case ParamType::Bool: return v != 0.0 ? "true" : "false";
    case ParamType::Choice: return json_string(p.format(v));
    default: return json_number(v);
  }
}
// The policy knobs where a preset differs from the registry's defaults.
std::vector<std::pair<const ParamSpec*, double>> preset_differences(const PolicyPreset& pr) {
  Params p0;
  PolicyParams defaults;
  std::vector<std::pair<const ParamSpec*, double>> out;
  for (const auto& s : registry())
    if (s.is_policy() && s.get(p0, pr.params) != s.get(p0, defaults)) out.emplace_back(&s, s.get(p0, pr.params));
  return out;
}

}  // namespace

SchemaSelection select_schema(const std::string& name) {
  SchemaSelection s;
  for (const auto& p : registry())
    if (name.empty() || p.dotted() == name || p.section == name) s.params.push_back(&p);
  for (const auto& pr : policy_presets())
    if (name.empty() || pr.name == name || (name == "policy")) s.presets.push_back(&pr);
  return s;
}

std::vector<std::string> schema_names() {
  std::vector<std::string> out = registry_sections();
  for (const auto& p : registry()) out.push_back(p.dotted());
  for (const auto& pr : policy_presets()) out.push_back(pr.name);
  return out;
}

std::string schema_text(const SchemaSelection& sel) {
  std::ostringstream os;
  for (const ParamSpec* s : sel.params)
    os << s->dotted() << "\n  type: " << s->type_name() << (s->unit.empty() ? "" : ", unit: " + s->unit)
       << "\n  default: " << s->format(s->default_value) << "\n  range: " << range_text(*s)
       << "\n  meaning: " << s->meaning << "\n  source: " << s->source << "\n";
  if (sel.presets.empty()) return os.str();
  if (sel.presets.size() > 1 || !sel.params.empty()) {
    os << "\npolicy presets:";
    for (const auto* pr : sel.presets) os << " " << pr->name;
    os << "\n";
    return os.str();
  }
  const auto& pr = *sel.presets.front();
  os << "policy preset " << pr.name << "\n  meaning: " << pr.meaning << "\n";
  const auto diff = preset_differences(pr);
  if (diff.empty()) os << "  (the policy defaults)\n";
  for (const auto& [spec, v] : diff) os << "  " << spec->dotted() << ": " << spec->format(v) << "\n";
  return os.str();
}

std::string schema_json(const SchemaSelection& sel) {
  std::ostringstream os;
  os << "{\n  \"format\": " << json_string(kSchemaFormat)
     << ",\n  \"format_version\": " << json_string(kSchemaFormatVersion) << ",\n  \"parameters\": [";
  for (std::size_t i = 0; i < sel.params.size(); ++i) {
    const ParamSpec& p = *sel.params[i];
    os << (i ? "," : "") << "\n    {\"name\": " << json_string(p.dotted())
       << ", \"section\": " << json_string(p.section) << ", \"key\": " << json_string(p.name)
       << ", \"type\": " << json_string(p.type_name()) << ", \"unit\": " << json_string(p.unit)
       << ", \"default\": " << json_value(p, p.default_value);
    if (p.type == ParamType::Choice) {
      os << ", \"choices\": [";
      for (std::size_t c = 0; c < p.choices.size(); ++c) os << (c ? ", " : "") << json_string(p.choices[c]);
      os << "]";
    } else if (p.type != ParamType::Bool) {
      os << ", \"min\": " << json_number(p.min) << ", \"max\": " << json_number(p.max);
    }
    os << ", \"per_jurisdiction\": " << (p.is_policy() ? "true" : "false")
       << ", \"meaning\": " << json_string(p.meaning) << ", \"source\": " << json_string(p.source) << "}";
  }
  os << (sel.params.empty() ? "" : "\n  ") << "],\n  \"presets\": [";
  for (std::size_t i = 0; i < sel.presets.size(); ++i) {
    const auto& pr = *sel.presets[i];
    os << (i ? "," : "") << "\n    {\"name\": " << json_string(pr.name) << ", \"meaning\": " << json_string(pr.meaning)
       << ", \"policy\": {";
    const auto diff = preset_differences(pr);
    for (std::size_t d = 0; d < diff.size(); ++d)
      os << (d ? ", " : "") << json_string(diff[d].first->name) << ": " << json_value(*diff[d].first, diff[d].second);
    os << "}}";
  }
  os << (sel.presets.empty() ? "" : "\n  ") << "]\n}\n";
  return os.str();
}

}  // namespace trustsim
