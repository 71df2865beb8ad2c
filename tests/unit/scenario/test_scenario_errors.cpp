// Scenario loading: every class of bad input is reported as InvalidInput with located
// "file:line:col: key: message" diagnostics; valid files get defaults and presets resolved.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "params/registry.hpp"
#include "params/schema.hpp"
#include "scenario/loader.hpp"

using namespace trustsim;

namespace {

// The diagnostics a text must produce; fails the test if it loads.
Diagnostics invalid(const std::string& text, const std::vector<std::string>& sets = {},
                    const std::string& label = "label.yaml") {
  try {
    load_scenario_text(text, label, sets);
  } catch (const InvalidInput& e) { return e.diagnostics; }
  FAIL("expected InvalidInput for:\n" << text);
  return {};
}

// The one diagnostic a text must produce.
Diagnostic only(const std::string& text, const std::vector<std::string>& sets = {}) {
  const auto d = invalid(text, sets);
  INFO(d.text());
  REQUIRE(d.items().size() == 1);
  return d.items().front();
}

std::string pos(const Diagnostic& d) { return std::to_string(d.line) + ":" + std::to_string(d.column); }

// The documented line format, built independently of Diagnostic::text().
std::string line_of(const Diagnostic& d) {
  std::string s = d.file;
  if (d.line > 0) s += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  s += ": ";
  if (!d.key.empty()) s += d.key + ": ";
  return s + d.message;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

double value(const Scenario& sc, const ParamSpec& spec) {
  PolicyParams unused;
  return spec.get(sc.params, unused);
}

double knob(const PolicyParams& q, const std::string& name) {
  Params unused;
  return find_param("policy." + name)->get(unused, q);
}

void require_same_policy(const PolicyParams& a, const PolicyParams& b) {
  Params unused;
  for (const auto& spec : registry())
    if (spec.is_policy()) {
      INFO(spec.dotted());
      CHECK(spec.get(unused, a) == spec.get(unused, b));
    }
}

// Everything resolved_yaml() writes out must come back unchanged.
void require_same_resolved(const Scenario& a, const Scenario& b) {
  CHECK(a.name == b.name);
  CHECK(a.description == b.description);
  for (const auto& spec : registry())
    if (!spec.is_policy()) {
      INFO(spec.dotted());
      CHECK(value(a, spec) == value(b, spec));
    }
  REQUIRE(a.jurisdictions.size() == b.jurisdictions.size());
  for (std::size_t j = 0; j < a.jurisdictions.size(); ++j) {
    INFO("jurisdiction " << a.jurisdictions[j].name);
    CHECK(a.jurisdictions[j].name == b.jurisdictions[j].name);
    CHECK(a.jurisdictions[j].neighbourhood_share == b.jurisdictions[j].neighbourhood_share);
    require_same_policy(a.jurisdictions[j].policy, b.jurisdictions[j].policy);
  }
  REQUIRE(a.schedule.size() == b.schedule.size());
  for (std::size_t i = 0; i < a.schedule.size(); ++i) {
    INFO("schedule entry " << i);
    CHECK(a.schedule[i].day == b.schedule[i].day);
    CHECK(a.schedule[i].jurisdiction == b.schedule[i].jurisdiction);
    require_same_policy(a.schedule[i].policy, b.schedule[i].policy);
  }
}

std::vector<std::filesystem::path> shipped_scenarios() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(TRUSTSIM_SOURCE_DIR) / "scenarios"))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("unknown keys are located, at the top level, in a section and in a policy", "[scenario][errors]") {
  const auto d = invalid(
      "name: x\n"              // 1
      "simulaton:\n"           // 2
      "  days: 10\n"           // 3
      "population:\n"          // 4
      "  residentz: 5000\n"    // 5
      "policy:\n"              // 6
      "  preset: sanctuary\n"  // 7
      "  detainer: none\n"     // 8
      "zzzzzzzzzzzz: 1\n");    // 9
  INFO(d.text());
  REQUIRE(d.items().size() == 4);
  const auto& top = d.items()[0];
  CHECK(top.file == "label.yaml");
  CHECK(pos(top) == "2:1");
  CHECK(top.key == "simulaton");
  CHECK(top.message == "unknown key (did you mean 'simulation'?)");

  const auto& section = d.items()[1];
  CHECK(pos(section) == "5:3");
  CHECK(section.key == "population.residentz");
  CHECK(section.message == "unknown key (did you mean 'population.residents'?)");

  const auto& knob_error = d.items()[2];
  CHECK(pos(knob_error) == "8:3");
  CHECK(knob_error.key == "policy.detainer");
  CHECK(contains(knob_error.message, "unknown key"));

  const auto& far = d.items()[3];
  CHECK(pos(far) == "9:1");
  CHECK(far.message == "unknown key");  // nothing close: no hint

  // what(): one "file:line:col: key: message" line per diagnostic.
  std::string expected;
  for (const auto& item : d.items()) expected += line_of(item) + "\n";
  CHECK(InvalidInput(d).what() == expected);
  CHECK(contains(expected, "label.yaml:2:1: simulaton: unknown key (did you mean 'simulation'?)\n"));
}

