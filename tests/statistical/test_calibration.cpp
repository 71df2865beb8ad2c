// Calibration: the committed defaults against every published target (so a change that
// breaks the calibration fails here), and the pieces of the search.
#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "calibrate/record.hpp"
#include "calibrate/search.hpp"
#include "engine/simulation.hpp"
#include "output/h5file.hpp"

using namespace trustsim;
using namespace trustsim::calibrate;

namespace {

const std::string kTargets = std::string(TRUSTSIM_SOURCE_DIR) + "/calibration/targets.yaml";

// The real targets file on a tiny city with a tiny budget, written to a scratch directory.
std::string tiny_targets(const std::filesystem::path& dir) {
  YAML::Node n = YAML::LoadFile(kTargets);
  n["city"]["population.residents"] = 2000;
  n["city"]["population.neighbourhoods"] = 8;
  n["city"]["simulation.days"] = 60;
  n["search"]["replicates"] = 2;
  n["search"]["budget"] = 24;
  n["search"]["starts"] = 2;
  n["search"]["verify_replicates"] = 2;
  n["outputs"]["defaults"] = "calibrated.def";
  n["outputs"]["record"] = "calibration.md";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "targets.yaml").string();
  std::ofstream(path) << n;
  return path;
}

std::size_t lines_in(const std::string& path) {
  std::ifstream in(path);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>(), '\n'));
}

}  // namespace

TEST_CASE("the committed defaults reproduce every calibration target within its band", "[calibration][long]") {
  const TargetsFile tf = load_targets(kTargets);
  // The same replicates and seed as the check in docs/calibration.md (seed 1).
  const Measurement m = evaluate(tf, {}, verification_seed(1), tf.search.verify_replicates);
  int outside = 0;
  for (std::size_t t = 0; t < tf.targets.size(); ++t) {
    const Target& g = tf.targets[t];
    INFO(g.id << " (MODEL.md item " << g.figure << "): " << m.mean[t] << " [" << m.ci_low[t] << ", " << m.ci_high[t]
              << "], band [" << g.low << ", " << g.high << "]");
    CHECK(within_band(g, m.mean[t]));
    outside += !within_band(g, m.mean[t]);
  }
  CHECK(outside == 0);
}

TEST_CASE(
    "the targets file names a source, a measurement and a band for every target, and covers MODEL.md's eight items",
    "[calibration]") {
  const TargetsFile tf = load_targets(kTargets);
  std::vector<int> items;
  for (const auto& t : tf.targets) {
    INFO(t.id);
    CHECK(!t.source.empty());
    CHECK(!t.measured.empty());
    CHECK(t.low < t.high);
    items.push_back(t.figure);
  }
  for (int k = 1; k <= 8; ++k) CHECK(std::count(items.begin(), items.end(), k) >= 1);
  // Every free parameter's default comes from calibrated.def (params.def reads it).
  for (const auto& p : tf.free) {
    INFO(p.name);
    CHECK(p.spec->source.rfind("calibrated: docs/calibration.md", 0) == 0);
    CHECK(p.spec->default_value >= p.low);
    CHECK(p.spec->default_value <= p.high);
  }
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of every dimension, and follows its seed",
          "[calibration][search]") {
  const int n = 17, d = 5;
  const auto pts = latin_hypercube(n, d, 42);
  REQUIRE(pts.size() == static_cast<std::size_t>(n));
  for (int k = 0; k < d; ++k) {
    std::vector<int> strata;
    for (const auto& p : pts) {
      REQUIRE(p[static_cast<std::size_t>(k)] >= 0.0);
      REQUIRE(p[static_cast<std::size_t>(k)] < 1.0);
      strata.push_back(static_cast<int>(p[static_cast<std::size_t>(k)] * n));
    }
    std::sort(strata.begin(), strata.end());
    for (int s = 0; s < n; ++s) CHECK(strata[static_cast<std::size_t>(s)] == s);
  }
  CHECK(latin_hypercube(n, d, 42) == pts);
  CHECK(latin_hypercube(n, d, 43) != pts);
}

TEST_CASE("Nelder-Mead finds the minimum of known functions inside the box", "[calibration][search]") {
  SECTION("a shifted quadratic in 3 dimensions") {
    const std::vector<double> c = {0.2, 0.7, 0.45};
    auto f = [&](const std::vector<double>& x) {
      double s = 0;
      for (std::size_t k = 0; k < x.size(); ++k) s += (static_cast<double>(k) + 1.0) * (x[k] - c[k]) * (x[k] - c[k]);
      return s;
    };
    const auto r = nelder_mead(f, {0.9, 0.1, 0.5}, 0.1, 500);
    for (std::size_t k = 0; k < c.size(); ++k) CHECK(r.best[k] == Approx(c[k]).margin(1e-4));
    CHECK(r.evaluations <= 500);
  }
  SECTION("Rosenbrock's valley, mapped onto the unit square (minimum at 0.75, 0.75)") {
    auto f = [](const std::vector<double>& u) {
      const double x = 4 * u[0] - 2, y = 4 * u[1] - 2;
      return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    };
    const auto r = nelder_mead(f, {0.2, 0.8}, 0.05, 2000);
    CHECK(r.best[0] == Approx(0.75).margin(1e-3));
    CHECK(r.best[1] == Approx(0.75).margin(1e-3));
  }
  SECTION("a minimum outside the box ends on its boundary, within budget") {
    int calls = 0;
    auto f = [&](const std::vector<double>& x) {
      ++calls;
      return (x[0] + 1) * (x[0] + 1) + (x[1] - 0.5) * (x[1] - 0.5);
    };
    const auto r = nelder_mead(f, {0.5, 0.5}, 0.1, 300);
    CHECK(r.best[0] == Approx(0.0).margin(1e-4));
    CHECK(r.best[1] == Approx(0.5).margin(1e-3));
    CHECK(calls == r.evaluations);
    CHECK(calls <= 300);
  }
}

