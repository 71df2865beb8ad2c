// End to end through the real `trustsim` program: exit codes, messages, interrupted runs,
// generated documentation, and the layout of the run file against docs/output-format.md.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "params/registry.hpp"
#include "partial_files.hpp"
#include "scenario/loader.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace {

const std::string kBinary = TRUSTSIM_BINARY;
const fs::path kSource = TRUSTSIM_SOURCE_DIR;
const std::vector<std::string> kTiny = {
    "--set",  "population.residents=2000", "--set",        "population.neighbourhoods=10",
    "--set",  "simulation.days=30",        "--replicates", "1",
    "--quiet"};

// A fresh directory per test, removed at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path = fs::temp_directory_path() / ("trustsim-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) +
                                        "-" + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path operator/(const std::string& name) const { return path / name; }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Result {
  int code = -1;  // exit code; 128 + signal if killed by a signal
  std::string out, err;
};

int decode(int status) {
  if (status == -1) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Runs a program (the trustsim binary unless `program` is given) with its output captured in `dir`.
Result run(const TempDir& dir, const std::vector<std::string>& args, const std::string& program = kBinary) {
  std::string cmd = quote(program);
  for (const auto& a : args) cmd += " " + quote(a);
  const auto out = dir / "cmd.stdout", err = dir / "cmd.stderr";
  cmd += " > " + quote(out.string()) + " 2> " + quote(err.string()) + " < /dev/null";
  Result r;
  r.code = decode(std::system(cmd.c_str()));
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kSource / "scenarios"))
    if (e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Entries of a directory, for "nothing was created" checks.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// ---- a background run, signalled --------------------------------------------------------

pid_t spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);  // its own process group: signals reach it alone
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<std::string> all = {kBinary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, kBinary.c_str(), &fa, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

// Exit code (128 + signal if killed) or -1 if it did not end within `limit` (it is then killed).
int wait_for(pid_t pid, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < end) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return decode(status);
    if (r < 0) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

struct Interrupted {
  int code = -1;
  std::string err;
  bool partial_seen = false;
};

// Starts a long run, waits until it is computing (its .partial file exists, then a little
// longer so the signal handlers are in place), sends `sig` and waits for it to end.
Interrupted interrupt_long_run(const TempDir& dir, const fs::path& output, int sig) {
  const std::vector<std::string> args = {"run",          (kSource / "scenarios" / "baseline.yaml").string(),
                                         "-o",           output.string(),
                                         "--set",        "population.residents=200000",
                                         "--set",        "simulation.days=5000",
                                         "--replicates", "1"};
  Interrupted r;
  const pid_t pid = spawn(args, dir / "run.stdout", dir / "run.stderr");
  REQUIRE(pid > 0);
  const auto start = std::chrono::steady_clock::now();
  while (!trustsim::test::has_partial(output) && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) FAIL("the long run ended by itself: " << slurp(dir / "run.stderr"));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.partial_seen = trustsim::test::has_partial(output);
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  REQUIRE(kill(pid, sig) == 0);
  r.code = wait_for(pid, std::chrono::seconds(20));
  r.err = slurp(dir / "run.stderr");
  return r;
}

// ---- docs/output-format.md ------------------------------------------------------------

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // rows whose first cell is a `name`; backticks removed
  int column(const std::string& name) const {
    auto f = std::find(header.begin(), header.end(), name);
    return f == header.end() ? -1 : static_cast<int>(f - header.begin());
  }
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '|') {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += line[i];
    }
  }
  return out;
}

// The tables of a Markdown page, by the "## " heading above them.
std::map<std::string, Table> tables(const std::string& markdown) {
  std::map<std::string, Table> out;
  std::istringstream in(markdown);
  std::string line, heading;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      heading = trim(line.substr(3));
      continue;
    }
    if (line.rfind("|", 0) != 0 || heading.empty()) continue;
    auto c = cells(line);
    if (c.empty()) continue;
    Table& t = out[heading];
    if (t.header.empty()) {
      t.header = c;
    } else if (c[0].size() > 2 && c[0].front() == '`' && c[0].back() == '`') {
      c[0] = c[0].substr(1, c[0].size() - 2);
      t.rows.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(trim(cur));
  return out;
}