// Regression: Loader::unknown once looked the hint up with the prefixed key ("policy.detainer")
// among bare candidates ("detainers"), so nested unknown keys never got a suggestion (fixed in 537cdf1).
TEST_CASE("unknown policy knobs, jurisdiction fields and schedule fields get a did-you-mean hint",
          "[scenario][errors]") {
  SECTION("policy knob") {
    const auto d = only("policy:\n  detainer: none\n");
    CHECK(d.key == "policy.detainer");
    CHECK(d.message == "unknown key (did you mean 'detainers'?)");
  }
  SECTION("policy knob in a jurisdiction") {
    const auto d = only("jurisdictions:\n  - name: city\n    policy: {preset: sanctuary, outreach_per_1000_days: 1}\n");
    CHECK(d.key == "jurisdictions.policy.outreach_per_1000_days");
    CHECK(d.message == "unknown key (did you mean 'outreach_per_1000_day'?)");
  }
  SECTION("jurisdiction field") {
    const auto d = invalid("jurisdictions:\n  - name: city\n    neighbourhood_shares: 1\n");
    REQUIRE_FALSE(d.empty());
    CHECK(d.items()[0].key == "jurisdictions.neighbourhood_shares");
    CHECK(d.items()[0].message == "unknown key (did you mean 'neighbourhood_share'?)");
  }
  SECTION("schedule field") {
    const auto d = invalid("schedule:\n  - day: 10\n    polcy: sanctuary\n");
    REQUIRE_FALSE(d.empty());
    CHECK(d.items()[0].key == "schedule.polcy");
    CHECK(d.items()[0].message == "unknown key (did you mean 'policy'?)");
  }
}

// Regression: an empty key ('': 3) inside a jurisdiction or a schedule entry was once silently
// ignored, taken for a non-scalar key already reported (fixed in 36629d3).
TEST_CASE("an empty key inside a jurisdiction or a schedule entry is reported", "[scenario][errors]") {
  SECTION("at the top level, for comparison") {
    const auto d = only("'': 3\n");
    CHECK(pos(d) == "1:1");
    CHECK(d.message.rfind("unknown key", 0) == 0);
  }
  SECTION("in a jurisdiction") {
    const auto d = only("jurisdictions:\n  - name: a\n    '': 3\n");
    CHECK(pos(d) == "3:5");
    CHECK(d.key == "jurisdictions.");
  }
  SECTION("in a schedule entry") {
    const auto d = only("schedule:\n  - day: 10\n    '': 3\n    policy: sanctuary\n");
    CHECK(pos(d) == "3:5");
    CHECK(d.key == "schedule.");
  }
}

