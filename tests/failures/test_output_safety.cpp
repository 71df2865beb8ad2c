// Where `run -o` and `merge -o` may write (issue 15, findings 1, 4-7, 13, 15): only ever a
// new name or a regular file, never a device, a FIFO, a folder, a symlink, the input or a
// sweep's own files; partial files of their own per process, created exclusively; a bad
// name found before any compute; signals and file size limits end with a message.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "partial_files.hpp"
#include "shell.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using trustsim::test::has_partial;
using trustsim::test::TempDir;
namespace test = trustsim::test;

namespace {

test::ShellResult sh(const TempDir& dir, const std::string& command) { return test::shell_in(dir, command, true); }

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;
const std::string kScenario = (kSource / "scenarios" / "baseline.yaml").string();
const std::string kSmall =
    " --set population.residents=2000 --set population.neighbourhoods=10 "
    "--set simulation.days=30 -q";
// Minutes of compute if it ever started: a check after the run would be seen in the time.
const std::string kLong = " --set population.residents=200000 --set simulation.days=5000 -q";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A small finished sweep in `dir`/sw, for the merge cases.
std::string small_sweep(const TempDir& dir) {
  const std::string file = dir / "s.yaml";
  std::ofstream(file) << "name: safety\nreplicates: 1\nscenarios: [" << kScenario
                      << "]\nset:\n  population.residents: 2000\n  population.neighbourhoods: 10\n"
                         "  simulation.days: 30\naxes:\n  reporting.trust_weight: [1, 2]\n";
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -o " + (dir / "sw") + " -q").code == 0);
  return dir / "sw";
}

}  // namespace

TEST_CASE("output: a FIFO, a device, a folder or a symlink is never replaced, before any compute",
          "[failure][output]") {
  TempDir dir("trustsim-safety");
  const std::string fifo = dir / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  auto r = sh(dir, kBinary + " run " + kScenario + " -o " + fifo + kLong);
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "is a FIFO (named pipe): trustsim only ever replaces regular files"));
  CHECK(r.seconds < 5);
  struct stat st {};
  REQUIRE(::lstat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));

  if (::geteuid() == 0) {  // a device node of our own, never /dev's
    const std::string dev = dir / "null";
    REQUIRE(::mknod(dev.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
    r = sh(dir, kBinary + " run " + kScenario + " -o " + dev + kLong);
    CHECK(r.code == 1);
    CHECK(contains(r.out, "is a character device"));
    REQUIRE(::lstat(dev.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
    const std::string sw = small_sweep(dir);
    r = sh(dir, kBinary + " merge " + sw + " -q -o " + dev);
    CHECK(r.code == 1);
    CHECK(contains(r.out, "is a character device"));
    REQUIRE(::lstat(dev.c_str(), &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  } else {
    // The FIFO above is the same check; CI (root) runs this part too.
    WARN("device part not run: mknod needs root; the FIFO case covers the same check");
  }

  fs::create_directories(dir / "folder");
  r = sh(dir, kBinary + " run " + kScenario + " -o " + (dir / "folder") + kLong);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "is a folder"));
  CHECK(r.seconds < 5);

  std::ofstream(dir / "target") << "keep\n";
  fs::create_symlink(dir / "target", dir / "link.h5");
  r = sh(dir, kBinary + " run " + kScenario + " -o " + (dir / "link.h5") + kSmall);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "is a symbolic link"));
  CHECK(fs::is_symlink(dir / "link.h5"));
  CHECK(slurp(dir / "target") == "keep\n");
}

TEST_CASE("output: the input, an empty name or a name too long is refused before any compute", "[failure][output]") {
  TempDir dir("trustsim-safety");
  const std::string scenario = dir / "x.yaml";
  fs::copy_file(kScenario, scenario);
  const std::string before = slurp(scenario);
  auto r = sh(dir, kBinary + " run " + scenario + " -o " + scenario + kLong);
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "is the input"));
  CHECK(slurp(scenario) == before);
  CHECK(r.seconds < 5);

  r = sh(dir, kBinary + " run " + kScenario + " -o ''" + kLong);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "the output name is empty"));
  CHECK(r.seconds < 5);

  // 240 characters fit a file system's 255, but not with the partial file's suffix.
  const std::string long_name = dir / std::string(240, 'a');
  r = sh(dir, kBinary + " run " + kScenario + " -o " + long_name + kLong);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "is too long for the file system"));
  CHECK(r.seconds < 5);
  CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator());
  for (const auto& e : fs::directory_iterator(dir.path)) CHECK(e.path().filename() == "x.yaml");
}