// The documented format: the committed page, or (until it is committed) the program's own output.
std::string output_format_doc() {
  const auto committed = kSource / "docs" / "output-format.md";
  if (fs::exists(committed)) return slurp(committed);
  WARN("docs/output-format.md does not exist yet: checking against `trustsim output-format` instead");
  TempDir dir;
  const auto r = run(dir, {"output-format"});
  REQUIRE(r.code == 0);
  return r.out;
}

// ---- the file ---------------------------------------------------------------------------

// `h5ls -r`: every dataset with its dimensions ({} for a scalar).
std::map<std::string, std::vector<std::size_t>> datasets(const TempDir& dir, const fs::path& file) {
  const auto r = run(dir, {"-r", file.string()}, "h5ls");
  REQUIRE(r.code == 0);
  std::map<std::string, std::vector<std::size_t>> out;
  static const std::regex row(R"(^(\S+)\s+Dataset\s+\{([^}]*)\})");
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, row)) continue;
    std::vector<std::size_t> dims;
    if (m[2] != "SCALAR")
      for (const auto& d : split(m[2], ',')) dims.push_back(std::stoull(d.substr(0, d.find('/'))));
    out[m[1]] = dims;
  }
  return out;
}

struct H5 {
  hid_t id;
  explicit H5(const fs::path& p) : id(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~H5() {
    if (id >= 0) H5Fclose(id);
  }
};

bool has_attribute(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

H5T_class_t attribute_class(hid_t obj, const std::string& name) {
  const hid_t a = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  const hid_t t = H5Aget_type(a);
  const auto c = H5Tget_class(t);
  H5Tclose(t);
  H5Aclose(a);
  return c;
}

std::int64_t int_attribute(hid_t obj, const std::string& name) {
  const hid_t a = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  std::int64_t v = -1;
  if (a < 0 || H5Aread(a, H5T_NATIVE_INT64, &v) < 0) v = -1;
  if (a >= 0) H5Aclose(a);
  return v;
}

std::string string_attribute(hid_t obj, const std::string& name) {
  const hid_t a = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  if (a < 0) return "<missing>";
  const hid_t t = H5Aget_type(a);
  std::string s = "<unreadable>";
  if (H5Tis_variable_str(t) > 0) {
    char* p = nullptr;
    if (H5Aread(a, t, &p) >= 0 && p) s = p;
    H5free_memory(p);
  }
  H5Tclose(t);
  H5Aclose(a);
  return s;
}

// "int64", "float64" or "string", as the format page names them.
std::string dtype(hid_t file, const std::string& path) {
  const hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (d < 0) return "<missing>";
  const hid_t t = H5Dget_type(d);
  std::string s = "other";
  const auto c = H5Tget_class(t);
  if (c == H5T_INTEGER && H5Tget_size(t) == 8 && H5Tget_sign(t) == H5T_SGN_2) s = "int64";
  if (c == H5T_FLOAT && H5Tget_size(t) == 8) s = "float64";
  if (c == H5T_STRING) s = "string";
  H5Tclose(t);
  H5Dclose(d);
  return s;
}

std::string dataset_string_attribute(hid_t file, const std::string& path, const std::string& name) {
  const hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (d < 0) return "<missing>";
  const auto s = string_attribute(d, name);
  H5Dclose(d);
  return s;
}

// A dimension scale (a coordinate variable of the netCDF-4 conventions)?
bool is_scale(hid_t file, const std::string& path) {
  const hid_t d = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (d < 0) return false;
  const bool scale = H5DSis_scale(d) > 0;
  H5Dclose(d);
  return scale;
}

// Days long enough for the scenario's schedule (a change must fall inside the run).
int days_for(const fs::path& scenario) {
  int days = 30;
  for (const auto& c : trustsim::load_scenario(scenario.string()).schedule) days = std::max(days, c.day + 1);
  return days;
}

}  // namespace

TEST_CASE("cli: a bad scenario exits 2 with located messages and creates no output", "[cli]") {
  TempDir dir;
  write_file(dir / "bad.yaml",
             "name: bad\n"
             "population:\n"
             "  residents: lots\n"
             "simulaton:\n"
             "  days: 10\n");
  const auto out = dir / "out.h5";
  const auto r = run(dir, concat({"run", (dir / "bad.yaml").string(), "-o", out.string()}, kTiny));
  INFO(r.err);
  CHECK(r.code == 2);
  const std::string file = (dir / "bad.yaml").string();
  CHECK(contains(r.err, file + ":3:14: population.residents: expected an integer, got 'lots'\n"));
  CHECK(contains(r.err, file + ":4:1: simulaton: unknown key (did you mean 'simulation'?)\n"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(trustsim::test::has_partial(out));
  CHECK(entries(dir.path) == std::vector<std::string>{"bad.yaml"});

  SECTION("a bad --set on a good scenario") {
    const auto r2 = run(dir, concat({"run", (kSource / "scenarios" / "baseline.yaml").string(), "-o", out.string(),
                                     "--set", "police.patrol_share=2"},
                                    kTiny));
    CHECK(r2.code == 2);
    CHECK(contains(r2.err, "--set: police.patrol_share: value 2 is out of range [0, 1]"));
    CHECK(entries(dir.path) == std::vector<std::string>{"bad.yaml"});
  }
  SECTION("a missing scenario file") {
    const auto r2 = run(dir, concat({"run", (dir / "nope.yaml").string(), "-o", out.string()}, kTiny));
    CHECK(r2.code == 2);
    CHECK(contains(r2.err, (dir / "nope.yaml").string() + ": cannot open the scenario file"));
    CHECK(entries(dir.path) == std::vector<std::string>{"bad.yaml"});
  }
  SECTION("a mapping where a name is expected") {
    write_file(dir / "map.yaml", "name: m\npolicy:\n  preset: {a: 1}\n");
    const auto r2 = run(dir, concat({"run", (dir / "map.yaml").string(), "-o", out.string()}, kTiny));
    CHECK(r2.code == 2);
    CHECK(contains(r2.err, (dir / "map.yaml").string() + ":3:11: policy: "));
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(trustsim::test::has_partial(out));
  }
  SECTION("a command line the parser rejects") {
    const auto r2 = run(dir, {"run", (kSource / "scenarios" / "baseline.yaml").string()});  // no -o
    CHECK(r2.code == 2);
    CHECK(entries(dir.path) == std::vector<std::string>{"bad.yaml"});
  }
}

TEST_CASE("cli: validate accepts every shipped scenario and rejects a bad file", "[cli]") {
  TempDir dir;
  std::vector<std::string> args = {"validate"};
  for (const auto& f : shipped_scenarios()) args.push_back(f.string());
  REQUIRE(args.size() > 1);
  const auto good = run(dir, args);
  INFO(good.err);
  CHECK(good.code == 0);
  for (std::size_t i = 1; i < args.size(); ++i) CHECK(contains(good.out, args[i] + ": ok\n"));
  CHECK(good.err.empty());

  write_file(dir / "bad.yaml", "policy: sanctuari\nschedule:\n  - day: 9999\n    policy: baseline\n");
  const auto bad = run(dir, {"validate", (dir / "bad.yaml").string()});
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, (dir / "bad.yaml").string() +
                              ":1:9: policy: unknown policy preset 'sanctuari' (did you mean 'sanctuary'?)"));
  CHECK(contains(bad.err, (dir / "bad.yaml").string() + ":3:10: schedule.day: day 9999 is outside the run"));

  // A mix: every file is checked, the good ones still say ok, the exit code says something was bad.
  const auto mixed = run(dir, {"validate", args[1], (dir / "bad.yaml").string()});
  CHECK(mixed.code == 2);
  CHECK(contains(mixed.out, args[1] + ": ok\n"));
  CHECK(contains(mixed.err, "bad.yaml:1:9:"));
}

TEST_CASE("cli: an output path that cannot be written fails at once with a clear message", "[cli]") {
  TempDir dir;
  write_file(dir / "blocker", "a regular file\n");
  const auto out = dir / "blocker" / "sub" / "out.h5";
  // A run that would take minutes: failing fast shows the check comes before any compute.
  const auto start = std::chrono::steady_clock::now();
  const auto r = run(dir, {"run", (kSource / "scenarios" / "baseline.yaml").string(), "-o", out.string(), "--set",
                           "population.residents=200000", "--set", "simulation.days=5000", "--quiet"});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r.err);
  CHECK(r.code != 0);
  CHECK(r.code != 130);
  CHECK(contains(r.err, "cannot write the output file " + out.string()));
  CHECK(seconds < 3.0);
  CHECK(fs::is_regular_file(dir / "blocker"));
  CHECK(slurp(dir / "blocker") == "a regular file\n");
  CHECK(entries(dir.path) == std::vector<std::string>{"blocker"});

