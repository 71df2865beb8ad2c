#include "output/run_file.hpp"

#include <chrono>
#include <ctime>
#include <sstream>

#include "core/build_info.hpp"
#include "core/types.hpp"

namespace trustsim {
namespace {

std::string now_iso8601() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

template <std::size_t N>
std::vector<std::string> names(const std::array<std::string_view, N>& a) {
  return {a.begin(), a.end()};
}

std::string dims_text(const SeriesSpec& spec) {
  std::string s = "replicate,day";
  for (Axis a : spec.axes) s += "," + std::string(kAxisNames[static_cast<std::size_t>(a)]);
  return s;
}

// Per-detention columns, in file order.
struct Column {
  const char* name;
  std::int64_t DetentionRow::*field;
  const char* meaning;
};
const Column kDetentionColumns[] = {
    {"day", &DetentionRow::day, "day of the detention"},
    {"resident", &DetentionRow::resident, "resident id (within its replicate)"},
    {"household", &DetentionRow::household, "household id"},
    {"neighbourhood", &DetentionRow::neighbourhood, "neighbourhood id"},
    {"jurisdiction", &DetentionRow::jurisdiction, "index into /axes/jurisdiction"},
    {"pathway", &DetentionRow::pathway, "index into /axes/pathway"},
    {"status", &DetentionRow::status, "index into /axes/status"},
    {"record", &DetentionRow::record, "index into /axes/record"},
    {"outcome", &DetentionRow::outcome, "0 pending, 1 removed, 2 released"},
    {"outcome_day", &DetentionRow::outcome_day, "day of the hearing, -1 if pending"},
};

}  // namespace

RunFile::RunFile(std::string path) : out_(std::move(path)) {
  try {
    h5::set_attribute(out_.id(), "format", std::string(kRunFormat));
    h5::set_attribute(out_.id(), "complete", std::int64_t{0});
  } catch (const h5::Error& e) { throw out_.failure(e.what()); }
}

void RunFile::write(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov) {
  try {
    write_contents(sc, reps, prov);
  } catch (const h5::Error& e) { throw out_.failure(e.what()); }
}

void RunFile::write_contents(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov) {
  const hid_t f = out_.id();
  const auto R = reps.size();
  const auto D = static_cast<std::size_t>(sc.days());
  h5::set_attribute(f, "format_version", std::string(kRunFormatVersion));
  h5::set_attribute(f, "software_version", std::string(TRUSTSIM_VERSION));
  h5::set_attribute(f, "git_revision", std::string(git_revision()));
  h5::set_attribute(f, "seed", static_cast<std::int64_t>(prov.seed));
  h5::set_attribute(f, "created", now_iso8601());
  h5::set_attribute(f, "threads", static_cast<std::int64_t>(prov.threads));
  h5::set_attribute(f, "command_line", prov.command_line);
  h5::set_attribute(f, "scenario_name", sc.name);
  h5::set_attribute(f, "scenario_file", sc.source_file);
  h5::set_attribute(f, "replicates", static_cast<std::int64_t>(R));
  h5::set_attribute(f, "days", static_cast<std::int64_t>(D));

  auto scenario = h5::create_group(f, "scenario");
  h5::write_string(scenario.id(), "resolved_yaml", sc.resolved_yaml());

  auto axes = h5::create_group(f, "axes");
  std::vector<std::string> jurisdictions;
  for (const auto& j : sc.jurisdictions) jurisdictions.push_back(j.name);
  h5::write_strings(axes.id(), "group", names(kGroupNames));
  h5::write_strings(axes.id(), "jurisdiction", jurisdictions);
  h5::write_strings(axes.id(), "crime_type", names(kCrimeTypeNames));
  h5::write_strings(axes.id(), "pathway", names(kPathwayNames));
  h5::write_strings(axes.id(), "record", names(kRecordNames));
  h5::write_strings(axes.id(), "status", names(kStatusNames));
  h5::write_strings(axes.id(), "task", names(kTaskNames));
  h5::write_strings(axes.id(), "operation", names(kOperationNames));
  h5::write(axes.id(), "quantile", {kQuantiles.size()}, std::vector<double>(kQuantiles.begin(), kQuantiles.end()));
  std::vector<std::int64_t> days(D), change_day, change_jur;
  for (std::size_t d = 0; d < D; ++d) days[d] = static_cast<std::int64_t>(d);
  h5::write(axes.id(), "day", {D}, days);
  std::vector<std::string> change_label;
  for (const auto& c : sc.schedule) {
    change_day.push_back(c.day);
    change_jur.push_back(c.jurisdiction);
    change_label.push_back(c.label);
  }
  h5::write(axes.id(), "policy_change_day", {change_day.size()}, change_day);
  h5::write(axes.id(), "policy_change_jurisdiction", {change_jur.size()}, change_jur);
  h5::write_strings(axes.id(), "policy_change_label", change_label);

  auto series = h5::create_group(f, "series");
  const auto& specs = series_specs();
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const auto id = static_cast<SeriesId>(s);
    std::vector<std::size_t> dims = {R, D};
    for (auto v : reps.front().series.shape(id)) dims.push_back(v);
    std::vector<double> all;
    for (const auto& r : reps) all.insert(all.end(), r.series.data(id).begin(), r.series.data(id).end());
    const std::string name(specs[s].name);
    if (specs[s].kind == Kind::count)
      h5::write(series.id(), name, dims, std::vector<std::int64_t>(all.begin(), all.end()));
    else
      h5::write(series.id(), name, dims, all);
    h5::Handle ds(H5Dopen2(series.id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    h5::set_attribute(ds.id(), "units", std::string(specs[s].units));
    h5::set_attribute(ds.id(), "meaning", std::string(specs[s].meaning));
    h5::set_attribute(ds.id(), "dims", dims_text(specs[s]));
  }

  auto det = h5::create_group(f, "detentions");
  std::vector<std::int64_t> rep_col;
  for (std::size_t r = 0; r < R; ++r)
    rep_col.insert(rep_col.end(), reps[r].detentions.size(), static_cast<std::int64_t>(r));
  h5::write(det.id(), "replicate", {rep_col.size()}, rep_col);
  for (const auto& col : kDetentionColumns) {
    std::vector<std::int64_t> v;
    for (const auto& r : reps)
      for (const auto& row : r.detentions) v.push_back(row.*col.field);
    h5::write(det.id(), col.name, {v.size()}, v);
  }

  const auto& info = reps.front().neighbourhoods;
  const auto N = info.x.size();
  auto nb = h5::create_group(f, "neighbourhoods");
  h5::write(nb.id(), "jurisdiction", {N}, info.jurisdiction);
  h5::write(nb.id(), "x", {N}, info.x);
  h5::write(nb.id(), "y", {N}, info.y);
  h5::write(nb.id(), "residents", {N}, info.residents);
  h5::write(nb.id(), "immigrant_origin_share", {N}, info.immigrant_origin_share);

  auto snap = h5::create_group(f, "snapshots");
  const auto& first = reps.front().snapshots;
  const std::size_t S = first.days.size();
  h5::write(snap.id(), "day", {S}, first.days);
  const std::pair<const char*, std::vector<double> Snapshots::*> fields[] = {
      {"trust_mean", &Snapshots::trust_mean},
      {"fear_mean", &Snapshots::fear_mean},
      {"reporting_rate", &Snapshots::reporting_rate}};
  for (const auto& [name, field] : fields) {
    std::vector<double> all;
    for (const auto& r : reps) all.insert(all.end(), (r.snapshots.*field).begin(), (r.snapshots.*field).end());
    h5::write(snap.id(), name, {R, S, N}, all);
  }
}

void RunFile::commit() {
  // Everything on disk first, still marked incomplete; then the mark, a checked close and a
  // sync; then the rename. A failure at any step (a full disk, a size limit) throws, and the
  // destructor deletes the partial file: the final name only ever holds a complete file.
  if (H5Fflush(out_.id(), H5F_SCOPE_GLOBAL) < 0) throw out_.failure("HDF5 cannot flush it");
  try {
    h5::set_attribute(out_.id(), "complete", std::int64_t{1});
  } catch (const h5::Error& e) { throw out_.failure(e.what()); }
  out_.commit();
}

std::string output_format_markdown() {
  std::ostringstream os;
  os << "# Output format: `" << kRunFormat << "` version " << kRunFormatVersion << "\n\n"
     << "Generated by `trustsim output-format` from the declarations the writer uses "
        "(`sim/output/series.hpp`, `sim/output/run_file.cpp`); do not edit by hand. Readers must check "
        "`format` and the major part of `format_version`, and refuse files whose `complete` is not 1.\n\n"
     << "A run is written to `<output>.partial.<host>.<pid>` and renamed to `<output>` only when complete.\n\n"
     << "## Root attributes\n\n| name | type | meaning |\n|---|---|---|\n"
     << "| `format` | string | `" << kRunFormat << "` |\n"
     << "| `format_version` | string | `MAJOR.MINOR`; a new major version breaks readers |\n"
     << "| `software_version` | string | trustsim version |\n"
     << "| `git_revision` | string | source revision of the build; `-dirty` appended when the checkout had "
        "uncommitted changes |\n"
     << "| `command_line` | string | the command that wrote the file, shell-quoted |\n"
     << "| `seed` | int64 | scenario seed (replicate r uses a seed derived from it and r) |\n"
     << "| `created` | string | UTC time the file was written, ISO 8601 |\n"
     << "| `threads` | int64 | threads the run used (results do not depend on it) |\n"
     << "| `complete` | int64 | 1 once the run finished and the file was closed |\n"
     << "| `scenario_name` | string | the scenario's `name` |\n"
     << "| `scenario_file` | string | path of the scenario file |\n"
     << "| `replicates` | int64 | R, the leading dimension of every series |\n"
     << "| `days` | int64 | D, the day dimension |\n\n"
     << "## /scenario\n\n| name | shape | dtype | meaning |\n|---|---|---|---|\n"
     << "| `resolved_yaml` | scalar | string | the scenario with every default written out; `trustsim run` accepts it "
        "back |\n\n"
     << "## /axes\n\nLabels of each axis, 1-D.\n\n| name | dtype | values |\n|---|---|---|\n";
  auto join = [](auto const& a) {
    std::string s;
    for (const auto& v : a) s += (s.empty() ? "" : ", ") + std::string(v);
    return s;
  };
  os << "| `group` | string | " << join(kGroupNames)
     << " (index 4, `mixed_status`, is an overlay: its members are also counted in their own group; never sum over all "
        "five) |\n"
     << "| `jurisdiction` | string | the scenario's jurisdictions |\n"
     << "| `crime_type` | string | " << join(kCrimeTypeNames) << " |\n"
     << "| `pathway` | string | " << join(kPathwayNames) << " |\n"
     << "| `record` | string | " << join(kRecordNames) << " |\n"
     << "| `status` | string | " << join(kStatusNames) << " |\n"
     << "| `task` | string | " << join(kTaskNames) << " |\n"
     << "| `operation` | string | " << join(kOperationNames) << " |\n"
     << "| `quantile` | float64 | 0.1, 0.25, 0.5, 0.75, 0.9 |\n"
     << "| `day` | int64 | 0 .. D-1 |\n"
     << "| `policy_change_day` | int64 | day of each scheduled policy change (may be empty) |\n"
     << "| `policy_change_jurisdiction` | int64 | index into `jurisdiction`, per change |\n"
     << "| `policy_change_label` | string | preset (or `custom`) the change applies, per change |\n\n"
     << "## /series\n\nDaily series. Every dataset has attributes `units`, `meaning` and `dims` (the axis names, "
        "comma-separated). Shapes start with (R, D). Reporting rate = reports / victimisations; clearance rate "
        "= cleared / reports; the dark figure = victimisations - reports.\n\n"
     << "| name | dims | dtype | units | meaning |\n|---|---|---|---|---|\n";
  for (const auto& s : series_specs())
    os << "| `" << s.name << "` | " << dims_text(s) << " | " << (s.kind == Kind::count ? "int64" : "float64") << " | "
       << s.units << " | " << s.meaning << " |\n";
  os << "\n## /detentions\n\nOne row per detention; 1-D int64 columns of equal length.\n\n| name | meaning "
        "|\n|---|---|\n"
     << "| `replicate` | replicate index |\n";
  for (const auto& c : kDetentionColumns) os << "| `" << c.name << "` | " << c.meaning << " |\n";
  os << "\n## /neighbourhoods\n\nOne row per neighbourhood (from replicate 0; the layout is the same in every "
        "replicate).\n\n"
     << "| name | dtype | meaning |\n|---|---|---|\n"
     << "| `jurisdiction` | int64 | index into /axes/jurisdiction |\n"
     << "| `x` | float64 | grid column |\n| `y` | float64 | grid row |\n"
     << "| `residents` | int64 | residents at the start |\n"
     << "| `immigrant_origin_share` | float64 | share of residents in immigrant-origin households |\n"
     << "\n## /snapshots\n\nNeighbourhood maps at the end of chosen days (every `output.snapshot_every_days` and the "
        "last day).\n\n"
     << "| name | shape | dtype | meaning |\n|---|---|---|---|\n"
     << "| `day` | (S) | int64 | snapshot days |\n"
     << "| `trust_mean` | (R, S, N) | float64 | mean trust of residents present |\n"
     << "| `fear_mean` | (R, S, N) | float64 | mean fear of residents present |\n"
     << "| `reporting_rate` | (R, S, N) | float64 | share of the neighbourhood's victimisations reported over the last "
        "`output.reporting_window_days` days (NaN if none) |\n";
  return os.str();
}

}  // namespace trustsim