TEST_CASE("values of the wrong type are reported at the value", "[scenario][errors]") {
  SECTION("a word for an integer") {
    const auto d = only("population:\n  residents: lots\n");
    CHECK(pos(d) == "2:14");
    CHECK(d.key == "population.residents");
    CHECK(d.message == "expected an integer, got 'lots'");
  }
  SECTION("a fraction for an integer") {
    const auto d = only("simulation:\n  days: 2.5\n");
    CHECK(d.key == "simulation.days");
    CHECK(d.message == "expected an integer, got '2.5'");
  }
  SECTION("a word for a number") {
    const auto d = only("population:\n  homophily: high\n");
    CHECK(pos(d) == "2:14");
    CHECK(d.message == "expected a number, got 'high'");
  }
  SECTION("a word for a bool") {
    const auto d = only("output:\n  detentions_table: maybe\n");
    CHECK(pos(d) == "2:21");
    CHECK(d.message == "expected true or false, got 'maybe'");
  }
  SECTION("an unknown choice lists the choices") {
    const auto d = only("policy:\n  detainers: nonne\n");
    CHECK(pos(d) == "2:14");
    CHECK(d.key == "policy.detainers");
    CHECK(d.message ==
          "'nonne' is not one of: all, violent_only, none, judicial_warrant, notice_only (did you mean 'none'?)");
  }
  SECTION("a mapping where a scalar is expected") {
    const auto d = only("population:\n  neighbourhoods: {a: 1}\n");
    CHECK(pos(d) == "2:19");
    CHECK(d.key == "population.neighbourhoods");
    CHECK(d.message == "expected a single int value");
  }
  SECTION("a list where a number is expected") {
    const auto d = only("police:\n  officers_per_1000: [1, 2]\n");
    CHECK(d.key == "police.officers_per_1000");
    CHECK(d.message == "expected a single real value");
  }
  SECTION("a mapping for the name") {
    const auto d = only("name: {a: 1}\n");
    CHECK(d.key == "name");
    CHECK(d.message == "must be a string");
  }
  SECTION("a scalar for a section") {
    const auto d = only("population: 3\n");
    CHECK(pos(d) == "1:13");
    CHECK(d.key == "population");
    CHECK(d.message == "must be a mapping of parameters");
  }
  SECTION("a list for a policy") {
    const auto d = only("policy: [sanctuary]\n");
    CHECK(d.key == "policy");
    CHECK(contains(d.message, "must be a preset name or a mapping"));
  }
  SECTION("a list for the whole scenario") {
    const auto d = only("- a\n- b\n");
    CHECK(contains(d.message, "a scenario must be a mapping"));
  }
}

// Regression: a mapping or list where a name or key is expected once made yaml-cpp throw
// YAML::TypedBadConversion out of the loader (the CLI exited 1 with "error: yaml-cpp: ... bad
// conversion", no file name, other errors lost) (fixed in 537cdf1).
TEST_CASE("a mapping where a name is expected is invalid input, not a YAML exception", "[scenario][errors]") {
  CHECK_THROWS_AS(load_scenario_text("jurisdictions:\n  - name: {a: 1}\n    neighbourhood_share: 1\n", "l.yaml"),
                  InvalidInput);
  CHECK_THROWS_AS(load_scenario_text("policy:\n  preset: {a: 1}\n", "l.yaml"), InvalidInput);
  CHECK_THROWS_AS(
      load_scenario_text("schedule:\n  - day: 10\n    jurisdiction: [city]\n    policy: sanctuary\n", "l.yaml"),
      InvalidInput);
  CHECK_THROWS_AS(load_scenario_text("? [a, b]\n: 1\n", "l.yaml"), InvalidInput);
}

TEST_CASE("out-of-range values are reported with the allowed range", "[scenario][errors]") {
  SECTION("a share above 1") {
    const auto d = only("population:\n  homophily: 1.5\n");
    CHECK(pos(d) == "2:14");
    CHECK(d.key == "population.homophily");
    CHECK(d.message == "value 1.5 is out of range [0, 1]");
  }
  SECTION("zero days") {
    const auto d = only("simulation:\n  days: 0\n");
    CHECK(d.message == "value 0 is out of range [1, 36500]");
  }
  SECTION("a negative number") {
    const auto d = only("court:\n  max_hold_days: -1\n");
    CHECK(d.message == "value -1 is out of range [0, 36500]");
  }
  SECTION("too few residents") {
    const auto d = only("population:\n  residents: 50\n");
    CHECK(d.message == "value 50 is out of range [100, 50000000]");
  }
  SECTION("too many residents says how much memory it would take") {
    const auto d = only("population:\n  residents: 100000000\n");
    CHECK(contains(d.message, "out of range [100, 50000000]"));
    CHECK(contains(d.message, "GB of memory"));
  }
  SECTION("a jurisdiction's share outside (0, 1]") {
    const auto d = invalid("jurisdictions:\n  - name: a\n    neighbourhood_share: 1.5\n");
    REQUIRE_FALSE(d.empty());
    CHECK(pos(d.items()[0]) == "3:26");
    CHECK(d.items()[0].key == "jurisdictions.neighbourhood_share");
    CHECK(d.items()[0].message == "must be a number in (0, 1]");
  }
}

