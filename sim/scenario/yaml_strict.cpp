#include "scenario/yaml_strict.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

namespace trustsim {
namespace {

void duplicates(const YAML::Node& node, const std::string& path, std::vector<YamlProblem>& out) {
  if (node.IsSequence()) {
    for (const auto& item : node) duplicates(item, path, out);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, int> first_line;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    const auto mark = it->first.Mark();
    const std::string dotted = path.empty() ? key : path + "." + key;
    if (!key.empty()) {
      const auto [at, inserted] = first_line.emplace(key, mark.line + 1);
      if (!inserted)
        out.push_back({mark.line + 1, mark.column + 1, dotted,
                       "given twice in one mapping (first at line " + std::to_string(at->second) + "): keep one"});
    }
    duplicates(it->second, dotted, out);
  }
}

}  // namespace

std::optional<YamlProblem> nul_byte(const std::string& text) {
  const auto nul = text.find('\0');
  if (nul == std::string::npos) return std::nullopt;
  int line = 1, column = 1;
  for (std::size_t i = 0; i < nul; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return YamlProblem{line, column, "", "a NUL byte (\\0) in the file: is it a text file?"};
}

namespace {
// Counts the documents of a YAML text from the parser's events alone: building nodes for
// every document (YAML::LoadAll) made a hostile input time out in the fuzzers.
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark second;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};
}  // namespace

std::vector<YamlProblem> strict_yaml_problems(const std::string& text, const YAML::Node& root) {
  std::vector<YamlProblem> out;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentCounter counter;
    while (counter.documents < 2 && parser.HandleNextDocument(counter)) {}
    if (counter.documents > 1)
      out.push_back({counter.second.line + 1, counter.second.column + 1, "",
                     "a second YAML document (after '---'): a file holds one; remove it or put it in its own file"});
  } catch (const YAML::Exception&) {}  // the first document's errors are reported by the loader
  duplicates(root, "", out);
  return out;
}

std::string parse_number(const std::string& text, double& value) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return "not a number";
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return "not a number";
  if (std::isnan(v) || (std::isinf(v) && errno != ERANGE)) return "not a finite number";
  if (errno == ERANGE && std::isinf(v)) return "too large (beyond 1.8e308)";
  value = v;  // a subnormal or an underflow to 0: still the number written
  return "";
}

}  // namespace trustsim
