// The command line as a user meets it: mistyped commands, help and version, validate on
// sweeps, schema NAME and --json, sweep --set/--seed/--replicates, status with its exit
// code, and the provenance every file records (command line, dirty flag).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "output/h5file.hpp"
#include "params/registry.hpp"
#include "program.hpp"
#include "sweep/sweep.hpp"

using namespace trustsim;
using test::run_program;
using test::TempDir;

namespace {

const std::string kSource = TRUSTSIM_SOURCE_DIR;
bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("commands: a mistyped command gets a suggestion and exit 2; help and version work", "[cli]") {
  TempDir dir;
  const auto typo = run_program(dir, {"rnu", "x.yaml"});
  CHECK(typo.code == 2);
  CHECK(contains(typo.err, "unknown command 'rnu' (did you mean 'run'?)"));
  CHECK(contains(typo.err, "commands: run validate schema"));
  CHECK(run_program(dir, {"swep"}).err.find("did you mean 'sweep'?") != std::string::npos);

  const auto none = run_program(dir, {});
  CHECK(none.code == 2);
  CHECK(contains(none.err, "Usage: trustsim [OPTIONS] SUBCOMMAND"));

  const auto help = run_program(dir, {"help"});
  CHECK(help.code == 0);
  for (const char* c : {"run", "validate", "schema", "sweep", "status", "merge", "calibrate", "version"})
    CHECK(contains(help.out, std::string("\n  ") + c + " "));
  const auto help_run = run_program(dir, {"help", "run"});
  CHECK(help_run.code == 0);
  CHECK(contains(help_run.out, "Usage: trustsim run"));
  CHECK(contains(help_run.out, "--replicates"));
  CHECK(run_program(dir, {"help", "rn"}).code == 2);

  const auto v = run_program(dir, {"-V"});
  CHECK(v.code == 0);
  CHECK(v.out.rfind("trustsim ", 0) == 0);
  CHECK(run_program(dir, {"--version"}).out == v.out);
  CHECK(run_program(dir, {"version"}).out == v.out);
}

TEST_CASE("commands: validate tells sweeps from scenarios and checks each as what it is", "[cli]") {
  TempDir dir;
  const auto ok =
      run_program(dir, {"validate", kSource + "/sweeps/policy_grid.yaml", kSource + "/scenarios/baseline.yaml"});
  INFO(ok.err);
  CHECK(ok.code == 0);
  const auto runs = load_sweep(kSource + "/sweeps/policy_grid.yaml").run_count();
  CHECK(contains(ok.out, "policy_grid.yaml: ok (sweep 'policy_grid': " + std::to_string(runs) + " runs)"));
  CHECK(contains(ok.out, "baseline.yaml: ok\n"));
  // A sweep with a bad axis is reported as a sweep problem, located.
  const auto bad = dir / "bad_sweep.yaml";
  std::ofstream(bad) << "name: b\nscenarios: [" << kSource
                     << "/scenarios/baseline.yaml]\naxes:\n  policy.nope: [1, 2]\n";
  const auto r = run_program(dir, {"validate", bad});
  CHECK(r.code == 2);
  CHECK(contains(r.err, bad + ":4:3: policy.nope"));
}

TEST_CASE("commands: schema NAME prints a parameter, a section or a preset; --json is complete JSON", "[cli]") {
  TempDir dir;
  const auto one = run_program(dir, {"schema", "policy.detainers"});
  CHECK(one.code == 0);
  CHECK(one.out.rfind("policy.detainers\n  type: choice\n", 0) == 0);
  CHECK(std::count(one.out.begin(), one.out.end(), '\n') == 6);  // one block only

  const auto section = run_program(dir, {"schema", "policy"});
  CHECK(section.code == 0);
  for (const auto& spec : registry()) CHECK(contains(section.out, spec.dotted() + "\n") == spec.is_policy());

  const auto preset = run_program(dir, {"schema", "sanctuary"});
  CHECK(preset.code == 0);
  CHECK(contains(preset.out, "policy preset sanctuary\n"));
  CHECK(contains(preset.out, "  policy.detainers: none\n"));

  const auto typo = run_program(dir, {"schema", "policy.detainer"});
  CHECK(typo.code == 2);
  CHECK(contains(typo.err, "did you mean 'policy.detainers'?"));

  // The JSON, checked by Python's parser (Debian's python3 is a test dependency).
  const auto json = run_program(dir, {"schema", "--json"});
  REQUIRE(json.code == 0);
  const auto path = dir / "schema.json";
  std::ofstream(path) << json.out;
  const std::string check =
      "import json, sys; d = json.load(open(sys.argv[1])); p = {x['name']: x for x in d['parameters']}; "
      "assert d['format'] == 'trustsim-schema', d['format']; "
      "assert len(p) == int(sys.argv[2]), len(p); "
      "assert p['policy.detainers']['choices'] == ['all', 'violent_only', 'none', 'judicial_warrant', 'notice_only'], "
      "p['policy.detainers']; "
      "assert p['policy.detainers']['per_jurisdiction'] is True; "
      "assert isinstance(p['simulation.days']['default'], int) and p['simulation.days']['unit'] == 'day'; "
      "s = {x['name']: x for x in d['presets']}; assert s['sanctuary']['policy']['detainers'] == 'none', s; "
      "print('ok')";
  const auto parsed = run_program(dir, {"-c", check, path, std::to_string(registry().size())}, "/usr/bin/python3");
  INFO(parsed.err);
  CHECK(parsed.out == "ok\n");
}

TEST_CASE("commands: sweep --set/--seed/--replicates shrink a sweep; status exits 1 until every run is done",
          "[cli][sweep]") {
  TempDir dir;
  const std::string sweep = kSource + "/sweeps/policy_grid.yaml", out = dir / "o";
  const std::vector<std::string> shrink = {
      "--set", "population.residents=2000", "--set", "simulation.days=20", "--replicates", "1", "--seed", "3", "-q"};
  auto sweep_args = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = {"sweep", sweep, "-o", out};
    a.insert(a.end(), shrink.begin(), shrink.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  const auto first = run_program(dir, sweep_args({"--shard", "0/2"}));
  INFO(first.err);
  REQUIRE(first.code == 0);
  const auto partway = run_program(dir, {"status", out});
  CHECK(partway.code == 1);
  CHECK(contains(partway.out, ": 12 runs\n"));  // 6 points x 2 scenarios x 1 replicate
  CHECK(contains(partway.out, "missing  6\n"));
  // The old spelling still works, says it is old, and agrees.
  const auto old = run_program(dir, {"sweep", "--status", out});
  CHECK(old.code == 1);
  CHECK(old.out == partway.out);
  CHECK(contains(old.err, "is now `trustsim status DIR`"));
  CHECK(run_program(dir, {"sweep", sweep, "--status", out}).code == 2);  // a mode, not an option

  // Other overrides make another sweep: the folder refuses it.
  auto other = sweep_args({"--shard", "1/2"});
  other[other.size() - 4] = "4";  // --seed 4
  const auto refused = run_program(dir, other);
  CHECK(refused.code == 1);
  CHECK(contains(refused.err, "holds another sweep"));

  REQUIRE(run_program(dir, sweep_args({"--shard", "1/2"})).code == 0);
  const auto done = run_program(dir, {"status", out});
  CHECK(done.code == 0);
  CHECK(contains(done.out, "missing  0\n"));

  const auto bad = run_program(dir, {"sweep", sweep, "-o", dir / "b", "--set", "population.residents=-5"});
  CHECK(bad.code == 2);
  CHECK(
      contains(bad.err, "command line (--set, --seed, --replicates): population.residents: value -5 is out of range"));
  CHECK_FALSE(std::filesystem::exists(dir / "b"));
}

TEST_CASE("commands: the run file records the command line and the revision as --version prints it", "[cli]") {
  TempDir dir;
  const std::string out = dir / "it's.h5";
  const auto r =
      run_program(dir, {"run", kSource + "/scenarios/baseline.yaml", "-o", out, "--set", "population.residents=2000",
                        "--set", "simulation.days=10", "--replicates", "1", "-q"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto f = h5::open_file(out, false);
  const std::string line = h5::get_string_attribute(f.id(), "command_line");
  CHECK(contains(line, " run " + kSource + "/scenarios/baseline.yaml -o '" + dir.path.string() +
                           "/it'\\''s.h5' --set "
                           "population.residents=2000"));
  const std::string version = run_program(dir, {"version"}).out;
  const std::string revision = h5::get_string_attribute(f.id(), "git_revision");
  CHECK_FALSE(revision.empty());
  CHECK(version == "trustsim " + h5::get_string_attribute(f.id(), "software_version") + " (" + revision + ")\n");
}
