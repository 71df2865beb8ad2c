#include "sweep/run_store.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>

#include "core/build_info.hpp"
#include "output/h5file.hpp"
#include "output/output_file.hpp"

namespace trustsim {
namespace fs = std::filesystem;

namespace {

std::string definition_path(const std::string& outdir) { return (fs::path(outdir) / "definition.h5").string(); }

std::string checksum_text(hid_t file, const std::string& sweep_hash, std::int64_t index, std::int64_t status,
                          const std::string& error) {
  char text[24];
  const std::uint64_t h =
      h5::content_hash(file, sweep_hash + "\n" + std::to_string(index) + "\n" + std::to_string(status) + "\n" + error);
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return text;
}

// The hash of the sweep whose run files are in `outdir`/runs, other than `hash`, if any
// (a few files are enough: a folder holds one sweep's runs).
std::string other_sweep_in(const std::string& outdir, const std::string& hash) {
  std::error_code ec;
  int looked = 0;
  for (fs::recursive_directory_iterator it(fs::path(outdir) / "runs", ec), end; !ec && it != end; it.increment(ec)) {
    const auto& e = *it;
    if (it.depth() > 1) it.disable_recursion_pending();
    if (e.path().extension() != ".h5") continue;
    try {
      h5::Handle f = h5::open_file(e.path().string(), false);
      std::string there = h5::get_string_attribute(f.id(), "sweep_hash");
      if (there != hash) return there;
    } catch (const h5::Error&) {}
    if (++looked == 20) break;
  }
  return "";
}

void check_format(hid_t file, const std::string& path, const char* format) {
  std::string found;
  try {
    found = h5::get_string_attribute(file, "format");
  } catch (const h5::Error&) { throw std::runtime_error(path + ": not a trustsim file (no format attribute)"); }
  if (found != format) throw std::runtime_error(path + ": a '" + found + "' file, expected '" + format + "'");
  const std::string version = h5::get_string_attribute(file, "format_version");
  if (version.substr(0, version.find('.')) != std::string(kSweepStoreVersion).substr(0, 1))
    throw std::runtime_error(path + ": format version " + version + ", this trustsim reads " + kSweepStoreVersion);
}

}  // namespace

void record_definition(const SweepSpec& sweep, const std::string& outdir) {
  std::error_code ec;
  fs::create_directories(fs::path(outdir) / "runs", ec);
  if (ec) throw std::runtime_error("cannot create " + (fs::path(outdir) / "runs").string() + ": " + ec.message());
  const std::string path = definition_path(outdir);
  if (!fs::exists(path)) {
    if (const std::string other = other_sweep_in(outdir, sweep.hash); !other.empty())
      throw std::runtime_error(outdir + " has no definition.h5 but holds runs of another sweep (definition " + other +
                               "; this is '" + sweep.name + "', definition " + sweep.hash +
                               "): choose another output folder");
  }
  if (fs::exists(path)) {
    const SweepSpec there = read_definition(outdir);
    if (there.hash != sweep.hash)
      throw std::runtime_error(outdir + " holds another sweep ('" + there.name + "', definition " + there.hash +
                               "; this is '" + sweep.name + "', definition " + sweep.hash +
                               "): choose another output folder");
    return;
  }
  // Shards starting together write the same definition, each to its own partial file; any
  // one's rename wins.
  OutputFile out(path);
  try {
    h5::set_attribute(out.id(), "format", kSweepDefinitionFormat);
    h5::set_attribute(out.id(), "format_version", kSweepStoreVersion);
    h5::set_attribute(out.id(), "sweep_hash", sweep.hash);
    h5::set_attribute(out.id(), "software_version", TRUSTSIM_VERSION);
    write_definition_texts(out.id(), sweep);
  } catch (const h5::Error& e) { throw out.failure(e.what()); }
  out.commit();
}

SweepSpec read_definition(const std::string& outdir) {
  const std::string path = definition_path(outdir);
  if (!fs::exists(path)) throw std::runtime_error(outdir + " is not a sweep folder (no definition.h5)");
  std::string file, text;
  std::map<std::string, std::string> scenarios;
  std::string hash;
  try {
    h5::Handle f = h5::open_file(path, false);
    check_format(f.id(), path, kSweepDefinitionFormat);
    hash = h5::get_string_attribute(f.id(), "sweep_hash");
    file = h5::read_string(f.id(), "file");
    text = h5::read_string(f.id(), "yaml");
    auto paths = h5::read_strings(f.id(), "scenario_paths");
    auto texts = h5::read_strings(f.id(), "scenario_yaml");
    for (std::size_t i = 0; i < paths.size() && i < texts.size(); ++i) scenarios[paths[i]] = texts[i];
  } catch (const h5::Error& e) { throw std::runtime_error(path + ": unreadable (" + e.what() + ")"); }
  SweepSpec sw = load_sweep_text(text, file, [&](const std::string& p) {
    auto it = scenarios.find(p);
    if (it == scenarios.end()) throw std::runtime_error("not recorded in " + path);
    return it->second;
  });
  if (sw.hash != hash) throw std::runtime_error(path + ": the recorded definition does not match its hash");
  return sw;
}

void write_definition_texts(hid_t group, const SweepSpec& sweep) {
  h5::write_string(group, "file", sweep.file);
  h5::write_string(group, "yaml", sweep.text);
  std::vector<std::string> paths, texts;
  for (const auto& s : sweep.scenarios) {
    paths.push_back(s.path);
    texts.push_back(s.text);
  }
  h5::write_strings(group, "scenario_paths", paths);
  h5::write_strings(group, "scenario_yaml", texts);
}

std::string run_path(const std::string& outdir, const RunKey& key) {
  char name[64];
  std::snprintf(name, sizeof name, "p%06lld-s%02lld-r%04lld.h5", static_cast<long long>(key.point),
                static_cast<long long>(key.scenario), static_cast<long long>(key.replicate));
  fs::path folder = fs::path(outdir) / "runs";
  if (key.runs > kRunsPerFolder) {
    // A large sweep: runs/b00012/ holds runs 12000-12999, so no folder holds more than
    // kRunsPerFolder run files (file systems and `ls` slow down on huge folders). Made
    // here, once per folder and harmlessly again; a failure shows when the run is written.
    char block[32];
    std::snprintf(block, sizeof block, "b%05lld", static_cast<long long>(key.index / kRunsPerFolder));
    folder /= block;
    std::error_code ec;
    fs::create_directories(folder, ec);
  }
  return (folder / name).string();
}

void write_run(const SweepSpec& sweep, const std::string& outdir, const RunKey& key, const RunSummary* summary,
               const std::string& error, double wall_seconds) {
  OutputFile out(run_path(outdir, key), false);  // the executor cleans the runs folder once
  try {
    const hid_t f = out.id();
    const auto status = static_cast<std::int64_t>(summary ? RunStatus::ok : RunStatus::failed);
    h5::set_attribute(f, "format", kSweepRunFormat);
    h5::set_attribute(f, "format_version", kSweepStoreVersion);
    h5::set_attribute(f, "sweep_hash", sweep.hash);
    h5::set_attribute(f, "git_revision", std::string(git_revision()));
    h5::set_attribute(f, "run_index", key.index);
    h5::set_attribute(f, "status", status);
    h5::set_attribute(f, "error", error);
    h5::set_double_attribute(f, "wall_seconds", wall_seconds);
    if (summary) {
      h5::write(f, "outputs", {summary->outputs.size()}, summary->outputs);
      const auto& specs = summary_series_specs();
      for (std::size_t k = 0; k < specs.size(); ++k)
        h5::write(f, specs[k].name, {summary->series[k].size()}, summary->series[k]);
    }
    h5::set_attribute(f, "checksum", checksum_text(f, sweep.hash, key.index, status, error));
    h5::set_attribute(f, "complete", std::int64_t{1});
  } catch (const h5::Error& e) { throw out.failure(e.what()); }
  out.commit(false);  // no fsync: a file a crash leaves half-written fails its checksum and is run again
}

std::optional<StoredRun> read_run(const std::string& path, std::int64_t index, bool with_summary) {
  if (!fs::exists(path)) return std::nullopt;
  StoredRun r;
  try {
    h5::Handle f = h5::open_file(path, false);
    check_format(f.id(), path, kSweepRunFormat);
    if (h5::get_int_attribute(f.id(), "complete") != 1) throw BadRunFile(path + ": incomplete");
    r.sweep_hash = h5::get_string_attribute(f.id(), "sweep_hash");
    r.git_revision = h5::get_string_attribute(f.id(), "git_revision");
    const std::int64_t status = h5::get_int_attribute(f.id(), "status");
    r.status = static_cast<RunStatus>(status);
    r.error = h5::get_string_attribute(f.id(), "error");
    r.wall_seconds = h5::get_double_attribute(f.id(), "wall_seconds");
    const std::int64_t stored_index = h5::get_int_attribute(f.id(), "run_index");
    if (!h5::attribute_exists(f.id(), "checksum"))
      throw BadRunFile(path + ": has no checksum (written by an older trustsim)");
    if (h5::get_string_attribute(f.id(), "checksum") !=
        checksum_text(f.id(), r.sweep_hash, stored_index, status, r.error))
      throw BadRunFile(path + ": damaged (its checksum does not match its data)");
    if (index >= 0 && stored_index != index)
      throw BadRunFile(path + ": holds run " + std::to_string(stored_index) + ", not run " + std::to_string(index) +
                       " (a file moved or copied to another run's name)");
    if (with_summary && r.status == RunStatus::ok) {
      r.summary.outputs = h5::read_doubles(f.id(), "outputs");
      if (r.summary.outputs.size() != output_specs().size())
        throw BadRunFile(path + ": written by a trustsim with other outputs");
      for (const auto& spec : summary_series_specs()) r.summary.series.push_back(h5::read_doubles(f.id(), spec.name));
    }
  } catch (const h5::Error& e) {
    throw BadRunFile(path + ": not a readable sweep run (" + e.what() + ")");
  } catch (const BadRunFile&) { throw; } catch (const std::runtime_error& e) {
    throw BadRunFile(e.what());
  }
  return r;
}

std::string move_aside(const std::string& outdir, const std::string& path) {
  const fs::path bad = fs::path(outdir) / "bad";
  std::error_code ec;
  fs::create_directories(bad, ec);
  char stamp[32];
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  std::string to =
      (bad / (fs::path(path).filename().string() + "." + stamp + "." + std::to_string(::getpid()))).string();
  if (::rename(path.c_str(), to.c_str()) != 0 && errno != ENOENT)
    throw std::runtime_error("cannot move the bad run file " + path + " to " + to + ": " +
                             write_failure_cause(to, errno));
  return to;
}

}  // namespace trustsim
