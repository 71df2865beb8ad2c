// Same inputs, same bits, whatever the thread count: the engine's replicates and the
// population build under 1, 2 and 8 threads (the program's runs at --threads 1 and 2 are
// compared in tests/cli/test_cli.cpp, a sweep split across shards in tests/unit/sweep/).
#include <tbb/global_control.h>
#include <catch2/catch.hpp>

#include <cstring>

#include "engine/simulation.hpp"
#include "helpers.hpp"
#include "population/population.hpp"

using namespace trustsim;

namespace {

std::vector<RunResult> run_with_threads(const Scenario& sc, int threads) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  return run_replicates(sc);
}

}  // namespace

TEST_CASE("same scenario and seed give identical bits at 1, 2 and 8 threads; another seed differs",
          "[engine][determinism]") {
  Scenario sc = test::tiny("task_force_cooperation", {"simulation.replicates=2", "simulation.days=150"});
  auto one = run_with_threads(sc, 1), two = run_with_threads(sc, 2), eight = run_with_threads(sc, 8),
       again = run_with_threads(sc, 2);
  for (std::size_t s = 0; s < series_specs().size(); ++s) {
    const auto id = static_cast<SeriesId>(s);
    for (std::size_t r = 0; r < one.size(); ++r) {
      INFO(series_specs()[s].name);
      // memcmp-style equality, NaN included: compare the bytes.
      const auto& a = one[r].series.data(id);
      for (const auto* other : {&two[r].series.data(id), &eight[r].series.data(id), &again[r].series.data(id)})
        REQUIRE(std::memcmp(a.data(), other->data(), a.size() * sizeof(double)) == 0);
    }
  }
  REQUIRE(one[0].detentions.size() == eight[0].detentions.size());
  CHECK(std::memcmp(one[0].snapshots.trust_mean.data(), eight[0].snapshots.trust_mean.data(),
                    one[0].snapshots.trust_mean.size() * sizeof(double)) == 0);

  Scenario other =
      test::tiny("task_force_cooperation", {"simulation.replicates=2", "simulation.days=150", "simulation.seed=2"});
  auto different = run_replicates(other);
  CHECK(different[0].series.data(SeriesId::victimisations) != one[0].series.data(SeriesId::victimisations));
  // Replicates of one run differ from each other too.
  CHECK(one[0].series.data(SeriesId::victimisations) != one[1].series.data(SeriesId::victimisations));
}

TEST_CASE("population build gives the same bits for any thread count", "[population][determinism]") {
  Scenario sc = test::tiny("baseline");
  auto build = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    return build_population(sc, Rng(8));
  };
  Population a = build(1), b = build(2);
  CHECK(a.group == b.group);
  CHECK(a.household == b.household);
  CHECK(a.propensity == b.propensity);
  CHECK(a.ties.column == b.ties.column);
  CHECK(a.ties.weight == b.ties.weight);
  CHECK(a.alias_other == b.alias_other);
}
