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

#include "temp_dir.hpp"

namespace fs = std::filesystem;
using trustsim::test::TempDir;

namespace {

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;

struct Result {
  int code = -1;
  std::string out;
  double seconds = 0;
};

Result sh(const TempDir& dir, const std::string& command) {
  const std::string capture = dir / "capture.txt";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(("( " + command + " ) > " + capture + " 2>&1 < /dev/null").c_str());
  Result r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ifstream in(capture);
  std::stringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("memory: replicates built side by side are counted; refused before compute with the way out",
          "[failure][limits]") {
  TempDir dir("trustsim-mem");
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