  SECTION("a folder that does not exist yet is created") {
    const auto nested = dir / "new" / "deeper" / "out.h5";
    const auto ok =
        run(dir, concat({"run", (kSource / "scenarios" / "baseline.yaml").string(), "-o", nested.string()}, kTiny));
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK(fs::is_regular_file(nested));
    CHECK_FALSE(trustsim::test::has_partial(nested));
  }
}

TEST_CASE("cli: SIGINT stops a run with exit 130, no output and no partial file", "[cli][signal]") {
  TempDir dir;
  const auto out = dir / "out.h5";
  const auto r = interrupt_long_run(dir, out, SIGINT);
  INFO(r.err);
  CHECK(r.partial_seen);
  CHECK(r.code == 130);
  CHECK(contains(r.err, "interrupted: no output written"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(trustsim::test::has_partial(out));
}

TEST_CASE("cli: SIGTERM stops a run like SIGINT", "[cli][signal]") {
  TempDir dir;
  const auto out = dir / "out.h5";
  const auto r = interrupt_long_run(dir, out, SIGTERM);
  INFO(r.err);
  CHECK(r.code == 130);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(trustsim::test::has_partial(out));
}

TEST_CASE("cli: SIGKILL leaves at most a partial file, never the final name; the next run deletes it",
          "[cli][signal]") {
  TempDir dir;
  const auto out = dir / "out.h5";
  const auto r = interrupt_long_run(dir, out, SIGKILL);
  CHECK(r.code == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(out));
  const auto partials = trustsim::test::partial_files(out);
  CHECK(partials.size() <= 1);
  for (const auto& p : partials) {
    // Whatever state it is in, it does not claim to be complete (it may not even open).
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5 f(p);
    if (f.id >= 0 && has_attribute(f.id, "complete")) CHECK(int_attribute(f.id, "complete") == 0);
  }
  // The killed process's partial file is deleted by the next run to the same name.
  const auto again =
      run(dir, concat({"run", (kSource / "scenarios" / "baseline.yaml").string(), "-o", out.string()}, kTiny));
  INFO(again.err);
  CHECK(again.code == 0);
  CHECK_FALSE(trustsim::test::has_partial(out));
}

TEST_CASE("cli: schema lists every parameter with its source, and the Markdown pages match the committed docs",
          "[cli][docs]") {
  TempDir dir;
  const auto r = run(dir, {"schema"});
  REQUIRE(r.code == 0);
  // Blocks: an unindented name, then indented "key: value" lines.
  std::map<std::string, std::vector<std::string>> blocks;
  std::string current;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.rfind("policy presets:", 0) == 0) {
      current.clear();
      continue;
    }
    if (line[0] != ' ')
      blocks[current = line] = {};
    else if (!current.empty())
      blocks[current].push_back(line);
  }
  for (const auto& spec : trustsim::registry()) {
    INFO(spec.dotted());
    REQUIRE(blocks.count(spec.dotted()) == 1);
    const auto& b = blocks[spec.dotted()];
    const auto source =
        std::find_if(b.begin(), b.end(), [](const std::string& l) { return l.rfind("  source: ", 0) == 0; });
    REQUIRE(source != b.end());
    CHECK(source->size() > std::string("  source: ").size());
    CHECK(*source == "  source: " + spec.source);
  }
  CHECK(blocks.size() == trustsim::registry().size());
  for (const auto& p : trustsim::policy_presets()) CHECK(contains(r.out, " " + p.name));

  const auto md = run(dir, {"schema", "--markdown"});
  REQUIRE(md.code == 0);
  for (const auto& spec : trustsim::registry()) CHECK(contains(md.out, "| `" + spec.dotted() + "` |"));
  // The committed pages are generated: a deleted or stale page fails (regenerate it with the
  // command named at the top of the page).
  const auto parameters = kSource / "docs" / "parameters.md";
  REQUIRE(fs::exists(parameters));
  CHECK(md.out == slurp(parameters));

  const auto format = run(dir, {"output-format"});
  REQUIRE(format.code == 0);
  CHECK(contains(format.out, "## /series"));
  const auto format_page = kSource / "docs" / "output-format.md";
  REQUIRE(fs::exists(format_page));
  CHECK(format.out == slurp(format_page));
}

