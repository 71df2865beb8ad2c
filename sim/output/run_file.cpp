#include "output/run_file.hpp"

#include <chrono>
#include <ctime>
#include <sstream>

#include "core/build_info.hpp"
#include "core/types.hpp"
#include "output/dimensions.hpp"

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
    {"charge", &DetentionRow::charge,
     "index into /axes/charge: the booking charge that led to the detention (none: no booking)"},
    {"status", &DetentionRow::status, "index into /axes/status"},
    {"record", &DetentionRow::record, "index into /axes/record"},
    {"outcome", &DetentionRow::outcome, "outcome of the hearing: 0 pending, 1 removed, 2 released"},
    {"outcome_day", &DetentionRow::outcome_day, "day of the hearing, -1 if pending"},
};

std::vector<std::string> dim_names(const SeriesSpec& spec) {
  std::vector<std::string> out = {"replicate", "day"};
  for (Axis a : spec.axes) out.emplace_back(kAxisNames[static_cast<std::size_t>(a)]);
  return out;
}

// The labels, units and meaning of an axis, in /axes and as a dimension of /series. A new
// Axis needs its case here (the switch has no default, so the compiler says so).
h5::Dimension axis_dimension(Axis a, const Scenario& sc, std::size_t R, std::size_t D) {
  h5::Dimension d{std::string(kAxisNames[static_cast<std::size_t>(a)]), "", "", {}, {}, {}};
  switch (a) {
    case Axis::replicate: return h5::Dimension::positions(d.name, R, "replicate index");
    case Axis::day:
      d = h5::Dimension::positions(d.name, D, "day of the run, from 0");
      d.units = "day";
      return d;
    case Axis::jurisdiction:
      for (const auto& j : sc.jurisdictions) d.text.push_back(j.name);
      d.meaning = "the scenario's jurisdictions";
      return d;
    case Axis::group:
      d.text = names(kGroupNames);
      d.meaning =
          "reporting group; mixed_status and mixed_status_citizen are overlays (their members are also in their own "
          "group)";
      return d;
    case Axis::crime_type: d.text = names(kCrimeTypeNames), d.meaning = "crime type"; return d;
    case Axis::pathway: d.text = names(kPathwayNames), d.meaning = "how a detained person came to ICE"; return d;
    case Axis::record: d.text = names(kRecordNames), d.meaning = "criminal record"; return d;
    case Axis::status: d.text = names(kStatusNames), d.meaning = "immigration status"; return d;
    case Axis::task: d.text = names(kTaskNames), d.meaning = "local officers' task"; return d;
    case Axis::operation: d.text = names(kOperationNames), d.meaning = "kind of joint operation"; return d;
    case Axis::charge:
      d.text = names(kChargeNames), d.meaning = "booking charge that led to a detention (none: no booking)";
      return d;
    case Axis::docket: d.text = names(kDocketNames), d.meaning = "immigration-court docket"; return d;
    case Axis::quantile:
      d.reals.assign(kQuantiles.begin(), kQuantiles.end());
      d.meaning = "probability of the quantile";
      return d;
  }
  return d;
}

const char* const kOutcomeNames[] = {"pending", "removed", "released"};  // Outcome's codes

h5::Dimension outcome_dimension() {
  return h5::Dimension{
      "outcome", "", "outcome of a detention's hearing", {std::begin(kOutcomeNames), std::end(kOutcomeNames)}, {}, {}};
}

// /axes/policy_change_*: one entry per scheduled change, along the dimension policy_change.
void write_policy_changes(hid_t axes, const Scenario& sc) {
  std::vector<std::int64_t> change_day, change_jur;
  std::vector<std::string> change_label;
  for (const auto& c : sc.schedule) {
    change_day.push_back(c.day);
    change_jur.push_back(c.jurisdiction);
    change_label.push_back(c.label);
  }
  const auto C = change_day.size();
  h5::write_dimension(axes, h5::Dimension::positions("policy_change", C, "scheduled policy change"));
  h5::write(axes, "policy_change_day", {C}, change_day);
  h5::write(axes, "policy_change_jurisdiction", {C}, change_jur);
  h5::write_strings(axes, "policy_change_label", change_label);
  h5::describe(axes, "policy_change_day", "day", "day the change takes effect");
  h5::describe(axes, "policy_change_jurisdiction", "", "index into /axes/jurisdiction");
  h5::describe(axes, "policy_change_label", "", "preset (or custom) the change applies");
  for (const char* n : {"policy_change_day", "policy_change_jurisdiction", "policy_change_label"})
    h5::attach_dimensions(axes, n, {"policy_change"});
}