// Regression: ParamSpec::format once wrote round numbers in exponent form (50 -> "5e+01",
// 30 -> "3e+01") in range messages, the schema, docs/parameters.md and resolved_yaml; YAML 1.1
// readers such as PyYAML load "3e+01" as a string (fixed in 537cdf1).
TEST_CASE("round numbers are written plainly in ranges, defaults and resolved scenarios", "[scenario][errors]") {
  CHECK(only("police:\n  officers_per_1000: -1\n").message == "value -1 is out of range [0, 50]");
  CHECK(find_param("crime.feedback_half_life_days")->format(30) == "30");
  CHECK(find_param("police.hours_per_status_check")->format(100) == "100");
  const auto sc = load_scenario_text("name: x\n", "x.yaml");
  CHECK(contains(sc.resolved_yaml(), "  feedback_half_life_days: 30\n"));
  CHECK(contains(schema_text(), "crime.feedback_half_life_days\n  type: real, unit: day\n  default: 30\n"));
}

TEST_CASE("cross-field rules: shares that cannot add up", "[scenario][errors]") {
  SECTION("household shares above 1, located at the second share") {
    const auto d = only(
        "population:\n"
        "  undocumented_household_share: 0.6\n"
        "  immigrant_household_share: 0.5\n");
    CHECK(pos(d) == "3:30");
    CHECK(d.key == "population.immigrant_household_share");
    CHECK(contains(d.message, "population.undocumented_household_share + population.immigrant_household_share = 1.1"));
    CHECK(contains(d.message, "cannot add up to more than 1"));
  }
  SECTION("one share set, the other left at its default, located at the one set") {
    const auto d = only("population:\n  undocumented_household_share: 0.9\n");
    CHECK(pos(d) == "2:33");
    CHECK(d.key == "population.undocumented_household_share");
  }
  SECTION("police time shares") {
    const auto d = only("police:\n  patrol_share: 0.8\n");
    CHECK(contains(d.message, "police.patrol_share + police.investigation_share"));
  }
  SECTION("shares summing to exactly 1 are fine") {
    CHECK_NOTHROW(load_scenario_text(
        "population:\n  undocumented_household_share: 0.5\n  immigrant_household_share: 0.5\n", "ok.yaml"));
  }
  SECTION("jurisdiction shares that do not add up to 1") {
    const auto d = only(
        "jurisdictions:\n"
        "  - name: west\n"
        "    neighbourhood_share: 0.5\n"
        "  - name: east\n"
        "    neighbourhood_share: 0.4\n");
    CHECK(pos(d) == "2:3");
    CHECK(d.key == "jurisdictions.neighbourhood_share");
    CHECK(contains(d.message, "shares must add up to 1 (they add up to 0.9"));
  }
  SECTION("duplicate jurisdiction names") {
    const auto d = only(
        "jurisdictions:\n"
        "  - name: a\n"
        "    neighbourhood_share: 0.5\n"
        "  - name: a\n"
        "    neighbourhood_share: 0.5\n");
    CHECK(pos(d) == "4:5");
    CHECK(d.message == "duplicate jurisdiction 'a'");
  }
}

TEST_CASE("a schedule day outside the run is rejected", "[scenario][errors]") {
  const std::string text =
      "policy: sanctuary\n"
      "schedule:\n"
      "  - day: 800\n"
      "    policy: 287g_task_force\n";
  SECTION("past the default horizon of 730 days") {
    const auto d = only(text);
    CHECK(pos(d) == "3:10");
    CHECK(d.key == "schedule.day");
    CHECK(d.message == "day 800 is outside the run (days 1 to 729)");
  }
  SECTION("past a horizon shortened by --set") {
    const auto d = only("schedule:\n  - day: 365\n    policy: sanctuary\n", {"simulation.days=30"});
    CHECK(d.message == "day 365 is outside the run (days 1 to 29)");
  }
  SECTION("the last day of the run is the last day a change can start") {
    CHECK_NOTHROW(load_scenario_text(text, "ok.yaml", {"simulation.days=801"}));
    CHECK(only(text, {"simulation.days=800"}).message == "day 800 is outside the run (days 1 to 799)");
  }
  SECTION("day 0 (the starting policy is set outside the schedule)") {
    const auto d = only("schedule:\n  - day: 0\n    policy: sanctuary\n");
    CHECK(d.message == "day 0 is outside the run (days 1 to 729)");
  }
  SECTION("not a number") {
    const auto d = only("schedule:\n  - day: soon\n    policy: sanctuary\n");
    CHECK(pos(d) == "2:10");
    CHECK(d.message == "expected an integer day");
  }
  SECTION("missing day and policy") {
    const auto d = invalid("schedule:\n  - jurisdiction: city\n");
    REQUIRE(d.items().size() == 2);
    CHECK(d.items()[0].key == "schedule.policy");
    CHECK(d.items()[1].key == "schedule.day");
  }
}

