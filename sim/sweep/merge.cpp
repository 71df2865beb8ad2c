#include "sweep/merge.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <set>
#include <sstream>

#include "core/build_info.hpp"
#include "core/rng.hpp"
#include "core/types.hpp"
#include "engine/simulation.hpp"
#include "output/h5file.hpp"
#include "output/output_file.hpp"
#include "sweep/sensitivity.hpp"

namespace trustsim {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kConfidence = 0.95;

std::string list_some(const std::vector<std::string>& items, std::size_t most = 10) {
  std::string s;
  for (std::size_t i = 0; i < items.size() && i < most; ++i) s += "\n  " + items[i];
  if (items.size() > most) s += "\n  ... and " + std::to_string(items.size() - most) + " more";
  return s;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void write_labels(hid_t axes) {
  h5::write_strings(axes, "group", {kGroupNames.begin(), kGroupNames.end()});
  h5::write_strings(axes, "crime_type", {kCrimeTypeNames.begin(), kCrimeTypeNames.end()});
  h5::write_strings(axes, "pathway", {kPathwayNames.begin(), kPathwayNames.end()});
}

// The mean of each (point, scenario) output over its replicates, in design-point order.
std::vector<double> point_means(const SweepSpec& sw, const std::vector<double>& values, std::size_t outputs,
                                std::size_t output, std::int64_t scenario) {
  std::vector<double> y(static_cast<std::size_t>(sw.point_count()), 0.0);
  for (std::int64_t p = 0; p < sw.point_count(); ++p) {
    double sum = 0;
    for (std::int64_t r = 0; r < sw.replicates; ++r) {
      const std::int64_t run = (p * sw.replicates + r) * sw.scenario_count() + scenario;
      sum += values[static_cast<std::size_t>(run) * outputs + output];  // NaN if failed: the mean is NaN
    }
    y[static_cast<std::size_t>(p)] = sum / static_cast<double>(sw.replicates);
  }
  return y;
}

void write_sensitivity(hid_t file, const SweepSpec& sw, const std::vector<double>& values) {
  h5::Handle g = h5::create_group(file, "sensitivity");
  const int k = static_cast<int>(sw.axes.size());
  const std::size_t O = output_specs().size();
  std::vector<double> fields[6];
  for (std::int64_t s = 0; s < sw.scenario_count(); ++s)
    for (std::size_t o = 0; o < sw.outputs.size(); ++o) {
      const auto y = point_means(sw, values, O, static_cast<std::size_t>(find_output(sw.outputs[o])), s);
      const auto seed = derive_seed(sw.seed, Stream::sweep_bootstrap, static_cast<std::uint64_t>(s) * 4096 + o);
      const SobolIndices ix = sobol_indices(y, sw.samples, k, sw.bootstrap, kConfidence, seed);
      const std::vector<double>* parts[6] = {&ix.first, &ix.first_low, &ix.first_high,
                                             &ix.total, &ix.total_low, &ix.total_high};
      for (int f = 0; f < 6; ++f) fields[f].insert(fields[f].end(), parts[f]->begin(), parts[f]->end());
    }
  const char* names[6] = {"first_order", "first_order_low", "first_order_high",
                          "total_order", "total_order_low", "total_order_high"};
  const std::vector<std::size_t> dims = {static_cast<std::size_t>(sw.scenario_count()), sw.outputs.size(),
                                         static_cast<std::size_t>(k)};
  for (int f = 0; f < 6; ++f) {
    h5::write(g.id(), names[f], dims, fields[f]);
    h5::Handle ds(H5Dopen2(g.id(), names[f], H5P_DEFAULT), H5Dclose, "open sensitivity dataset");
    h5::set_attribute(ds.id(), "dims", "scenario,output,parameter");
  }
  h5::write_strings(g.id(), "output", sw.outputs);
  h5::set_attribute(g.id(), "method",
                    "Saltelli et al. 2010 (first order), Jansen 1999 (total order), on replicate means");
  h5::set_attribute(g.id(), "base_samples", static_cast<std::int64_t>(sw.samples));
  h5::set_attribute(g.id(), "bootstrap", static_cast<std::int64_t>(sw.bootstrap));
  h5::set_double_attribute(g.id(), "confidence", kConfidence);
}

}  // namespace

SweepStatus merge_sweep(const std::string& outdir, const std::string& output, const MergeOptions& options,
                        const std::function<void(std::int64_t, std::int64_t)>& on_run,
                        const std::atomic<bool>* cancel) {
  const SweepSpec sw = read_definition(outdir);
  check_output_path(output, {(fs::path(outdir) / "definition.h5").string()});
  std::error_code ec;
  if (auto parent = fs::path(output).parent_path(); !parent.empty()) fs::create_directories(parent, ec);
  if (fs::equivalent(fs::path(output).parent_path().empty() ? "." : fs::path(output).parent_path(),
                     fs::path(outdir) / "runs", ec))
    throw OutputError("the output " + output + " is in the sweep's runs folder: choose a name outside " +
                      (fs::path(outdir) / "runs").string());
  OutputFile out(output);  // before reading the runs: an output that cannot be written fails now
  const std::int64_t N = sw.run_count();
  const std::size_t O = output_specs().size(), K = sw.axes.size();
  const auto& series_specs = summary_series_specs();

  SweepStatus st;
  st.total = N;
  std::vector<std::int64_t> point(static_cast<std::size_t>(N)), scenario(point), replicate(point), status(point);
  std::vector<std::uint64_t> seed(static_cast<std::size_t>(N));
  std::vector<std::string> error(static_cast<std::size_t>(N));
  std::vector<double> wall(static_cast<std::size_t>(N), kNaN), params(static_cast<std::size_t>(N) * K);
  std::vector<double> values(static_cast<std::size_t>(N) * O, kNaN);
  std::vector<std::vector<double>> series(series_specs.size());
  std::size_t series_periods = 0;
  std::set<std::string> revisions;
  std::vector<std::string> missing_names;

  for (std::int64_t i = 0; i < N; ++i) {
    const RunKey key = run_key(sw, i);
    const auto n = static_cast<std::size_t>(i);
    point[n] = key.point;
    scenario[n] = key.scenario;
    replicate[n] = key.replicate;
    seed[n] = key.seed;
    for (std::size_t a = 0; a < K; ++a) params[n * K + a] = sw.points[static_cast<std::size_t>(key.point)][a];
    const std::string path = run_path(outdir, key);
    const std::optional<StoredRun> r = tally_run(sw, outdir, i, true, st);
    if (!r) {
      missing_names.push_back(fs::path(path).filename().string());
      status[n] = static_cast<std::int64_t>(RunStatus::missing);
      if (on_run) on_run(i + 1, N);
      continue;
    }
    status[n] = static_cast<std::int64_t>(r->status);
    error[n] = r->error;
    wall[n] = r->wall_seconds;
    revisions.insert(r->git_revision);
    if (r->status == RunStatus::ok) {
      std::copy(r->summary.outputs.begin(), r->summary.outputs.end(),
                values.begin() + static_cast<std::ptrdiff_t>(n * O));
      if (series_periods == 0) {
        series_periods = r->summary.series[0].size() / series_specs[0].inner();
        for (std::size_t k = 0; k < series_specs.size(); ++k)
          series[k].assign(static_cast<std::size_t>(N) * series_periods * series_specs[k].inner(), kNaN);
      }
      for (std::size_t k = 0; k < series_specs.size(); ++k) {
        const auto& v = r->summary.series[k];
        if (v.size() != series_periods * series_specs[k].inner())
          throw std::runtime_error(path + ": summary series " + series_specs[k].name + " has an unexpected length");
        std::copy(v.begin(), v.end(), series[k].begin() + static_cast<std::ptrdiff_t>(n * v.size()));
      }
    }
    if (on_run) on_run(i + 1, N);
    if (cancel && cancel->load()) throw Cancelled();
  }

  if (!st.foreign.empty())
    throw MergeRefused(std::to_string(st.foreign.size()) + " run file(s) in " + outdir +
                       " are damaged, unreadable, or another run's or another sweep's; run `trustsim sweep " + sw.file +
                       " -o " + outdir + "` again: it moves them to " + (fs::path(outdir) / "bad").string() +
                       " and computes their runs again:" + list_some(st.foreign));
  if (st.missing > 0 && !options.allow_missing)
    throw MergeRefused(std::to_string(st.missing) + " of " + std::to_string(N) + " runs are missing in " + outdir +
                       " (run `trustsim sweep` on the sweep again to complete it, or merge with --allow-missing):" +
                       list_some(missing_names));

  try {
    const hid_t root = out.id();
    h5::set_attribute(root, "format", kSweepFormat);
    h5::set_attribute(root, "format_version", kSweepFormatVersion);
    h5::set_attribute(root, "software_version", TRUSTSIM_VERSION);
    h5::set_attribute(root, "git_revision", std::string(git_revision()));
    std::string runs_revisions;
    for (const auto& r : revisions) runs_revisions += (runs_revisions.empty() ? "" : ",") + r;
    h5::set_attribute(root, "run_git_revisions", runs_revisions);
    h5::set_attribute(root, "command_line", options.command_line);
    h5::set_attribute(root, "created", utc_now());
    h5::set_attribute(root, "sweep_name", sw.name);
    h5::set_attribute(root, "sweep_description", sw.description);
    h5::set_attribute(root, "sweep_hash", sw.hash);
    h5::set_attribute(root, "design", kDesignNames[static_cast<int>(sw.design)]);
    h5::set_attribute(root, "seed", std::to_string(sw.seed));
    h5::set_attribute(root, "replicates", static_cast<std::int64_t>(sw.replicates));
    h5::set_attribute(root, "samples", static_cast<std::int64_t>(sw.samples));
    h5::set_attribute(root, "period_days", static_cast<std::int64_t>(sw.period_days));
    h5::set_attribute(root, "window_days", static_cast<std::int64_t>(sw.window_days));
    h5::set_attribute(root, "runs", N);
    h5::set_attribute(root, "runs_ok", st.ok);
    h5::set_attribute(root, "runs_failed", st.failed);
    h5::set_attribute(root, "runs_missing", st.missing);

    {
      h5::Handle g = h5::create_group(root, "sweep");
      write_definition_texts(g.id(), sw);
    }
    {
      h5::Handle g = h5::create_group(root, "axes");
      std::vector<std::string> names, scenarios, outputs, units;
      for (const auto& a : sw.axes) names.push_back(a.name);
      for (const auto& s : sw.scenarios) scenarios.push_back(s.name);
      for (const auto& o : output_specs()) {
        outputs.push_back(o.name);
        units.push_back(o.units);
      }
      h5::write_strings(g.id(), "parameter", names);
      std::vector<std::string> param_units;
      std::vector<double> lo, hi;
      std::vector<std::int64_t> log;
      for (std::size_t a = 0; a < K; ++a) {
        const auto& axis = sw.axes[a];
        param_units.push_back(axis.spec ? axis.spec->unit : "");
        double mn = axis.lo, mx = axis.hi;
        if (sw.design == Design::grid || sw.design == Design::list) {
          mn = mx = sw.points.empty() ? 0.0 : sw.points[0][a];
          for (const auto& row : sw.points) mn = std::min(mn, row[a]), mx = std::max(mx, row[a]);
        }
        lo.push_back(mn);
        hi.push_back(mx);
        log.push_back(axis.log ? 1 : 0);
      }
      h5::write_strings(g.id(), "parameter_units", param_units);
      h5::write(g.id(), "parameter_min", {K}, lo);
      h5::write(g.id(), "parameter_max", {K}, hi);
      h5::write(g.id(), "parameter_log", {K}, log);
      h5::write_strings(g.id(), "analysed_output", sw.outputs);
      h5::write_strings(g.id(), "scenario", scenarios);
      h5::write_strings(g.id(), "output", outputs);
      h5::write_strings(g.id(), "output_units", units);
      h5::write_strings(g.id(), "status", {kRunStatusNames, kRunStatusNames + 3});
      write_labels(g.id());
      std::vector<std::int64_t> starts;
      for (std::size_t p = 0; p < series_periods; ++p) starts.push_back(static_cast<std::int64_t>(p) * sw.period_days);
      h5::write(g.id(), "period_start_day", {starts.size()}, starts);
    }
    {
      h5::Handle g = h5::create_group(root, "design");
      std::vector<double> flat;
      std::vector<std::string> text;
      for (const auto& row : sw.points)
        for (std::size_t a = 0; a < K; ++a) {
          flat.push_back(row[a]);
          text.push_back(sw.axes[a].spec ? sw.axes[a].spec->format(row[a]) : "");
        }
      h5::write(g.id(), "values", {sw.points.size(), K}, flat);
      h5::write_strings(g.id(), "text", text);
    }
    {
      h5::Handle g = h5::create_group(root, "runs");
      const std::size_t n = static_cast<std::size_t>(N);
      h5::write(g.id(), "point", {n}, point);
      h5::write(g.id(), "scenario", {n}, scenario);
      h5::write(g.id(), "replicate", {n}, replicate);
      h5::write(g.id(), "seed", {n}, seed);
      h5::write(g.id(), "status", {n}, status);
      h5::write_strings(g.id(), "error", error);
      h5::write(g.id(), "wall_seconds", {n}, wall);
      h5::write(g.id(), "parameters", {n, K}, params);
    }
    {
      h5::Handle g = h5::create_group(root, "outputs");
      h5::write(g.id(), "values", {static_cast<std::size_t>(N), O}, values);
    }
    {
      h5::Handle g = h5::create_group(root, "summary_series");
      for (std::size_t k = 0; k < series_specs.size(); ++k) {
        std::vector<std::size_t> dims = {static_cast<std::size_t>(N), series_periods};
        dims.insert(dims.end(), series_specs[k].shape.begin(), series_specs[k].shape.end());
        h5::write(g.id(), series_specs[k].name, dims, series[k]);
        h5::Handle ds(H5Dopen2(g.id(), series_specs[k].name.c_str(), H5P_DEFAULT), H5Dclose, "open summary series");
        std::string d = "run,period";
        for (const auto& x : series_specs[k].dims) d += "," + x;
        h5::set_attribute(ds.id(), "dims", d);
        h5::set_attribute(ds.id(), "units", series_specs[k].units);
        h5::set_attribute(ds.id(), "meaning", series_specs[k].meaning);
      }
    }
    if (sw.design == Design::sobol) write_sensitivity(root, sw, values);
    h5::set_attribute(root, "complete", std::int64_t{1});
  } catch (const h5::Error& e) { throw out.failure(e.what()); }
  if (cancel && cancel->load()) throw Cancelled();
  out.commit();
  return st;
}

}  // namespace trustsim
