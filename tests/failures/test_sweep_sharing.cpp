// A sweep folder shared and damaged (issue 15, findings 2, 3, 8, 9, 11, 17): claims keep
// processes from computing the same run, crashed claimants are taken over, run files carry
// a checksum and their run index, and a bad file is moved aside and recomputed by a resume
// and refused by merge. Write failures in a parallel sweep end with a message in a user's
// words, never a crash.
#include <hdf5.h>
#include <catch2/catch.hpp>

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "engine/simulation.hpp"
#include "merged_sweep_data.hpp"
#include "output/h5file.hpp"
#include "shell.hpp"
#include "sweep/claims.hpp"
#include "sweep/executor.hpp"
#include "sweep/merge.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace trustsim;
using test::merged_data;
using test::TempDir;

namespace {

test::ShellResult sh(const TempDir& dir, const std::string& command) { return test::shell_in(dir, command); }

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// 5 points x 2 replicates x 2 scenarios = 20 short runs.
std::string sweep_file(const TempDir& dir, const std::string& days = "60") {
  const std::string file = dir / "many.yaml";
  std::ofstream(file) << "name: many\nseed: 3\nreplicates: 2\nscenarios: [" << (kSource / "scenarios/sanctuary.yaml")
                      << ", " << (kSource / "scenarios/287g_task_force.yaml")
                      << "]\nset:\n  population.residents: 2000\n  population.neighbourhoods: 10\n"
                         "  simulation.days: "
                      << days << "\naxes:\n  reporting.trust_weight: [1, 1.5, 2, 2.5, 3]\n";
  return file;
}

// The sum of "N run now" over the processes' reports.
int runs_computed(const std::string& text) {
  static const std::regex ran(R"((\d+) run now)");
  int total = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), ran); it != std::sregex_iterator(); ++it)
    total += std::stoi((*it)[1]);
  return total;
}