// Regression: check_rules once used day -1 as "missing", so negative days passed validation; the
// engine applies the next change only when its day == today, so a negative first entry blocked
// every later change and the whole schedule was silently ignored (fixed in 537cdf1).
TEST_CASE("a negative schedule day is rejected", "[scenario][errors]") {
  const auto d = invalid(
      "policy: sanctuary\n"
      "schedule:\n"
      "  - day: -5\n"
      "    policy: baseline\n"
      "  - day: 5\n"
      "    policy: 287g_task_force\n");
  REQUIRE(d.items().size() == 1);
  CHECK(pos(d.items()[0]) == "3:10");
  CHECK(d.items()[0].key == "schedule.day");
}

TEST_CASE("an unknown jurisdiction in the schedule is reported with a hint", "[scenario][errors]") {
  const auto d = only(
      "jurisdictions:\n"
      "  - name: west\n"
      "    neighbourhood_share: 0.5\n"
      "  - name: east\n"
      "    neighbourhood_share: 0.5\n"
      "schedule:\n"
      "  - day: 100\n"
      "    jurisdiction: wset\n"
      "    policy: sanctuary\n");
  CHECK(pos(d) == "8:19");
  CHECK(d.key == "schedule.jurisdiction");
  CHECK(d.message == "no jurisdiction named 'wset' (did you mean 'west'?)");
}

TEST_CASE("an unknown preset is reported with the list of presets", "[scenario][errors]") {
  const std::string all =
      "presets: baseline, sanctuary, sanctuary_serious_only, sanctuary_judicial_warrant, sanctuary_notice_only, "
      "sanctuary_no_jail_access, 287g_jail, 287g_task_force, task_force_cooperation";
  SECTION("the city policy") {
    const auto d = only("policy: sanctuari\n");
    CHECK(pos(d) == "1:9");
    CHECK(d.key == "policy");
    CHECK(d.message == "unknown policy preset 'sanctuari' (did you mean 'sanctuary'?); " + all);
  }
  SECTION("a jurisdiction's policy, as a mapping") {
    const auto d = only("jurisdictions:\n  - name: a\n    policy:\n      preset: 287g_jial\n");
    CHECK(pos(d) == "4:15");
    CHECK(d.key == "jurisdictions.policy");
    CHECK(contains(d.message, "(did you mean '287g_jail'?)"));
  }
  SECTION("a schedule entry, nothing close") {
    const auto d = only("schedule:\n  - day: 10\n    policy: open_borders_for_all\n");
    CHECK(d.key == "schedule.policy");
    CHECK(d.message == "unknown policy preset 'open_borders_for_all'; " + all);
  }
}

TEST_CASE("malformed YAML is reported at the parser's line and column", "[scenario][errors]") {
  SECTION("an unclosed flow sequence") {
    const auto d = only("name: [x\npopulation:\n  residents: 3\n");
    CHECK(d.file == "label.yaml");
    CHECK(pos(d) == "2:11");
    CHECK(d.key.empty());
    CHECK(d.message == "malformed YAML: end of sequence flow not found");
    CHECK(line_of(d) == "label.yaml:2:11: malformed YAML: end of sequence flow not found");
  }
  SECTION("bad indentation") {
    const auto d = only("population:\n  residents: 5000\n   neighbourhoods: 10\n");
    CHECK(pos(d) == "3:18");
    CHECK(d.message == "malformed YAML: illegal map value");
  }
}

TEST_CASE("a missing file is reported with its path", "[scenario][errors]") {
  const std::string path = (std::filesystem::temp_directory_path() / "trustsim-no-such-dir" / "missing.yaml").string();
  try {
    load_scenario(path);
    FAIL("a missing file loaded");
  } catch (const InvalidInput& e) {
    REQUIRE(e.diagnostics.items().size() == 1);
    const auto& d = e.diagnostics.items()[0];
    CHECK(d.file == path);
    CHECK(d.line == 0);
    CHECK(d.message == "cannot open the scenario file");
    CHECK(std::string(e.what()) == path + ": cannot open the scenario file\n");
  }
}

