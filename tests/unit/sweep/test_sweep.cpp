// Sweeps: the file's validation, the designs and the estimators, sharding and seeds,
// resume and failures, merging, and common random numbers.
#include <tbb/global_control.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

#include "merged_sweep_data.hpp"
#include "output/h5file.hpp"
#include "scenario/diagnostics.hpp"
#include "sweep/designs.hpp"
#include "sweep/executor.hpp"
#include "sweep/merge.hpp"
#include "sweep/run_store.hpp"
#include "sweep/sensitivity.hpp"
#include "sweep/sweep.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace trustsim;
using test::merged_data;
using test::TempDir;

namespace {

const fs::path kSource = TRUSTSIM_SOURCE_DIR;

// Scenario files are read from the shipped scenarios/ folder; anything else fails.
SweepSpec sweep_from(const std::string& text) {
  return load_sweep_text(text, (kSource / "sweeps" / "test.yaml").string(), [](const std::string& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("no such file");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  });
}

const std::string kSmall = R"(
scenarios: [../scenarios/sanctuary.yaml, ../scenarios/287g_task_force.yaml]
set:
  population.residents: 2000
  population.neighbourhoods: 10
  simulation.days: 60
summary: {period_days: 20, window_days: 60}
)";

std::vector<Diagnostic> errors_of(const std::string& text) {
  try {
    sweep_from(text);
  } catch (const InvalidInput& e) { return e.diagnostics.items(); }
  return {};
}

