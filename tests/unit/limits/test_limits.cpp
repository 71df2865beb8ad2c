// Limits: absurd sizes are refused at validation, located, with the memory they would need
// and what this machine (or job) has, rather than attempted until memory runs out.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "partial_files.hpp"
#include "scenario/loader.hpp"

using namespace trustsim;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<Diagnostic> refused(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    load_scenario_text(text, "big.yaml", sets);
  } catch (const InvalidInput& e) { return e.diagnostics.items(); }
  FAIL("expected InvalidInput for:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("limits: the memory limit is the machine's or the job's, and is named", "[limits]") {
  const auto m = memory_limit();
  CHECK(m.bytes > 1e8);
  CHECK((contains(m.what, "this machine has ") || contains(m.what, "cgroup allows ") ||
         contains(m.what, "ulimit -v allows ")));
}

TEST_CASE("limits: 10^12 residents are refused with the memory they would need", "[limits]") {
  const auto d = refused("name: huge\npopulation:\n  residents: 1000000000000\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].file == "big.yaml");
  CHECK(d[0].line == 3);
  CHECK(d[0].column == 14);
  CHECK(d[0].key == "population.residents");
  INFO(d[0].message);
  CHECK(contains(d[0].message, "value 1000000000000 is out of range [100, 50000000]"));
  CHECK(contains(d[0].message, "10^12 residents need about 176 TB of memory; " + memory_limit().what));

  SECTION("in exponent form, and far beyond any unit") {
    const auto e = refused("population: {residents: 1e300}\n");
    REQUIRE(e.size() == 1);
    CHECK(contains(e[0].message, "10^300 residents need about 1.76e+278 YB of memory"));
  }
  SECTION("through --set, located at --set") {
    const auto e = refused("name: x\n", {"population.residents=1e12"});
    REQUIRE(e.size() == 1);
    CHECK(e[0].file == "--set");
    CHECK(contains(e[0].message, "10^12 residents need about 176 TB"));
  }
  SECTION("a neighbourhood count that only a huge city could fill is not also reported") {
    const auto e = refused("population: {residents: 1e12, neighbourhoods: 100000}\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].key == "population.residents");
  }
}

TEST_CASE("limits: a billion days are refused with the memory their daily series would need", "[limits]") {
  const auto d = refused("simulation:\n  days: 1000000000\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].line == 2);
  CHECK(d[0].key == "simulation.days");
  INFO(d[0].message);
  CHECK(contains(d[0].message, "out of range [1, 36500]"));
  // 10^9 days x 4000 values x 8 bytes, plus a city of 20,000 residents.
  CHECK(contains(d[0].message, "10^9 days need about 32 TB of memory"));
  CHECK(contains(d[0].message, memory_limit().what));
  SECTION("a schedule day inside the asked-for run is not reported as outside the default one") {
    const auto e = refused("simulation: {days: 1e9}\nschedule: [{day: 5000, policy: sanctuary}]\n");
    REQUIRE(e.size() == 1);
    CHECK(e[0].key == "simulation.days");
  }
}

TEST_CASE("limits: very many replicates are refused with the memory they would need", "[limits]") {
  const auto d = refused("simulation: {replicates: 1000000000}\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].key == "simulation.replicates");
  INFO(d[0].message);
  CHECK(contains(d[0].message, "out of range [1, 10000]"));
  CHECK(contains(d[0].message, "10^9 replicates need about 23.4 PB of memory"));
  CHECK(contains(d[0].message, "kept until the file is written"));
}

TEST_CASE("limits: sizes each in range but too big together are refused, located at the largest part", "[limits]") {
  SECTION("replicates x days") {
    const auto d = refused("simulation:\n  days: 36500\n  replicates: 10000\n");
    REQUIRE(d.size() == 1);
    CHECK(d[0].key == "simulation.replicates");
    CHECK(d[0].line == 3);
    INFO(d[0].message);
    CHECK(contains(d[0].message, "this run would need about 11.7 TB of memory"));
    CHECK(contains(d[0].message, "daily series of 36,500 days x 10,000 replicates: 11.7 TB"));
    CHECK(contains(d[0].message, memory_limit().what));
  }
  SECTION("days alone, at the range's end, fit") {
    CHECK_NOTHROW(load_scenario_text("simulation: {days: 36500}\n", "ok.yaml"));
  }
  SECTION("the largest city allowed, once, fits a machine of the project's kind") {
    if (memory_limit().bytes < 12e9) {
      WARN("skipped: " << memory_limit().what << ", less than the 12 GB this check assumes");
    } else {
      CHECK_NOTHROW(load_scenario_text("population: {residents: 50000000}\n", "ok.yaml"));
    }
  }
}

TEST_CASE("limits: estimated memory follows the measured 150-180 bytes a resident", "[limits]") {
  Params p;
  p.population.residents = 1000000;
  p.simulation.days = 730;
  const double per_resident = (estimated_bytes(p) - estimated_bytes(0, 3, 730, 1)) / 1e6;
  // bench/results.json: 149 bytes a resident at 10^6 residents (resident state, ties, households).
  CHECK(per_resident > 120);
  CHECK(per_resident < 250);
}

TEST_CASE("limits: `trustsim run` refuses an absurd size at once, with exit 2 and no file", "[limits][cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("trustsim-limits-" + std::to_string(std::rand()));
  fs::create_directories(dir);
  const auto out = dir / "out.h5", err = dir / "err.txt";
  const std::string cmd = std::string("'") + TRUSTSIM_BINARY + "' run '" + TRUSTSIM_SOURCE_DIR +
                          "/scenarios/baseline.yaml' -o '" + out.string() +
                          "' --replicates 1000000000000 --set population.residents=1e12 2> '" + err.string() + "'";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(cmd.c_str());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string text;
  {
    std::FILE* f = std::fopen(err.c_str(), "r");
    char buf[4096];
    for (std::size_t n; f && (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    if (f) std::fclose(f);
  }
  INFO(text);
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(seconds < 5);
  CHECK(contains(text, "--set: population.residents: value 1e12 is out of range"));
  CHECK(contains(text, "--set: simulation.replicates: value 1000000000000 is out of range"));
  CHECK(contains(text, "need about"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(trustsim::test::has_partial(out));
  fs::remove_all(dir);
}
