// Invariants of the engine's bookkeeping that must hold in any scenario, pushed to
// extremes where the rare cases become common.
#include <catch2/catch.hpp>

#include <set>
#include <utility>

#include "engine/simulation.hpp"
#include "helpers.hpp"

using namespace trustsim;

TEST_CASE("a resident is detained at most once a day, even when stopped twice", "[engine][invariant]") {
  // Many stops in small cells, every stop checked and every undocumented person picked up:
  // the same resident is often drawn for two stops on one day.
  Scenario sc = test::tiny("287g_task_force", {"population.residents=2000", "population.neighbourhoods=10",
                                               "simulation.days=60", "police.stops_per_patrol_hour=10",
                                               "policy.patrol_status_check_prob=1", "ice.referral_pickup_prob=1"});
  Simulation sim(sc, replicate_seed(5, 0));
  const RunResult r = sim.run();
  REQUIRE(r.detentions.size() > 20);
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (const auto& d : r.detentions) {
    INFO("resident " << d.resident << " on day " << d.day);
    CHECK(seen.insert({d.day, d.resident}).second);
  }
}
