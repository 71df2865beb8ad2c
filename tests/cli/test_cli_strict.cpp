// Command-line values read strictly, with messages that say what was written (issue 15,
// findings 16-17): --shard in decimal digits only, --seed beyond 64 bits reported as given.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "shell.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using trustsim::test::TempDir;

namespace {

std::pair<int, std::string> sh(const TempDir& dir, const std::string& command) {
  const auto r = trustsim::test::shell_in(dir, command);
  return {r.code, r.out};
}

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;

}  // namespace

TEST_CASE("cli strict: --shard takes K/N in decimal digits only", "[cli]") {
  TempDir dir("trustsim-strict");
  std::ofstream(dir / "s.yaml") << "name: s\nscenarios: [" << (kSource / "scenarios/baseline.yaml")
                                << "]\nset: {population.residents: 2000, population.neighbourhoods: 10, "
                                   "simulation.days: 10}\n";
  for (const std::string shard : {"1/4/2", "", "1e0/4", "0x1/4", " 1/4", "-1/4", "1/+4"}) {
    const auto [code, out] =
        sh(dir, kBinary + " sweep " + (dir / "s.yaml") + " -q -o " + (dir / "o") + " --shard '" + shard + "'");
    INFO("--shard '" << shard << "': " << out);
    CHECK(code == 2);
    CHECK(out.find("--shard: expected K/N in decimal digits, e.g. 3/100, got '" + shard + "'") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(dir / "o"));
  CHECK(sh(dir, kBinary + " sweep " + (dir / "s.yaml") + " -q -o " + (dir / "o") + " --shard 0/1").first == 0);
}

TEST_CASE("cli strict: --seed beyond 64 bits is reported as written", "[cli]") {
  TempDir dir("trustsim-strict");
  const auto [code, out] = sh(dir, kBinary + " run " + (kSource / "scenarios/baseline.yaml").string() + " -q -o " +
                                       (dir / "o.h5") + " --seed 18446744073709551616");
  INFO(out);
  CHECK(code == 2);
  CHECK(out.find("simulation.seed: value 18446744073709551616 is out of range") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "o.h5"));
}