TEST_CASE("cli: every shipped scenario writes a complete file laid out as docs/output-format.md says",
          "[cli][format]") {
  const auto doc = tables(output_format_doc());
  for (const auto* heading :
       {"Root attributes", "/scenario", "/axes", "/series", "/detentions", "/neighbourhoods", "/snapshots"}) {
    INFO(heading);
    REQUIRE(doc.count(heading) == 1);
    REQUIRE_FALSE(doc.at(heading).rows.empty());
  }
  REQUIRE(doc.at("/series").column("dims") >= 0);

  for (const auto& scenario : shipped_scenarios()) {
    DYNAMIC_SECTION(scenario.filename().string()) {
      TempDir dir;
      const auto out = dir / "run.h5";
      const int days = days_for(scenario);
      const auto r = run(dir, {"run", scenario.string(), "-o", out.string(), "--set", "population.residents=2000",
                               "--set", "population.neighbourhoods=10", "--set",
                               "simulation.days=" + std::to_string(days), "--replicates", "1", "--quiet"});
      INFO(r.err);
      REQUIRE(r.code == 0);
      REQUIRE(fs::exists(out));
      CHECK_FALSE(trustsim::test::has_partial(out));

      H5 f(out);
      REQUIRE(f.id >= 0);
      CHECK(int_attribute(f.id, "complete") == 1);
      CHECK(string_attribute(f.id, "format") == "trustsim-run");
      CHECK(string_attribute(f.id, "format_version").rfind("2.", 0) == 0);
      CHECK(int_attribute(f.id, "days") == days);
      CHECK(int_attribute(f.id, "replicates") == 1);
      CHECK(string_attribute(f.id, "scenario_name") == trustsim::load_scenario(scenario.string()).name);
      for (const auto& row : doc.at("Root attributes").rows) {
        INFO("root attribute " << row[0]);
        REQUIRE(has_attribute(f.id, row[0]));
        CHECK(attribute_class(f.id, row[0]) == (row.at(1) == "int64" ? H5T_INTEGER : H5T_STRING));
      }

      const auto ds = datasets(dir, out);
      auto size_of = [&](const std::string& path) -> std::size_t {
        auto it = ds.find(path);
        return it == ds.end() || it->second.size() != 1 ? 0 : it->second[0];
      };
      const std::size_t R = 1, D = static_cast<std::size_t>(days), S = size_of("/snapshots/day"),
                        N = size_of("/neighbourhoods/x");
      CHECK(N == 10);
      CHECK(S >= 1);

      for (const std::string group :
           {"/scenario", "/axes", "/series", "/detentions", "/neighbourhoods", "/snapshots"}) {
        const Table& t = doc.at(group);
        const int dims_col = t.column("dims"), shape_col = t.column("shape"), dtype_col = t.column("dtype");
        for (const auto& row : t.rows) {
          const std::string path = group + "/" + row[0];
          INFO(path);
          REQUIRE(ds.count(path) == 1);
          const auto& shape = ds.at(path);
          if (dtype_col >= 0) CHECK(dtype(f.id, path) == row.at(static_cast<std::size_t>(dtype_col)));
          if (dims_col >= 0) {
            const std::string documented = row.at(static_cast<std::size_t>(dims_col));
            const auto names = split(documented, ',');
            REQUIRE(shape.size() == names.size());
            for (std::size_t k = 0; k < names.size(); ++k) {
              INFO("axis " << names[k]);
              const std::size_t expected = names[k] == "replicate" ? R
                                           : names[k] == "day"     ? D
                                                                   : size_of("/axes/" + names[k]);
              CHECK(expected > 0);
              CHECK(shape[k] == expected);
            }
            CHECK(dataset_string_attribute(f.id, path, "dims") == documented);
            CHECK(dataset_string_attribute(f.id, path, "units") != "<missing>");
            CHECK(dataset_string_attribute(f.id, path, "meaning") != "<missing>");
          } else if (shape_col >= 0) {
            const std::string documented = row.at(static_cast<std::size_t>(shape_col));
            if (documented == "scalar") {
              CHECK(shape.empty());
            } else {
              std::vector<std::size_t> expected;
              for (auto letter : split(documented.substr(1, documented.size() - 2), ','))
                expected.push_back(letter == "R" ? R : letter == "D" ? D : letter == "S" ? S : letter == "N" ? N : 0);
              CHECK(shape == expected);
            }
          } else {
            CHECK(shape.size() == 1);  // /axes, /detentions and /neighbourhoods are 1-D
          }
          if (group == "/detentions") {
            CHECK(dtype(f.id, path) == "int64");
            CHECK(shape == ds.at("/detentions/replicate"));
          }
          if (group == "/neighbourhoods") CHECK(shape == std::vector<std::size_t>{N});
        }
        // Nothing in the file that the page does not document.
        for (const auto& entry : ds) {
          const std::string& name = entry.first;
          if (name.rfind(group + "/", 0) != 0) continue;
          const auto leaf = name.substr(group.size() + 1);
          CAPTURE(name);
          // A group's dimension scales are documented once, as dimensions: an axis, or a row index.
          const bool dimension = is_scale(f.id, name) && (ds.count("/axes/" + leaf) == 1 || leaf == "replicate" ||
                                                          leaf == "detention" || leaf == "neighbourhood");
          CHECK((dimension ||
                 std::any_of(t.rows.begin(), t.rows.end(), [&](const auto& row) { return row[0] == leaf; })));
        }
      }
      const auto sc = trustsim::load_scenario(scenario.string());
      CHECK(size_of("/axes/jurisdiction") == sc.jurisdictions.size());
      CHECK(size_of("/axes/day") == D);
      CHECK(ds.at("/axes/policy_change_day") == std::vector<std::size_t>{sc.schedule.size()});
    }
  }
}

