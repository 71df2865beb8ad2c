// docs/model.md (the ODD description of the model) against the parameter registry: every
// parameter is described there, and every parameter the page names exists, so the page
// cannot silently drift from sim/params/params.def.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "params/registry.hpp"

namespace {

std::string read_model_doc() {
  const auto path = std::filesystem::path(TRUSTSIM_SOURCE_DIR) / "docs" / "model.md";
  std::ifstream in(path);
  INFO("reading " << path.string());
  REQUIRE(in.good());
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

// `name` occurs as a whole dotted name (not as part of a longer one).
bool mentions(const std::string& text, const std::string& name) {
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
    const bool starts = at == 0 || !identifier_char(text[at - 1]);
    const auto end = at + name.size();
    // A sentence may end right after the name: "... `x.y`." is fine, "x.y_z" is not.
    const bool ends = end == text.size() || !identifier_char(text[end]) ||
                      (text[end] == '.' && (end + 1 == text.size() || !identifier_char(text[end + 1])));
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("docs/model.md names every parameter of the registry, and only those", "[model-doc]") {
  const std::string doc = read_model_doc();

  {
    std::vector<std::string> missing;
    for (const auto& p : trustsim::registry())
      if (!mentions(doc, p.dotted())) missing.push_back(p.dotted());
    std::string list;
    for (const auto& m : missing) list += "\n  " + m;
    INFO("parameters of sim/params/params.def not described in docs/model.md:" << list);
    CHECK(missing.empty());
  }

  // The other way: a `section.name` in backticks must be a registry parameter (catches
  // renamed or removed parameters and typos). `section.*` stands for a whole section.
  const auto sections = trustsim::registry_sections();
  const std::regex code_span("`([a-z_]+)\\.([a-z0-9_*]+)`");
  std::vector<std::string> unknown;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), code_span); it != std::sregex_iterator(); ++it) {
    const std::string section = (*it)[1], name = (*it)[2];
    if (std::find(sections.begin(), sections.end(), section) == sections.end() || name == "*") continue;
    const std::string dotted = section + "." + name;
    if (!trustsim::find_param(dotted) && std::find(unknown.begin(), unknown.end(), dotted) == unknown.end())
      unknown.push_back(dotted);
  }
  std::string bad;
  for (const auto& u : unknown) bad += "\n  " + u;
  INFO("names in docs/model.md that are not parameters of the registry:" << bad);
  CHECK(unknown.empty());
}