TEST_CASE("bad --set overrides are reported under --set, good ones are applied", "[scenario][errors]") {
  const std::string text = "name: x\npolicy: sanctuary\n";
  SECTION("unknown parameter, with a hint") {
    const auto d = only(text, {"population.residentz=5000"});
    CHECK(d.file == "--set");
    CHECK(d.line == 0);
    CHECK(d.key == "population.residentz");
    CHECK(d.message == "unknown parameter (did you mean 'population.residents'?)");
    CHECK(line_of(d) == "--set: population.residentz: unknown parameter (did you mean 'population.residents'?)");
  }
  SECTION("out of range") {
    const auto d = only(text, {"police.patrol_share=2"});
    CHECK(d.file == "--set");
    CHECK(d.key == "police.patrol_share");
    CHECK(d.message == "value 2 is out of range [0, 1]");
  }
  SECTION("wrong type") { CHECK(only(text, {"population.residents=abc"}).message == "expected an integer, got 'abc'"); }
  SECTION("no '='") {
    const auto d = only(text, {"population.residents"});
    CHECK(d.file == "--set");
    CHECK(d.message == "expected key=value");
  }
  SECTION("several bad overrides and a bad file, all at once") {
    const auto d = invalid("population:\n  homophily: 2\n", {"a.b=1", "simulation.days=0"});
    REQUIRE(d.items().size() == 3);
    CHECK(d.items()[0].file == "label.yaml");
    CHECK(d.items()[1].key == "a.b");
    CHECK(d.items()[2].key == "simulation.days");
  }
  SECTION("good overrides win over the file; policy knobs reach every jurisdiction") {
    const auto sc = load_scenario_text(
        "police:\n  officers_per_1000: 2.0\n"
        "jurisdictions:\n  - {name: a, neighbourhood_share: 0.5, policy: sanctuary}\n"
        "  - {name: b, neighbourhood_share: 0.5, policy: 287g_jail}\n",
        "label.yaml",
        {"police.officers_per_1000=3.5", "policy.outreach_per_1000_day=1.5", "output.detentions_table=false"});
    CHECK(sc.params.police.officers_per_1000 == 3.5);
    CHECK(sc.params.output.detentions_table == false);
    REQUIRE(sc.jurisdictions.size() == 2);
    for (const auto& j : sc.jurisdictions) CHECK(j.policy.outreach_per_1000_day == 1.5);
    CHECK(sc.jurisdictions[0].policy.detainers == static_cast<int>(DetainerPolicy::none));
    CHECK(sc.jurisdictions[1].policy.jail_screening);
  }
}

TEST_CASE("every problem in a file is reported at once, in file order, at exact positions", "[scenario][errors]") {
  const std::string text =
      "name: many\n"                   // 1
      "simulation:\n"                  // 2
      "  days: lots\n"                 // 3  type
      "  replicatse: 2\n"              // 4  unknown key
      "population:\n"                  // 5
      "  homophily: 1.5\n"             // 6  range
      "  residents: {n: 1}\n"          // 7  map for a scalar
      "policy:\n"                      // 8
      "  preset: sanctury\n"           // 9  unknown preset
      "police:\n"                      // 10
      "  officers_per_1000: -2\n"      // 11 range
      "output:\n"                      // 12
      "  detentions_table: perhaps\n"  // 13 type
      "colour: blue\n";                // 14 unknown top-level key
  const auto d = invalid(text, {}, "many.yaml");
  INFO(d.text());
  const std::vector<std::pair<std::string, std::string>> expected = {{"3:9", "simulation.days"},
                                                                     {"4:3", "simulation.replicatse"},
                                                                     {"6:14", "population.homophily"},
                                                                     {"7:14", "population.residents"},
                                                                     {"9:11", "policy"},
                                                                     {"11:22", "police.officers_per_1000"},
                                                                     {"13:21", "output.detentions_table"},
                                                                     {"14:1", "colour"}};
  REQUIRE(d.items().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("diagnostic " << i);
    CHECK(d.items()[i].file == "many.yaml");
    CHECK(pos(d.items()[i]) == expected[i].first);
    CHECK(d.items()[i].key == expected[i].second);
  }
  for (std::size_t i = 1; i < d.items().size(); ++i) CHECK(d.items()[i - 1].line < d.items()[i].line);

  const std::string what = InvalidInput(d).what();
  CHECK(std::count(what.begin(), what.end(), '\n') == static_cast<long>(expected.size()));
  CHECK(contains(what, "many.yaml:3:9: simulation.days: expected an integer, got 'lots'\n"));
  CHECK(contains(what, "many.yaml:14:1: colour: unknown key"));

  SECTION("cross-field rules are checked in the same pass") {
    const auto d2 = invalid(
        "population:\n"
        "  homophily: 7\n"
        "  undocumented_household_share: 0.7\n"
        "  immigrant_household_share: 0.7\n"
        "schedule:\n"
        "  - day: 9000\n"
        "    policy: sanctuary\n",
        {}, "many.yaml");
    INFO(d2.text());
    std::vector<std::string> where;
    for (const auto& item : d2.items()) where.push_back(pos(item) + " " + item.key);
    std::sort(where.begin(), where.end());
    CHECK(where == std::vector<std::string>{"2:14 population.homophily", "4:30 population.immigrant_household_share",
                                            "6:10 schedule.day"});
  }
}