TEST_CASE("cli: runs are reproducible: same seed and any thread count give the same series, another seed differs",
          "[cli][determinism]") {
  TempDir dir;
  const auto scenario = (kSource / "scenarios" / "patchwork.yaml").string();
  const std::vector<std::string> size = {
      "--set",  "population.residents=20000", "--set",        "population.neighbourhoods=20",
      "--set",  "simulation.days=60",         "--replicates", "2",
      "--quiet"};
  auto make = [&](const std::string& name, const std::vector<std::string>& extra) {
    const auto out = dir / name;
    const auto r = run(dir, concat(concat({"run", scenario, "-o", out.string()}, size), extra));
    INFO(r.err);
    REQUIRE(r.code == 0);
    return out.string();
  };
  const auto a = make("a.h5", {"--seed", "11", "--threads", "1"});
  const auto b = make("b.h5", {"--seed", "11", "--threads", "1"});
  const auto c = make("c.h5", {"--seed", "11", "--threads", "2"});
  const auto d = make("d.h5", {"--seed", "12", "--threads", "2"});
  auto diff = [&](const std::string& x, const std::string& y, const std::string& group) {
    return run(dir, {"-q", x, y, group, group}, "h5diff").code;
  };
  CHECK(diff(a, b, "/series") == 0);
  CHECK(diff(a, b, "/detentions") == 0);
  CHECK(diff(a, b, "/snapshots") == 0);
  CHECK(diff(a, c, "/series") == 0);
  CHECK(diff(a, c, "/detentions") == 0);
  CHECK(diff(a, c, "/snapshots") == 0);
  CHECK(diff(a, d, "/series") == 1);
}
