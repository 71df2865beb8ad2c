// The memory check counts what runs side by side (issue 15, finding 12): `run` builds its
// replicates in parallel and `sweep` its runs, one city each; a run that fits once but not
// twice is refused before compute, with what it needs, what is allowed and the way out,
// instead of ending in SIGSEGV under `ulimit -v`.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "shell.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using trustsim::test::TempDir;
namespace test = trustsim::test;

namespace {

test::ShellResult sh(const TempDir& dir, const std::string& command) { return test::shell_in(dir, command); }

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("memory: replicates built side by side are counted; refused before compute with the way out",
          "[failure][limits]") {
  TempDir dir("trustsim-mem");
  // A sanitized program reserves terabytes of address space for its shadow memory and
  // cannot start under `ulimit -v`; the Release tests run this case.
  if (sh(dir, "ulimit -v 1300000; " + kBinary + " --version").code != 0) {
    WARN("trustsim-test: skipped: the program cannot start under ulimit -v (a sanitized build)");
    return;
  }
  // 5 million residents fit once in 1.3 GB of address space, not twice.
  const std::string run = kBinary + " run " + (kSource / "scenarios/baseline.yaml").string() + " -o " +
                          (dir / "out.h5") +
                          " --set population.residents=5000000 --set simulation.days=30 --replicates 2 -q";
  const auto r = sh(dir, "ulimit -v 1300000; " + run + " --threads 2");
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "2 cities of 5,000,000 residents built side by side"));
  CHECK(contains(r.out, "ulimit -v allows 1.33 GB"));
  CHECK(contains(r.out, "Use --threads 1: the results are the same"));
  CHECK(r.seconds < 5);
  CHECK_FALSE(fs::exists(dir / "out.h5"));

  std::ofstream(dir / "s.yaml") << "name: big\nreplicates: 2\nscenarios: [" << (kSource / "scenarios/baseline.yaml")
                                << "]\nset: {population.residents: 5000000, simulation.days: 30}\n";
  const auto s =
      sh(dir, "ulimit -v 1300000; " + kBinary + " sweep " + (dir / "s.yaml") + " --threads 2 -q -o " + (dir / "sw"));
  INFO(s.out);
  CHECK(s.code == 1);
  CHECK(contains(s.out, "2 cities of 5,000,000 residents built side by side"));
  CHECK(s.seconds < 10);
  CHECK_FALSE(fs::exists(dir / "sw"));
}