TEST_CASE("a valid file gets every default filled in", "[scenario]") {
  const auto sc = load_scenario_text("name: small\npopulation:\n  residents: 5000\n", "small.yaml");
  CHECK(sc.name == "small");
  CHECK(sc.source_file == "small.yaml");
  CHECK(sc.params.population.residents == 5000);
  CHECK(sc.params.police.officers_per_1000 == 2.4);
  CHECK(sc.params.simulation.days == 730);
  CHECK(sc.days() == 730);
  CHECK(sc.params.simulation.seed == 1);
  CHECK(sc.params.simulation.replicates == 1);
  CHECK(sc.params.simulation.method == static_cast<int>(Method::event));
  CHECK(sc.params.output.detentions_table == true);
  // Every parameter not in the file has the registry's default.
  for (const auto& spec : registry())
    if (!spec.is_policy() && spec.dotted() != "population.residents") {
      INFO(spec.dotted());
      CHECK(value(sc, spec) == spec.default_value);
    }
  // One jurisdiction covering the city, under the baseline policy (the registry's policy defaults).
  REQUIRE(sc.jurisdictions.size() == 1);
  CHECK(sc.jurisdictions[0].name == "city");
  CHECK(sc.jurisdictions[0].neighbourhood_share == 1.0);
  CHECK(sc.jurisdictions[0].preset == "baseline");
  require_same_policy(sc.jurisdictions[0].policy, find_preset("baseline")->params);
  Params unused;
  for (const auto& spec : registry())
    if (spec.is_policy()) {
      INFO(spec.dotted());
      CHECK(spec.get(unused, sc.jurisdictions[0].policy) == spec.default_value);
    }
  CHECK(sc.schedule.empty());
}

TEST_CASE("presets resolve to their knobs, with overrides and the schedule on top", "[scenario]") {
  SECTION("sanctuary: no detainers honoured, and no trust or belief level of its own") {
    const auto sc = load_scenario_text("policy: sanctuary\n", "s.yaml");
    REQUIRE(sc.jurisdictions.size() == 1);
    CHECK(sc.jurisdictions[0].preset == "sanctuary");
    CHECK(sc.jurisdictions[0].policy.detainers == static_cast<int>(DetainerPolicy::none));
    CHECK(sc.jurisdictions[0].policy.publicity == 1);       // the same for every preset
    CHECK(sc.jurisdictions[0].policy.fingerprint_sharing);  // untouched by the preset
  }
  SECTION("287g_task_force") {
    const auto q = load_scenario_text("policy: 287g_task_force\n", "t.yaml").jurisdictions[0].policy;
    CHECK(q.jail_screening);
    CHECK(q.designated_officer_share == 0.15);
    CHECK(q.profiling_multiplier == 1.5);
    CHECK(q.detainers == static_cast<int>(DetainerPolicy::all));
  }
  SECTION("a preset with a knob override") {
    const auto q =
        load_scenario_text("policy:\n  preset: sanctuary\n  publicity: 0\n", "o.yaml").jurisdictions[0].policy;
    CHECK(q.detainers == static_cast<int>(DetainerPolicy::none));
    CHECK(q.publicity == 0);
  }
  SECTION("every preset resolves to exactly its declared knobs") {
    for (const auto& p : policy_presets()) {
      INFO(p.name);
      const auto sc = load_scenario_text("policy: " + p.name + "\n", "p.yaml");
      require_same_policy(sc.jurisdictions[0].policy, p.params);
      CHECK(p.params.publicity == PolicyParams{}.publicity);  // no preset chooses how loudly it is announced
    }
  }
  SECTION("a jurisdiction's own policy applies on top of the city's; the schedule accumulates") {
    const auto sc = load_scenario_text(
        "policy: 287g_jail\n"
        "jurisdictions:\n"
        "  - {name: a, neighbourhood_share: 0.25}\n"
        "  - name: b\n"
        "    neighbourhood_share: 0.75\n"
        "    policy: {outreach_per_1000_day: 0.5}\n"
        "schedule:\n"
        "  - day: 200\n"
        "    jurisdiction: a\n"
        "    policy: sanctuary\n"
        "  - day: 100\n"
        "    policy: {detainers: violent_only}\n"
        "  - day: 300\n"
        "    jurisdiction: b\n"
        "    policy: {preset: sanctuary, covert_operations_per_100k_month: 2}\n",
        "j.yaml");
    REQUIRE(sc.jurisdictions.size() == 2);
    CHECK(sc.jurisdictions[0].preset == "287g_jail");
    CHECK(sc.jurisdictions[0].policy.jail_screening);
    CHECK(sc.jurisdictions[1].policy.jail_screening);
    CHECK(sc.jurisdictions[1].policy.outreach_per_1000_day == 0.5);
    CHECK(sc.jurisdictions[0].policy.outreach_per_1000_day == 0);
    // Sorted by day; an entry without a jurisdiction changes every jurisdiction.
    REQUIRE(sc.schedule.size() == 4);
    CHECK(sc.schedule[0].day == 100);
    CHECK(sc.schedule[0].jurisdiction == 0);
    CHECK(sc.schedule[1].day == 100);
    CHECK(sc.schedule[1].jurisdiction == 1);
    CHECK(sc.schedule[0].label == "custom");
    CHECK(sc.schedule[0].policy.detainers == static_cast<int>(DetainerPolicy::violent_only));
    CHECK(sc.schedule[0].policy.jail_screening);  // kept from the policy in force
    CHECK(sc.schedule[1].policy.outreach_per_1000_day == 0.5);
    CHECK(sc.schedule[2].day == 200);
    CHECK(sc.schedule[2].jurisdiction == 0);
    CHECK(sc.schedule[2].label == "sanctuary");
    require_same_policy(sc.schedule[2].policy, find_preset("sanctuary")->params);
    CHECK(sc.schedule[3].day == 300);
    CHECK(sc.schedule[3].label == "sanctuary+custom");
    CHECK(sc.schedule[3].policy.covert_operations_per_100k_month == 2);
    CHECK(knob(sc.schedule[3].policy, "detainers") == 2);
  }
}