// Flips one bit in the middle of dataset `name`'s stored bytes (contiguous: small datasets).
void flip_bit(const std::string& file, const std::string& name) {
  hsize_t offset = HADDR_UNDEF, size = 0;
  {
    h5::Handle f = h5::open_file(file, false);
    h5::Handle ds(H5Dopen2(f.id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    offset = H5Dget_offset(ds.id());
    size = H5Dget_storage_size(ds.id());
  }
  REQUIRE(offset != HADDR_UNDEF);
  std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(static_cast<std::streamoff>(offset + size / 2));
  char c = 0;
  io.get(c);
  c = static_cast<char>(c ^ 0x10);
  io.seekp(static_cast<std::streamoff>(offset + size / 2));
  io.put(c);
}

}  // namespace

TEST_CASE("sharing: three processes on one folder compute every run once and match a lone sweep",
          "[failure][sweep][claims]") {
  TempDir dir("trustsim-share");
  const std::string file = sweep_file(dir);
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -q -o " + (dir / "ref")).code == 0);
  REQUIRE(sh(dir, kBinary + " merge " + (dir / "ref") + " -q -o " + (dir / "ref.h5")).code == 0);
  const auto r =
      sh(dir, "for i in 1 2 3; do " + kBinary + " sweep " + file + " --threads 1 -o " + (dir / "R") + " & done; wait");
  INFO(r.out);
  CHECK(runs_computed(r.out) == 20);  // each run by exactly one process
  const auto status = sh(dir, kBinary + " sweep --status " + (dir / "R"));
  CHECK(contains(status.out, "done     20"));
  REQUIRE(sh(dir, kBinary + " merge " + (dir / "R") + " -q -o " + (dir / "R.h5")).code == 0);
  CHECK(merged_data(dir / "R.h5") == merged_data(dir / "ref.h5"));
  for (const auto& e : fs::directory_iterator(dir / "R/runs")) CHECK(e.path().extension() == ".h5");
}

TEST_CASE("claims: exclusive, taken over from a dead or silent claimant, and lost when replaced",
          "[failure][sweep][claims]") {
  TempDir dir("trustsim-claims");
  const std::string run = dir / "p000000-s00-r0000.h5", claim = run + ".claim";
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  {
    ClaimBook a(0.5), b(0.5);
    const auto held = a.acquire(run);
    REQUIRE(held);
    CHECK_FALSE(b.acquire(run));  // a live holder: its heartbeat keeps the claim fresh
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    CHECK_FALSE(b.acquire(run));
    CHECK(a.holds(*held));
    a.release(held);
    CHECK_FALSE(fs::exists(claim));
    CHECK(b.acquire(run));
  }
  CHECK_FALSE(fs::exists(claim));  // a book releases what it holds when it ends

  SECTION("a claim of this host's process that no longer runs is taken over at once") {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    std::ofstream(claim) << host << " " << child << " dead\n";
    ClaimBook c(600);
    CHECK(c.acquire(run));
  }
  SECTION("another host's claim is taken over only once it has not been touched for the timeout") {
    std::ofstream(claim) << "elsewhere 12345 abc\n";
    ClaimBook c(2);
    CHECK_FALSE(c.acquire(run));
    const auto old = fs::file_time_type::clock::now() - std::chrono::seconds(5);
    fs::last_write_time(claim, old);
    const auto taken = c.acquire(run);
    REQUIRE(taken);
    // The other host comes back and takes its claim over again: this holder has lost it.
    std::ofstream(claim) << "elsewhere 12345 abc\n";
    CHECK_FALSE(c.holds(*taken));
    CHECK(taken->lost.load());
  }
}

TEST_CASE("checksums: a flipped bit or a swapped file is found by status, refused by merge, recomputed by resume",
          "[failure][sweep][checksum]") {
  TempDir dir("trustsim-sum");
  const std::string file = sweep_file(dir, "40"), R = dir / "R";
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -q -o " + R).code == 0);
  REQUIRE(sh(dir, kBinary + " merge " + R + " -q -o " + (dir / "ref.h5")).code == 0);
  const std::string a = R + "/runs/p000001-s00-r0000.h5", b = R + "/runs/p000002-s01-r0001.h5",
                    c = R + "/runs/p000003-s00-r0000.h5";
  flip_bit(a, "outputs");
  fs::rename(b, dir / "tmp.h5");
  fs::copy_file(c, b);
  fs::copy_file(dir / "tmp.h5", c, fs::copy_options::overwrite_existing);

  const auto st = sh(dir, kBinary + " sweep --status " + R);
  INFO(st.out);
  CHECK(contains(st.out, "done     17"));
  CHECK(contains(st.out, "bad file: " + a + ": damaged (its checksum does not match its data)"));
  CHECK(contains(st.out, "bad file: " + b + ": holds run"));
  CHECK(contains(st.out, "bad file: " + c + ": holds run"));
  const auto m = sh(dir, kBinary + " merge " + R + " -q -o " + (dir / "m.h5"));
  INFO(m.out);
  CHECK(m.code == 1);
  CHECK(contains(m.out, "merge refused: 3 run file(s)"));
  CHECK(contains(m.out, a + ": damaged"));
  CHECK(contains(m.out, "run `trustsim sweep " + file + " -o " + R + "` again"));
  CHECK_FALSE(fs::exists(dir / "m.h5"));

  const auto resumed = sh(dir, kBinary + " sweep " + file + " -o " + R);
  INFO(resumed.out);
  CHECK(resumed.code == 0);
  CHECK(runs_computed(resumed.out) == 3);
  CHECK(contains(resumed.out, "moved to " + R + "/bad/"));
  REQUIRE(sh(dir, kBinary + " merge " + R + " -q -o " + (dir / "m.h5")).code == 0);
  CHECK(merged_data(dir / "m.h5") == merged_data(dir / "ref.h5"));
}

TEST_CASE("sharing: a folder whose definition was deleted is not taken over by another sweep", "[failure][sweep]") {
  TempDir dir("trustsim-def");
  const std::string file = sweep_file(dir, "30"), R = dir / "R";
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -q -o " + R).code == 0);
  fs::remove(R + "/definition.h5");
  const std::string before = [&] {
    std::ifstream in(R + "/runs/p000000-s00-r0000.h5", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  std::ofstream(dir / "other.yaml") << "name: other\nscenarios: [" << (kSource / "scenarios/sanctuary.yaml")
                                    << "]\nset: {population.residents: 2000, population.neighbourhoods: 10, "
                                       "simulation.days: 30}\n";
  const auto r = sh(dir, kBinary + " sweep " + (dir / "other.yaml") + " -q -o " + R);
  INFO(r.out);
  CHECK(r.code == 1);
  CHECK(contains(r.out, "has no definition.h5 but holds runs of another sweep"));
  std::ifstream in(R + "/runs/p000000-s00-r0000.h5", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == before);
  // The same sweep records its definition again and finds its runs complete.
  const auto same = sh(dir, kBinary + " sweep " + file + " -o " + R);
  CHECK(same.code == 0);
  CHECK(contains(same.out, "20 already complete"));
}

TEST_CASE("sharing: a full disk or a read-only folder under a 2-thread sweep: a short message, exit 1, no bad file",
          "[failure][sweep][disk]") {
  TempDir dir("trustsim-full");
  const std::string disk = dir / "disk";
  fs::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=1m") != 0) {
    // Root (CI) must run this; others are reported as skipped by ctest, not as passed.
    if (::geteuid() == 0) FAIL("running as root and cannot mount a small tmpfs: " << std::strerror(errno));
    WARN("trustsim-test: skipped: cannot mount a small tmpfs to fill (" << std::strerror(errno)
                                                                        << "; needs root with CAP_SYS_ADMIN)");
    return;
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{disk};
  const std::string file = sweep_file(dir, "400"), R = disk + "/R";
  // Fill the disk but a little, so the sweep starts and then cannot write.
  REQUIRE(sh(dir, "dd if=/dev/zero of=" + disk + "/filler bs=1k count=900 2>/dev/null; true").code == 0);
  const auto full = sh(dir, kBinary + " sweep " + file + " --threads 2 -q -o " + R);
  INFO(full.out);
  CHECK(full.code == 1);
  CHECK(contains(full.out, "is full"));
  CHECK(std::count(full.out.begin(), full.out.end(), '\n') <= 3);
  if (fs::exists(R + "/definition.h5")) {
    const auto st = sh(dir, kBinary + " sweep --status " + R);
    CHECK_FALSE(contains(st.out, "bad file"));
  }
  fs::remove(disk + "/filler");
  REQUIRE(sh(dir, kBinary + " sweep " + file + " --threads 2 -q -o " + R).code == 0);
  CHECK(contains(sh(dir, kBinary + " sweep --status " + R).out, "done     20"));

  // Read-only: the file system remounted read-only under a finished sweep's resume with a deleted run.
  fs::remove(R + "/runs/p000004-s01-r0001.h5");
  REQUIRE(::mount("tmpfs", disk.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m") == 0);
  const auto ro = sh(dir, kBinary + " sweep " + file + " --threads 2 -q -o " + R);
  INFO(ro.out);
  CHECK(ro.code == 1);
  CHECK(contains(ro.out, "read-only file system"));
  CHECK(std::count(ro.out.begin(), ro.out.end(), '\n') <= 3);
}

TEST_CASE("sharing: a merge stopped by a signal leaves no file and no partial file", "[failure][sweep][signal]") {
  TempDir dir("trustsim-mcancel");
  const std::string file = sweep_file(dir, "20"), R = dir / "R";
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -q -o " + R).code == 0);
  const std::atomic<bool> cancel{true};  // as a signal handler sets it
  CHECK_THROWS_AS(merge_sweep(R, dir / "m.h5", {}, {}, &cancel), Cancelled);
  CHECK_FALSE(fs::exists(dir / "m.h5"));
  for (const auto& e : fs::directory_iterator(dir.path)) CHECK(e.path().filename().string().find("m.h5") != 0);
  CHECK(merge_sweep(R, dir / "m.h5", {}).ok == 20);
}

TEST_CASE("sharing: a claim left beside a finished run by a killed process is cleared by the next run",
          "[failure][sweep][claims]") {
  TempDir dir("trustsim-leftover");
  const std::string file = sweep_file(dir, "20"), R = dir / "R";
  REQUIRE(sh(dir, kBinary + " sweep " + file + " -q -o " + R).code == 0);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  const std::string claim = R + "/runs/p000002-s01-r0001.h5.claim";
  std::ofstream(claim) << host << " " << child << " killed\n";
  const auto again = sh(dir, kBinary + " sweep " + file + " -o " + R);
  INFO(again.out);
  CHECK(contains(again.out, "20 already complete"));
  CHECK_FALSE(fs::exists(claim));
}