TEST_CASE("an interrupted calibration resumes from its state file to exactly the uninterrupted result",
          "[calibration][search]") {
  const auto dir = std::filesystem::temp_directory_path() / ("trustsim_cal_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const TargetsFile tf = load_targets(tiny_targets(dir));

  CalibrationOptions o;
  o.seed = 7;
  o.quiet = true;
  o.state_path = (dir / "full.state").string();
  const CalibrationResult full = trustsim::calibrate::calibrate(tf, o);
  REQUIRE(full.evaluations.size() >= 10);
  CHECK(full.reused == 0);

  // Interrupted once some evaluations are in the state file (as Ctrl-C does).
  std::atomic<bool> cancel{false};
  o.state_path = (dir / "cut.state").string();
  o.cancel = &cancel;
  std::thread watcher([&] {
    while (!cancel.load()) {
      if (lines_in(o.state_path) >= 2 + 6) cancel = true;  // header, fingerprint, 6 evaluations
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  CHECK_THROWS_AS(trustsim::calibrate::calibrate(tf, o), Cancelled);
  cancel = true;
  watcher.join();
  const std::size_t kept = lines_in(o.state_path) - 2;
  CHECK(kept >= 6);
  CHECK(kept < full.evaluations.size());

  // Resumed: the kept evaluations are read back, the rest computed; the same search.
  std::atomic<bool> go{false};
  o.cancel = &go;
  o.resume = true;
  const CalibrationResult resumed = trustsim::calibrate::calibrate(tf, o);
  CHECK(resumed.reused == static_cast<int>(kept));
  REQUIRE(resumed.evaluations.size() == full.evaluations.size());
  for (std::size_t e = 0; e < full.evaluations.size(); ++e) {
    CHECK(resumed.evaluations[e].x == full.evaluations[e].x);
    CHECK(resumed.evaluations[e].loss == full.evaluations[e].loss);
  }
  CHECK(resumed.best == full.best);
  CHECK(resumed.fitted == full.fitted);
  CHECK(resumed.verification.mean == full.verification.mean);

  // A state file from another seed is refused.
  o.seed = 8;
  CHECK_THROWS_WITH(trustsim::calibrate::calibrate(tf, o), Catch::Contains("another targets file, seed or budget"));

  // The record: defaults file, Markdown and HDF5.
  const std::string def = defaults_file(tf, full);
  for (const auto& p : tf.free) CHECK(def.find("#define " + default_macro(p.name) + " ") != std::string::npos);
  const std::string md = record_markdown(tf, full, RunInfo{7, tf.search.budget, 1});
  for (const auto& t : tf.targets) CHECK(md.find("`" + t.id + "`") != std::string::npos);
  const auto h5 = (dir / "run.h5").string();
  write_record_h5(h5, tf, full, RunInfo{7, tf.search.budget, 1});
  CHECK(!std::filesystem::exists(h5 + ".partial"));
  // Read back: what the record says is what the search found.
  const auto file = h5::open_file(h5, false);
  const hid_t root = file.id();
  CHECK(h5::get_string_attribute(root, "format") == "trustsim-calibration");
  CHECK(h5::get_int_attribute(root, "complete") == 1);
  CHECK(h5::get_int_attribute(root, "seed") == 7);
  CHECK(h5::read_string(root, "targets_file") == tf.text);
  CHECK(h5::read_string(root, "record_markdown") == md);
  std::vector<std::string> free_names, target_ids;
  for (const auto& p : tf.free) free_names.push_back(p.name);
  for (const auto& t : tf.targets) target_ids.push_back(t.id);
  CHECK(h5::read_strings(root, "free/name") == free_names);
  CHECK(h5::read_doubles(root, "free/fitted") == full.fitted);
  CHECK(h5::read_strings(root, "targets/id") == target_ids);
  CHECK(h5::read_doubles(root, "targets/achieved_mean") == full.verification.mean);
  CHECK(h5::dims_of(root, "search/points") == std::vector<std::size_t>{full.evaluations.size(), tf.free.size()});
  std::vector<double> losses;
  for (const auto& e : full.evaluations) losses.push_back(e.loss);
  CHECK(h5::read_doubles(root, "search/loss") == losses);
  const h5::Handle search(H5Gopen2(root, "search", H5P_DEFAULT), H5Gclose, "group search");
  CHECK(h5::get_int_attribute(search.id(), "best") == static_cast<std::int64_t>(full.best));
  std::filesystem::remove_all(dir);
}