TEST_CASE("output: a partial-file symlink planted beside the output is never followed", "[failure][output]") {
  TempDir dir("trustsim-safety");
  std::ofstream(dir / "target") << "keep\n";
  const std::string out = dir / "out.h5";
  fs::create_symlink(dir / "target", out + ".partial");  // the name older versions used
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string h(host);
  h = h.substr(0, h.find('.')).substr(0, 32);
  // The names of the next few pids too: one of them is the run's.
  for (int k = 0; k < 200; ++k)
    fs::create_symlink(dir / "target", out + ".partial." + h + "." + std::to_string(::getpid() + k));
  const auto r = sh(dir, kBinary + " run " + kScenario + " -o " + out + kSmall);
  INFO(r.out);
  CHECK(r.code == 0);
  CHECK(slurp(dir / "target") == "keep\n");
  CHECK(fs::is_regular_file(out));
}

TEST_CASE("output: merge never writes over its sweep's definition or runs", "[failure][output][sweep]") {
  TempDir dir("trustsim-safety");
  const std::string sw = small_sweep(dir);
  const std::string run0 = sw + "/runs/p000000-s00-r0000.h5";
  const std::string def = slurp(sw + "/definition.h5"), run = slurp(run0);
  for (const std::string& target : {sw + "/definition.h5", run0, sw + "/runs/new.h5"}) {
    const auto r = sh(dir, kBinary + " merge " + sw + " -q -o " + target);
    INFO(target << ": " << r.out);
    CHECK(r.code == 1);
    CHECK(contains(r.out, "error: the output " + target));
  }
  CHECK(slurp(sw + "/definition.h5") == def);
  CHECK(slurp(run0) == run);
  CHECK_FALSE(fs::exists(sw + "/runs/new.h5"));
  // `run -o` onto a sweep's run file is refused too.
  const auto r = sh(dir, kBinary + " run " + kScenario + " -o " + run0 + kSmall);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "a file of a sweep's output folder"));
  CHECK(slurp(run0) == run);
  CHECK(sh(dir, kBinary + " merge " + sw + " -q -o " + (dir / "m.h5")).code == 0);
}

TEST_CASE("output: two runs or two merges to one name without HDF5 locking both end complete", "[failure][output]") {
  TempDir dir("trustsim-safety");
  const std::string out = dir / "out.h5", ref = dir / "ref.h5";
  REQUIRE(sh(dir, kBinary + " run " + kScenario + " -o " + ref + kSmall).code == 0);
  const auto r = sh(dir, "export HDF5_USE_FILE_LOCKING=FALSE; for s in 1 2 3; do " + kBinary + " run " + kScenario +
                             " -o " + out + kSmall + " & done; wait");
  INFO(r.out);
  CHECK(r.out.empty());
  REQUIRE(fs::exists(out));
  CHECK_FALSE(has_partial(out));
  for (const char* group : {"/series", "/detentions", "/snapshots"})
    CHECK(sh(dir, "h5diff -q " + ref + " " + out + " " + group + " " + group).code == 0);

  const std::string sw = small_sweep(dir), merged = dir / "m.h5";
  const auto m = sh(dir, "export HDF5_USE_FILE_LOCKING=FALSE; for s in 1 2 3; do " + kBinary + " merge " + sw +
                             " -q -o " + merged + " || echo failed >&2 & done; wait");
  INFO(m.out);
  CHECK(m.out.empty());
  CHECK(fs::exists(merged));
  CHECK_FALSE(has_partial(merged));
}

TEST_CASE("output: SIGHUP and SIGQUIT stop a run like SIGINT; a file size limit is named, not a silent kill",
          "[failure][output][signal]") {
  TempDir dir("trustsim-safety");
  for (const char* sig : {"HUP", "QUIT"}) {
    const std::string out = dir / (std::string(sig) + ".h5");
    const auto r =
        sh(dir, kBinary + " run " + kScenario + " -o " + out + kLong + " & pid=$!; i=0; while [ $i -lt 100 ] && ! ls " +
                    out + ".partial.* > /dev/null 2>&1; do sleep 0.1; i=$((i+1)); done; sleep 0.5; kill -" + sig +
                    " $pid; wait $pid");
    INFO(sig << ": " << r.out);
    CHECK(r.code == 130);
    CHECK(contains(r.out, "interrupted: no output written"));
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(has_partial(out));
  }
  // No `trap '' XFSZ` here: the program itself must not die of the signal.
  const std::string out = dir / "big.h5";
  const auto r = sh(dir, "ulimit -f 100; exec " + kBinary + " run " + kScenario + " -o " + out +
                             " --set population.residents=2000 --set simulation.days=1500 --replicates 2 -q");
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "(ulimit -f)"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(has_partial(out));
}