bool has(const std::vector<Diagnostic>& ds, int line, const std::string& key, const std::string& words) {
  for (const auto& d : ds)
    if (d.line == line && d.key == key && d.message.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("sweep: every problem in a sweep file is reported at once, located", "[sweep][errors]") {
  const auto ds = errors_of(R"(name: bad
scenarios: [../scenarios/sanctuary.yaml, ../scenarios/no_such.yaml]
design: grid
axes:
  reporting.trust_weigth: [1, 2]
  reporting.fear_weight: [0.5, -7]
  policy.detainers: [all, maybe]
replicats: 2
)");
  CHECK(has(ds, 2, "scenarios", "cannot read scenario file"));
  CHECK(has(ds, 5, "reporting.trust_weigth", "did you mean 'reporting.trust_weight'"));
  CHECK(has(ds, 6, "reporting.fear_weight", "out of range"));
  CHECK(has(ds, 7, "policy.detainers", "'maybe' is not one of"));
  CHECK(has(ds, 8, "replicats", "did you mean 'replicates'"));
  for (const auto& d : ds) CHECK(d.column > 0);
}

TEST_CASE("sweep: design rules", "[sweep][errors]") {
  CHECK(has(errors_of("name: s\nscenarios: [../scenarios/baseline.yaml]\ndesign: sobol\naxes:\n  "
                      "reporting.trust_weight: {min: 1, max: 2}\n"),
            1, "samples", "needs samples"));
  CHECK(has(errors_of("name: s\nscenarios: [../scenarios/baseline.yaml]\ndesign: lhs\nsamples: 4\naxes:\n  "
                      "policy.detainers: {min: 0, max: 1}\n"),
            6, "policy.detainers", "cannot be sampled"));
  CHECK(has(errors_of("name: s\nscenarios: [../scenarios/baseline.yaml]\ndesign: lhs\nsamples: 4\naxes:\n  "
                      "reporting.trust_weight: {min: 2, max: 1}\n"),
            6, "reporting.trust_weight", "min must be below max"));
  CHECK(has(
      errors_of(
          "name: s\nscenarios: [../scenarios/baseline.yaml]\ndesign: list\npoints:\n  - {reporting.trust_weight: 1}\n"
          "  - {reporting.fear_weight: 1}\n"),
      6, "points", "every point sets the same parameters"));
  CHECK(has(errors_of("name: s\nscenarios: [../scenarios/baseline.yaml]\noutputs: [reporting_rat]\n"), 3, "outputs",
            "did you mean 'reporting_rate'"));
  // A list point is checked whole, with the scenario loader's own rules.
  CHECK(has(errors_of("name: s\nscenarios: [../scenarios/baseline.yaml]\ndesign: list\npoints:\n"
                      "  - {police.patrol_share: 0.9, police.investigation_share: 0.5}\n"),
            5, "police.investigation_share", "cannot add up to more than 1"));
}

TEST_CASE("sweep: an absurd sweep is refused before anything is generated", "[sweep][errors][limits]") {
  const auto ds = errors_of(
      "name: huge\nscenarios: [../scenarios/baseline.yaml]\ndesign: lhs\nsamples: 1000000000\n"
      "axes:\n  reporting.trust_weight: {min: 1, max: 2}\n");
  REQUIRE_FALSE(ds.empty());
  const auto ds2 = errors_of(
      "name: huge\nscenarios: [../scenarios/baseline.yaml]\nreplicates: 100000\ndesign: lhs\nsamples: 10000000\n"
      "axes:\n  reporting.trust_weight: {min: 1, max: 2}\n");
  REQUIRE(ds2.size() == 1);
  CHECK(ds2[0].message.find("runs") != std::string::npos);
  CHECK(ds2[0].message.find("the limit is") != std::string::npos);
}

TEST_CASE("sweep: a grid holds every combination, last axis fastest", "[sweep][design]") {
  const auto sw =
      sweep_from("name: g" + kSmall + "axes:\n  reporting.trust_weight: [1, 2, 3]\n  policy.detainers: [none, all]\n");
  REQUIRE(sw.points.size() == 6);
  CHECK(sw.points[0] == std::vector<double>{1, 2});  // "none" is choice 2
  CHECK(sw.points[1][0] == 1);
  CHECK(sw.points[5][0] == 3);
  CHECK(sw.axes[1].spec->format(sw.points[1][1]) == "all");
  CHECK(sw.run_count() == 6 * 2);
}

TEST_CASE("sweep: a Latin hypercube puts one point in every stratum of every axis", "[sweep][design]") {
  const int n = 50, k = 4;
  const auto m = latin_hypercube(n, k, 99);
  for (int a = 0; a < k; ++a) {
    std::set<int> strata;
    for (const auto& row : m) {
      REQUIRE(row[static_cast<std::size_t>(a)] >= 0.0);
      REQUIRE(row[static_cast<std::size_t>(a)] < 1.0);
      strata.insert(static_cast<int>(row[static_cast<std::size_t>(a)] * n));
    }
    CHECK(strata.size() == static_cast<std::size_t>(n));
  }
  CHECK(latin_hypercube(n, k, 99) == m);
  CHECK(latin_hypercube(n, k, 100) != m);
}

TEST_CASE("sweep: Saltelli rows are A, AB(1..k), B with one column swapped each", "[sweep][design]") {
  const int N = 8, k = 3;
  const auto m = saltelli_points(N, k);
  REQUIRE(m.size() == static_cast<std::size_t>(N * (k + 2)));
  for (int j = 0; j < N; ++j) {
    const auto& a = m[static_cast<std::size_t>(saltelli_row(j, k, 0))];
    const auto& b = m[static_cast<std::size_t>(saltelli_row(j, k, k + 1))];
    for (int i = 0; i < k; ++i) {
      const auto& ab = m[static_cast<std::size_t>(saltelli_row(j, k, 1 + i))];
      for (int c = 0; c < k; ++c)
        CHECK(ab[static_cast<std::size_t>(c)] == (c == i ? b : a)[static_cast<std::size_t>(c)]);
    }
  }
}

TEST_CASE("sweep: Sobol indices of the Ishigami function match their analytic values", "[sweep][sensitivity]") {
  // Ishigami & Homma (1990), a = 7, b = 0.1, inputs uniform on [-pi, pi]:
  // S1 = 0.3139, S2 = 0.4424, S3 = 0; ST1 = 0.5576, ST2 = 0.4424, ST3 = 0.2437.
  const int N = 4096, k = 3;
  const auto m = saltelli_points(N, k);
  std::vector<double> y;
  for (const auto& row : m) {
    const double x1 = -M_PI + 2 * M_PI * row[0], x2 = -M_PI + 2 * M_PI * row[1], x3 = -M_PI + 2 * M_PI * row[2];
    y.push_back(std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1));
  }
  const auto ix = sobol_indices(y, N, k, 200, 0.95, 5);
  const double first[] = {0.3139, 0.4424, 0.0}, total[] = {0.5576, 0.4424, 0.2437};
  for (int i = 0; i < k; ++i) {
    CHECK(ix.first[static_cast<std::size_t>(i)] == Approx(first[i]).margin(0.03));
    CHECK(ix.total[static_cast<std::size_t>(i)] == Approx(total[i]).margin(0.03));
    CHECK(ix.first_low[static_cast<std::size_t>(i)] <= ix.first[static_cast<std::size_t>(i)]);
    CHECK(ix.first_high[static_cast<std::size_t>(i)] >= ix.first[static_cast<std::size_t>(i)]);
    CHECK(ix.total_low[static_cast<std::size_t>(i)] <= total[i] + 0.03);
    CHECK(ix.total_high[static_cast<std::size_t>(i)] >= total[i] - 0.03);
  }
}

TEST_CASE("sweep: shards split the runs exactly, keep policies of one point together, seeds ignore the split",
          "[sweep][shard]") {
  const auto sw = sweep_from("name: s\nreplicates: 3" + kSmall + "axes:\n  reporting.trust_weight: [1, 2, 3, 4, 5]\n");
  std::vector<int> seen(static_cast<std::size_t>(sw.run_count()), 0);
  for (int n = 0; n < 7; ++n)
    for (auto i : shard_runs(sw, {n, 7})) ++seen[static_cast<std::size_t>(i)];
  CHECK(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  for (std::int64_t i = 0; i < sw.run_count(); i += 2) {
    const auto a = run_key(sw, i), b = run_key(sw, i + 1);
    CHECK(a.point == b.point);
    CHECK(a.replicate == b.replicate);
    CHECK(a.scenario != b.scenario);
    CHECK(a.seed == b.seed);  // common random numbers
  }
  CHECK(run_key(sw, 0).seed != run_key(sw, 2).seed);
  CHECK(run_key(sw, 0).seed == run_seed(sw.seed, 0, 0));
}

TEST_CASE("sweep: any split across shards and threads merges to identical data; resume skips finished runs",
          "[sweep][determinism]") {
  TempDir tmp;
  const auto sw = sweep_from("name: split\nseed: 11\nreplicates: 2" + kSmall +
                             "axes:\n  policy.joint_operations_per_100k_month: [0, 4]\n");
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    const auto whole = run_shard(sw, tmp / "whole", {0, 1}, {});
    CHECK(whole.ran == sw.run_count());
    CHECK(whole.failed == 0);
  }
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    for (int k = 0; k < 3; ++k) run_shard(sw, tmp / "split", {k, 3}, {});
  }
  merge_sweep(tmp / "whole", tmp / "whole.h5", {});
  merge_sweep(tmp / "split", tmp / "split.h5", {});
  const auto a = merged_data(tmp / "whole.h5"), b = merged_data(tmp / "split.h5");
  CHECK(a.size() > 20);
  for (const auto& [key, bytes] : a) {
    INFO(key);
    CHECK(b.count(key) == 1);
    CHECK(bytes == b.at(key));
  }

  // Resume: a lost run is the only one run again.
  fs::remove(run_path(tmp / "split", run_key(sw, 3)));
  const auto again = run_shard(sw, tmp / "split", {0, 1}, {});
  CHECK(again.skipped == sw.run_count() - 1);
  CHECK(again.ran == 1);
  merge_sweep(tmp / "split", tmp / "again.h5", {});
  CHECK(merged_data(tmp / "again.h5") == a);
}