// A /detentions column: along the rows; a day in "day" units; a column named like an axis
// (or `outcome`) holds codes, which its flag attributes name.
void describe_column(hid_t det, const std::string& name, const std::string& meaning, const Scenario& sc, std::size_t R,
                     std::size_t D) {
  const bool is_day = name == "day" || (name.size() > 4 && name.compare(name.size() - 4, 4, "_day") == 0);
  h5::describe(det, name, is_day ? "day" : "", meaning);
  h5::attach_dimensions(det, name, {"detention"});
  if (name == "outcome") h5::describe_codes(det, name, outcome_dimension().text);
  for (std::size_t a = 0; a < kAxisNames.size(); ++a)
    if (kAxisNames[a] == name && static_cast<Axis>(a) != Axis::day && static_cast<Axis>(a) != Axis::replicate)
      h5::describe_codes(det, name, axis_dimension(static_cast<Axis>(a), sc, R, D).text);
}

struct Described {
  const char* name;
  const char* units;
  const char* meaning;
};
const Described kNeighbourhoodColumns[] = {
    {"jurisdiction", "", "index into /axes/jurisdiction"},
    {"x", "cell", "grid column"},
    {"y", "cell", "grid row"},
    {"residents", "residents", "residents at the start"},
    {"immigrant_origin_share", "share", "share of residents in immigrant-origin households"},
};

