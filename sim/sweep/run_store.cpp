#include "sweep/run_store.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "output/h5file.hpp"

namespace trustsim {
namespace fs = std::filesystem;

namespace {

std::string definition_path(const std::string& outdir) { return (fs::path(outdir) / "definition.h5").string(); }

// A temporary name no other process uses, beside the destination.
std::string private_partial(const std::string& path) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return path + ".partial." + host + "." + std::to_string(getpid());
}

void rename_into_place(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    fs::remove(from, ec);
    throw std::runtime_error("cannot move " + from + " to " + to + ": " + ec.message());
  }
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
  if (fs::exists(path)) {
    const SweepSpec there = read_definition(outdir);
    if (there.hash != sweep.hash)
      throw std::runtime_error(outdir + " holds another sweep ('" + there.name + "', definition " + there.hash +
                               "; this is '" + sweep.name + "', definition " + sweep.hash +
                               "): choose another output folder");
    return;
  }
  const std::string partial = private_partial(path);
  {
    h5::Handle f = h5::create_file(partial);
    h5::set_attribute(f.id(), "format", kSweepDefinitionFormat);
    h5::set_attribute(f.id(), "format_version", kSweepStoreVersion);
    h5::set_attribute(f.id(), "sweep_hash", sweep.hash);
    h5::set_attribute(f.id(), "software_version", TRUSTSIM_VERSION);
    write_definition_texts(f.id(), sweep);
  }
  rename_into_place(partial, path);  // shards starting together write the same bytes; any one wins
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
  return (fs::path(outdir) / "runs" / name).string();
}

void write_run(const SweepSpec& sweep, const std::string& outdir, const RunKey& key, const RunSummary* summary,
               const std::string& error, double wall_seconds) {
  const std::string path = run_path(outdir, key), partial = path + ".partial";
  {
    h5::Handle f = h5::create_file(partial);
    h5::set_attribute(f.id(), "format", kSweepRunFormat);
    h5::set_attribute(f.id(), "format_version", kSweepStoreVersion);
    h5::set_attribute(f.id(), "sweep_hash", sweep.hash);
    h5::set_attribute(f.id(), "git_revision", TRUSTSIM_GIT_REVISION);
    h5::set_attribute(f.id(), "run_index", key.index);
    h5::set_attribute(f.id(), "status", static_cast<std::int64_t>(summary ? RunStatus::ok : RunStatus::failed));
    h5::set_attribute(f.id(), "error", error);
    h5::set_double_attribute(f.id(), "wall_seconds", wall_seconds);
    if (summary) {
      h5::write(f.id(), "outputs", {summary->outputs.size()}, summary->outputs);
      const auto& specs = summary_series_specs();
      for (std::size_t k = 0; k < specs.size(); ++k)
        h5::write(f.id(), specs[k].name, {summary->series[k].size()}, summary->series[k]);
    }
    h5::set_attribute(f.id(), "complete", std::int64_t{1});
  }
  rename_into_place(partial, path);
}

std::optional<StoredRun> read_run(const std::string& path, bool with_summary) {
  if (!fs::exists(path)) return std::nullopt;
  StoredRun r;
  try {
    h5::Handle f = h5::open_file(path, false);
    check_format(f.id(), path, kSweepRunFormat);
    if (h5::get_int_attribute(f.id(), "complete") != 1) throw std::runtime_error(path + ": incomplete");
    r.sweep_hash = h5::get_string_attribute(f.id(), "sweep_hash");
    r.git_revision = h5::get_string_attribute(f.id(), "git_revision");
    r.status = static_cast<RunStatus>(h5::get_int_attribute(f.id(), "status"));
    r.error = h5::get_string_attribute(f.id(), "error");
    r.wall_seconds = h5::get_double_attribute(f.id(), "wall_seconds");
    if (with_summary && r.status == RunStatus::ok) {
      r.summary.outputs = h5::read_doubles(f.id(), "outputs");
      if (r.summary.outputs.size() != output_specs().size())
        throw std::runtime_error(path + ": written by a trustsim with other outputs");
      for (const auto& spec : summary_series_specs()) r.summary.series.push_back(h5::read_doubles(f.id(), spec.name));
    }
  } catch (const h5::Error& e) { throw std::runtime_error(path + ": not a readable sweep run (" + e.what() + ")"); }
  return r;
}

}  // namespace trustsim