TEST_CASE("sweep: a failing run is recorded with its error and the others go on", "[sweep][failure]") {
  TempDir tmp;
  // Each value is valid alone (defaults 0.55 and 0.3); together 0.7 + 0.45 of officer time is more than there is.
  const auto sw = sweep_from("name: fails" + kSmall +
                             "axes:\n  police.patrol_share: [0.5, 0.7]\n  police.investigation_share: [0.2, 0.45]\n");
  const auto out = run_shard(sw, tmp / "r", {0, 1}, {});
  CHECK(out.ran == sw.run_count());
  CHECK(out.failed == 2);  // point (0.7, 0.45), both scenarios
  const auto st = sweep_status(sw, tmp / "r");
  CHECK(st.ok == sw.run_count() - 2);
  REQUIRE(st.failed_errors.size() == 2);
  CHECK(st.failed_errors[0].find("cannot add up to more than 1") != std::string::npos);
  merge_sweep(tmp / "r", tmp / "m.h5", {});
  h5::Handle f = h5::open_file(tmp / "m.h5", false);
  auto status = h5::read_ints(f.id(), "runs/status");
  CHECK(std::count(status.begin(), status.end(), 1) == 2);
  // A failed run stays failed on resume unless asked.
  CHECK(run_shard(sw, tmp / "r", {0, 1}, {}).ran == 0);
  CHECK(run_shard(sw, tmp / "r", {0, 1}, {true}).ran == 2);
}