struct SnapshotField {
  const char* name;
  std::vector<double> Snapshots::*values;
  const char* units;
  const char* meaning;
};
const SnapshotField kSnapshotFields[] = {
    {"trust_mean", &Snapshots::trust_mean, "0-1", "mean trust of residents present"},
    {"fear_mean", &Snapshots::fear_mean, "0-1", "mean fear of residents present"},
    {"reporting_rate", &Snapshots::reporting_rate, "share",
     "share of the neighbourhood's victimisations reported over the last output.reporting_window_days days (NaN if "
     "none)"},
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
  h5::describe(scenario.id(), "resolved_yaml", "", "the scenario with every default written out (YAML)");

  auto axes = h5::create_group(f, "axes");
  for (std::size_t a = 0; a < kAxisNames.size(); ++a)
    if (static_cast<Axis>(a) != Axis::replicate)
      h5::write_dimension(axes.id(), axis_dimension(static_cast<Axis>(a), sc, R, D));
  h5::write_dimension(axes.id(), outcome_dimension());
  write_policy_changes(axes.id(), sc);

  // Every series with its (replicate, day, ...) axes as the group's own dimension scales.
  auto series = h5::create_group(f, "series");
  const auto& specs = series_specs();
  std::vector<bool> used(kAxisNames.size(), false);
  used[static_cast<std::size_t>(Axis::replicate)] = used[static_cast<std::size_t>(Axis::day)] = true;
  for (const auto& spec : specs)
    for (Axis a : spec.axes) used[static_cast<std::size_t>(a)] = true;
  for (std::size_t a = 0; a < used.size(); ++a)
    if (used[a]) h5::write_dimension(series.id(), axis_dimension(static_cast<Axis>(a), sc, R, D));
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
    h5::describe(series.id(), name, std::string(specs[s].units), std::string(specs[s].meaning));
    h5::attach_dimensions(series.id(), name, dim_names(specs[s]));
    h5::Handle ds(H5Dopen2(series.id(), name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    h5::set_attribute(ds.id(), "dims", dims_text(specs[s]));
  }

  // One row per detention; a column named like an axis holds codes into it.
  auto det = h5::create_group(f, "detentions");
  std::vector<std::int64_t> rep_col;
  for (std::size_t r = 0; r < R; ++r)
    rep_col.insert(rep_col.end(), reps[r].detentions.size(), static_cast<std::int64_t>(r));
  h5::write_dimension(det.id(), h5::Dimension::positions("detention", rep_col.size(), "row of the table"));
  h5::write(det.id(), "replicate", {rep_col.size()}, rep_col);
  describe_column(det.id(), "replicate", "replicate index", sc, R, D);
  for (const auto& col : kDetentionColumns) {
    std::vector<std::int64_t> v;
    for (const auto& r : reps)
      for (const auto& row : r.detentions) v.push_back(row.*col.field);
    h5::write(det.id(), col.name, {v.size()}, v);
    describe_column(det.id(), col.name, col.meaning, sc, R, D);
  }

  const auto& info = reps.front().neighbourhoods;
  const auto N = info.x.size();
  auto nb = h5::create_group(f, "neighbourhoods");
  h5::write_dimension(nb.id(), h5::Dimension::positions("neighbourhood", N, "neighbourhood id"));
  h5::write(nb.id(), "jurisdiction", {N}, info.jurisdiction);
  h5::write(nb.id(), "x", {N}, info.x);
  h5::write(nb.id(), "y", {N}, info.y);
  h5::write(nb.id(), "residents", {N}, info.residents);
  h5::write(nb.id(), "immigrant_origin_share", {N}, info.immigrant_origin_share);
  for (const auto& c : kNeighbourhoodColumns) {
    h5::describe(nb.id(), c.name, c.units, c.meaning);
    h5::attach_dimensions(nb.id(), c.name, {"neighbourhood"});
  }
  h5::describe_codes(nb.id(), "jurisdiction", axis_dimension(Axis::jurisdiction, sc, R, D).text);

  auto snap = h5::create_group(f, "snapshots");
  const auto& first = reps.front().snapshots;
  const std::size_t S = first.days.size();
  h5::write_dimension(snap.id(), h5::Dimension::positions("replicate", R, "replicate index"));
  h5::write_dimension(snap.id(), h5::Dimension{"day", "day", "snapshot day: the end of that day", {}, first.days, {}});
  h5::write_dimension(snap.id(), h5::Dimension::positions("neighbourhood", N, "neighbourhood id"));
  for (const auto& field : kSnapshotFields) {
    std::vector<double> all;
    for (const auto& r : reps)
      all.insert(all.end(), (r.snapshots.*field.values).begin(), (r.snapshots.*field.values).end());
    h5::write(snap.id(), field.name, {R, S, N}, all);
    h5::describe(snap.id(), field.name, field.units, field.meaning);
    h5::attach_dimensions(snap.id(), field.name, {"replicate", "day", "neighbourhood"});
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
     << "## Self-description\n\n"
        "The file follows the netCDF-4 conventions, so netCDF tools and xarray read it without trustsim code: "
        "`xarray.open_dataset(path, engine=\"h5netcdf\", group=\"series\")` (or `detentions`, `neighbourhoods`, "
        "`snapshots`, `axes`) gives labelled arrays. In every group, each dimension is a dataset of its labels "
        "marked as an HDF5 dimension scale (a coordinate variable), and every other dataset has a scale attached "
        "to each axis. Every dataset has the attributes `units` (empty for counts of things named in `meaning`, "
        "indices and text) and `meaning`. A column of codes (`/detentions/pathway`, `outcome`, ...) also has "
        "CF's `flag_values` and `flag_meanings`. xarray decodes the units `days` and `hours` as durations; pass "
        "`decode_timedelta=False` to keep numbers.\n\n"
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
     << "## /axes\n\nLabels of each axis, 1-D, each a dimension scale of itself (`units`, `meaning`); "
        "`policy_change_*` share the dimension `policy_change`.\n\n| name | dtype | values |\n|---|---|---|\n";
  auto join = [](auto const& a) {
    std::string s;
    for (const auto& v : a) s += (s.empty() ? "" : ", ") + std::string(v);
    return s;
  };
  os << "| `group` | string | " << join(kGroupNames)
     << " (indices 4 and 5 are overlays: `mixed_status`, every member of a mixed-status household, and "
        "`mixed_status_citizen`, the citizens among them; their members are also counted in their own group, so never "
        "sum over all six) |\n"
     << "| `jurisdiction` | string | the scenario's jurisdictions |\n"
     << "| `crime_type` | string | " << join(kCrimeTypeNames) << " |\n"
     << "| `pathway` | string | " << join(kPathwayNames) << " |\n"
     << "| `charge` | string | " << join(kChargeNames) << " (the booking charge; `none`: no booking led to it) |\n"
     << "| `docket` | string | " << join(kDocketNames) << " |\n"
     << "| `record` | string | " << join(kRecordNames) << " |\n"
     << "| `status` | string | " << join(kStatusNames) << " |\n"
     << "| `task` | string | " << join(kTaskNames) << " |\n"
     << "| `operation` | string | " << join(kOperationNames) << " |\n"
     << "| `quantile` | float64 | 0.1, 0.25, 0.5, 0.75, 0.9 |\n"
     << "| `day` | int64 | 0 .. D-1 |\n"
     << "| `outcome` | string | " << join(kOutcomeNames) << " (the codes 0, 1, 2 of `/detentions/outcome`) |\n"
     << "| `policy_change` | int64 | 0 .. C-1, one per scheduled policy change (C may be 0) |\n"
     << "| `policy_change_day` | int64 | day of each scheduled policy change |\n"
     << "| `policy_change_jurisdiction` | int64 | index into `jurisdiction`, per change |\n"
     << "| `policy_change_label` | string | preset (or `custom`) the change applies, per change |\n\n"
     << "## /series\n\nDaily series. Every series has attributes `units`, `meaning` and `dims` (the axis names, "
        "comma-separated, the same as its dimension scales). Shapes start with (R, D). The group also holds its "
        "dimensions as scales: `replicate` (0 .. R-1), `day` and every axis a series uses, labelled as in /axes. "
        "Reporting rate = reports / victimisations; clearance rate "
        "= cleared / reports; the dark figure = victimisations - reports.\n\n"
     << "| name | dims | dtype | units | meaning |\n|---|---|---|---|---|\n";
  for (const auto& s : series_specs())
    os << "| `" << s.name << "` | " << dims_text(s) << " | " << (s.kind == Kind::count ? "int64" : "float64") << " | "
       << s.units << " | " << s.meaning << " |\n";
  os << "\n## /detentions\n\nOne row per detention; 1-D int64 columns along the dimension `detention` (0 .. "
        "rows-1). A column named like an axis (`jurisdiction`, `pathway`, `status`, `record`) or `outcome` holds "
        "codes into it, named by its `flag_meanings`; `day` and `*_day` columns have units `day`.\n\n| name | "
        "meaning |\n|---|---|\n"
     << "| `replicate` | replicate index |\n";
  for (const auto& c : kDetentionColumns) os << "| `" << c.name << "` | " << c.meaning << " |\n";
  os << "\n## /neighbourhoods\n\nOne row per neighbourhood (from replicate 0; the layout is the same in every "
        "replicate), along the dimension `neighbourhood`.\n\n"
     << "| name | units | meaning |\n|---|---|---|\n";
  for (const auto& c : kNeighbourhoodColumns)
    os << "| `" << c.name << "` | " << c.units << " | " << c.meaning << " |\n";
  os << "\n## /snapshots\n\nNeighbourhood maps at the end of chosen days (every `output.snapshot_every_days` and the "
        "last day). Dimensions: `replicate` (R), `day` (S, the snapshot days) and `neighbourhood` (N).\n\n"
     << "| name | shape | units | meaning |\n|---|---|---|---|\n"
     << "| `day` | (S) | day | snapshot days |\n";
  for (const auto& field : kSnapshotFields)
    os << "| `" << field.name << "` | (R, S, N) | " << field.units << " | " << field.meaning << " |\n";
  return os.str();
}

}  // namespace trustsim
