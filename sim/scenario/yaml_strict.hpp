// What yaml-cpp lets through and a scenario or sweep file must not hold: a NUL byte (it cut
// the string short), a second document after `---` (ignored), a key given twice in one
// mapping (one copy silently won: the last in a scenario, the first in a sweep). And numbers
// read alike everywhere: 4.9e-324 is a number, 1e400 is too large, not "not a number".
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace trustsim {

struct YamlProblem {
  int line = 0, column = 0;  // 1-based; 0 when unknown
  std::string key, message;
};

// A NUL byte in `text`, located; checked before parsing (yaml-cpp stops or misreads there).
std::optional<YamlProblem> nul_byte(const std::string& text);

// The problems of `text`, whose first document was parsed as `root`.
std::vector<YamlProblem> strict_yaml_problems(const std::string& text, const YAML::Node& root);

// A YAML number: `value` set and "" when `text` is one (underflow to a subnormal or zero is
// a number), else why not ("not a number", "too large: beyond 1.8e308").
std::string parse_number(const std::string& text, double& value);

}  // namespace trustsim