TEST_CASE("sweep: merge lists missing runs and refuses runs of another sweep", "[sweep][failure]") {
  TempDir tmp;
  const auto sw = sweep_from("name: one" + kSmall + "axes:\n  reporting.trust_weight: [1, 2]\n");
  run_shard(sw, tmp / "a", {0, 2}, {});
  try {
    merge_sweep(tmp / "a", tmp / "m.h5", {});
    FAIL("merge accepted missing runs");
  } catch (const MergeRefused& e) {
    CHECK(std::string(e.what()).find("2 of 4 runs are missing") != std::string::npos);
    CHECK(std::string(e.what()).find("p000001-s00-r0000.h5") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(tmp / "m.h5"));
  const auto st = merge_sweep(tmp / "a", tmp / "m.h5", {true, "test"});
  CHECK(st.missing == 2);
  CHECK(fs::exists(tmp / "m.h5"));

  // Another sweep cannot write into the folder, and its run files are refused by merge.
  const auto other = sweep_from("name: two" + kSmall + "axes:\n  reporting.trust_weight: [1, 3]\n");
  CHECK_THROWS_WITH(run_shard(other, tmp / "a", {0, 1}, {}), Catch::Contains("holds another sweep"));
  run_shard(other, tmp / "b", {1, 2}, {});
  for (const auto& e : fs::directory_iterator(tmp / "b/runs"))
    fs::copy_file(e.path(), fs::path(tmp / "a/runs") / e.path().filename());
  CHECK_THROWS_WITH(merge_sweep(tmp / "a", tmp / "m2.h5", {}), Catch::Contains("a run of another sweep"));
  // A truncated run file is refused too, by name.
  const auto victim = run_path(tmp / "b", run_key(other, 2));
  fs::resize_file(victim, fs::file_size(victim) / 2);
  fs::copy_file(victim, tmp / "c.h5");
  CHECK_THROWS_WITH(read_run(tmp / "c.h5", -1, true), Catch::Contains("c.h5"));
}

TEST_CASE("sweep: paired policies share their draws, so their difference varies less than unpaired", "[sweep][crn]") {
  TempDir tmp;
  const auto sw = sweep_from(R"(name: crn
seed: 3
replicates: 16
scenarios: [../scenarios/sanctuary.yaml, ../scenarios/287g_task_force.yaml]
set:
  population.residents: 10000
  population.neighbourhoods: 10
  simulation.days: 180
summary: {period_days: 30, window_days: 180}
)");
  run_shard(sw, tmp / "r", {0, 1}, {});
  merge_sweep(tmp / "r", tmp / "m.h5", {});
  h5::Handle f = h5::open_file(tmp / "m.h5", false);
  const auto values = h5::read_doubles(f.id(), "outputs/values");
  const std::size_t O = output_specs().size();
  auto variance = [](const std::vector<double>& v) {
    const double m = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / static_cast<double>(v.size() - 1);
  };
  for (const char* name : {"reporting_rate", "victimisation_rate"}) {
    const auto o = static_cast<std::size_t>(find_output(name));
    std::vector<double> paired, unpaired;
    for (int r = 0; r < sw.replicates; ++r) {
      const auto sanctuary = values[static_cast<std::size_t>(2 * r) * O + o];
      const auto same_seed = values[static_cast<std::size_t>(2 * r + 1) * O + o];
      const auto other_seed = values[static_cast<std::size_t>(2 * ((r + 1) % sw.replicates) + 1) * O + o];
      paired.push_back(same_seed - sanctuary);
      unpaired.push_back(other_seed - sanctuary);
    }
    INFO(name << ": paired variance " << variance(paired) << ", unpaired " << variance(unpaired));
    CHECK(variance(paired) < 0.5 * variance(unpaired));
  }
}

TEST_CASE("sweep: a list design runs its points as written, choices by name", "[sweep][design]") {
  const auto sw = sweep_from("name: l" + kSmall +
                             "design: list\npoints:\n"
                             "  - {reporting.trust_weight: 1.5, policy.detainers: none}\n"
                             "  - {reporting.trust_weight: 2.5, policy.detainers: all}\n");
  REQUIRE(sw.points.size() == 2);
  REQUIRE(sw.axes.size() == 2);
  CHECK(sw.points[0][0] == 1.5);
  CHECK(sw.axes[1].spec->format(sw.points[0][1]) == "none");
  CHECK(point_overrides(sw, 1).back() == "policy.detainers=all");
  const Scenario sc = run_scenario(sw, run_key(sw, 3));  // point 1, scenario 1
  CHECK(sc.params.reporting.trust_weight == 2.5);
  CHECK(sc.params.population.residents == 2000);
}

TEST_CASE("sweep: a large sweep's run files go in subfolders of at most kRunsPerFolder runs", "[sweep][layout][long]") {
  TempDir tmp;
  RunKey small;
  small.index = 7, small.point = 3, small.runs = kRunsPerFolder;
  CHECK(run_path(tmp / "o", small) == tmp / "o/runs/p000003-s00-r0000.h5");
  RunKey large = small;
  large.runs = kRunsPerFolder + 1;
  large.index = 2 * kRunsPerFolder + 5, large.point = 1002, large.scenario = 1;
  CHECK(run_path(tmp / "o", large) == tmp / "o/runs/b00002/p001002-s01-r0000.h5");
  CHECK(fs::is_directory(tmp / "o/runs/b00002"));

  // End to end: 1,002 one-day runs of a tiny city, written, resumed and merged.
  std::string values;
  for (int k = 0; k <= 500; ++k) values += (k ? ", " : "") + std::to_string(1.0 + k / 500.0);
  const std::string text = "name: big\nscenarios: [" + std::string(TRUSTSIM_SOURCE_DIR) + "/scenarios/baseline.yaml, " +
                           TRUSTSIM_SOURCE_DIR +
                           "/scenarios/sanctuary.yaml]\nset: {population.neighbourhoods: 4, "
                           "population.residents: 400, simulation.days: 1, output.detentions_table: false}\n"
                           "design: grid\naxes:\n  policy.profiling_multiplier: [" +
                           values + "]\nsummary: {period_days: 1, window_days: 1}\n";
  const SweepSpec sw = load_sweep_text(text, tmp / "big.yaml", [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  });
  REQUIRE(sw.run_count() == 1002);
  run_shard(sw, tmp / "big", {0, 1}, {});
  std::map<std::string, int> per_folder;
  for (const auto& e : fs::recursive_directory_iterator(tmp / "big/runs"))
    if (e.is_regular_file()) ++per_folder[e.path().parent_path().filename().string()];
  CHECK(per_folder == std::map<std::string, int>{{"b00000", 1000}, {"b00001", 2}});
  const auto again = run_shard(sw, tmp / "big", {0, 1}, {});
  CHECK(again.skipped == 1002);
  const auto st = merge_sweep(tmp / "big", tmp / "big.h5", {});
  CHECK(st.ok == 1002);
}
