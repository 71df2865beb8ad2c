// Sweeps through the real `trustsim` program: exit codes, status, and a shard killed at
// random moments and restarted, which must end with the same data as an uninterrupted run.
#include <hdf5.h>
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "merged_sweep_data.hpp"
#include "output/h5file.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace trustsim;
using test::merged_data;
using test::TempDir;

namespace {

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;

struct Result {
  int code;
  std::string out;
};

// Runs a shell command; stdout and stderr together.
Result shell(const std::string& command) {
  const std::string capture = fs::temp_directory_path() / ("trustsim-sweep-cli-out-" + std::to_string(::getpid()));
  const int status = std::system((command + " >" + capture + " 2>&1").c_str());
  std::ifstream in(capture);
  std::stringstream ss;
  ss << in.rdbuf();
  fs::remove(capture);
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, ss.str()};
}

std::string sweep_file(const TempDir& tmp, const std::string& body) {
  const std::string path = tmp / "s.yaml";
  std::ofstream(path) << "scenarios: [" << (kSource / "scenarios/sanctuary.yaml").string() << ", "
                      << (kSource / "scenarios/287g_task_force.yaml").string() << "]\n"
                      << body;
  return path;
}

const std::string kBody = R"(name: cli
seed: 5
replicates: 3
set:
  population.residents: 4000
  population.neighbourhoods: 10
  simulation.days: 120
design: grid
axes:
  reporting.trust_weight: [1, 2, 3]
)";

}  // namespace

TEST_CASE("sweep cli: a bad sweep file exits 2 with located errors and creates nothing", "[sweep][cli]") {
  TempDir tmp;
  const auto path = sweep_file(tmp, "name: bad\naxes:\n  reporting.trust_weight: [1, 99]\n");
  const auto r = shell(kBinary + " sweep " + path + " -o " + (tmp / "out"));
  CHECK(r.code == 2);
  CHECK(r.out.find(path + ":4:") != std::string::npos);
  CHECK(r.out.find("out of range") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "out"));
}

TEST_CASE("sweep cli: a shard killed at random moments and restarted ends with the uninterrupted data",
          "[sweep][cli][failure]") {
  TempDir tmp;
  const auto path = sweep_file(tmp, kBody);
  REQUIRE(shell(kBinary + " sweep " + path + " -o " + (tmp / "ref") + " -q").code == 0);
  REQUIRE(shell(kBinary + " merge " + (tmp / "ref") + " -o " + (tmp / "ref.h5") + " -q").code == 0);
  const auto reference = merged_data(tmp / "ref.h5");

  // Killed (SIGKILL, nothing to clean up) after a varying time, three times, then finished.
  int kills = 0;
  for (const char* after : {"0.4", "0.9", "1.3"}) {
    const auto r = shell("timeout -s KILL " + std::string(after) + " " + kBinary + " sweep " + path + " -o " +
                         (tmp / "k") + " -q");
    kills += r.code == 128 + 9 || r.code == 137;
    // Whatever is in the folder now is either complete or a .partial that merge ignores.
    const auto status = shell(kBinary + " status " + (tmp / "k"));
    if (fs::exists(tmp / "k/definition.h5")) {
      CHECK((status.code == 0 || status.code == 1));  // readable: complete, or runs missing
      CHECK(status.out.find("bad file") == std::string::npos);
    }
  }
  INFO("killed " << kills << " of 3 times before the end");
  const auto resumed = shell(kBinary + " sweep " + path + " -o " + (tmp / "k"));
  REQUIRE(resumed.code == 0);
  CHECK(resumed.out.find("already complete") != std::string::npos);
  REQUIRE(shell(kBinary + " merge " + (tmp / "k") + " -o " + (tmp / "k.h5") + " -q").code == 0);
  CHECK(merged_data(tmp / "k.h5") == reference);
}

TEST_CASE("sweep cli: status names what is missing and merge refuses it with exit 1", "[sweep][cli]") {
  TempDir tmp;
  const auto path = sweep_file(tmp, kBody);
  REQUIRE(shell(kBinary + " sweep " + path + " -o " + (tmp / "o") + " --shard 0/2 -q").code == 0);
  const auto st = shell(kBinary + " status " + (tmp / "o"));
  CHECK(st.code == 1);                                    // runs are missing
  CHECK(st.out.find("missing  8") != std::string::npos);  // shard 0 of 2 holds 5 of the 9 (point, replicate) units
  const auto m = shell(kBinary + " merge " + (tmp / "o") + " -o " + (tmp / "m.h5"));
  CHECK(m.code == 1);
  CHECK(m.out.find("8 of 18 runs are missing") != std::string::npos);
  CHECK_FALSE(fs::exists(tmp / "m.h5"));
  // The Slurm array variables pick the shard when --shard is not given.
  REQUIRE(shell("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 " + kBinary + " sweep " + path + " -o " + (tmp / "o") +
                " -q")
              .code == 0);
  CHECK(shell(kBinary + " merge " + (tmp / "o") + " -o " + (tmp / "m.h5") + " -q").code == 0);
}