TEST_CASE("resolved_yaml loads back to the same resolved scenario", "[scenario]") {
  SECTION("a scenario with jurisdictions, overrides, odd shares and a schedule") {
    const auto sc = load_scenario_text(
        "name: round trip\n"
        "description: 'quotes: \"and\" colons'\n"
        "policy: 287g_jail\n"
        "jurisdictions:\n"
        "  - {name: a, neighbourhood_share: 0.3333333333333333}\n"
        "  - {name: b, neighbourhood_share: 0.3333333333333333, policy: {preset: sanctuary, outreach_per_1000_day: "
        "0.7}}\n"
        "  - {name: c, neighbourhood_share: 0.3333333333333334}\n"
        "schedule:\n"
        "  - {day: 100, jurisdiction: a, policy: sanctuary}\n"
        "  - {day: 50, policy: {detainers: violent_only}}\n"
        "population:\n"
        "  homophily: 0.123456789\n"
        "  residents: 123457\n"
        "crime:\n"
        "  violent_daily_rate: 6.5e-5\n"
        "simulation:\n"
        "  seed: 9007199254740991\n"
        "  method: per_resident\n"
        "output:\n"
        "  detentions_table: false\n",
        "rt.yaml");
    const std::string yaml = sc.resolved_yaml();
    INFO(yaml);
    const auto back = load_scenario_text(yaml, "resolved.yaml");
    require_same_resolved(sc, back);
    CHECK(back.resolved_yaml() == yaml);  // a fixed point
  }
  SECTION("every shipped scenario") {
    for (const auto& path : shipped_scenarios()) {
      INFO(path.string());
      const auto sc = load_scenario(path.string());
      const auto back = load_scenario_text(sc.resolved_yaml(), "resolved.yaml");
      require_same_resolved(sc, back);
      CHECK(back.resolved_yaml() == sc.resolved_yaml());
    }
  }
}

TEST_CASE("every shipped scenario validates", "[scenario]") {
  const auto files = shipped_scenarios();
  REQUIRE(files.size() >= 1);
  for (const auto& path : files) {
    INFO(path.string());
    try {
      const auto sc = load_scenario(path.string());
      CHECK_FALSE(sc.name.empty());
      CHECK_FALSE(sc.description.empty());
      for (const auto& c : sc.schedule) CHECK(c.day < sc.days());
    } catch (const InvalidInput& e) { FAIL(e.what()); }
  }
}
