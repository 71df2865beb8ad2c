// Learning: contact asymmetry and lazy relaxation against its half-life.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/beliefs.hpp"
#include "engine/learning_rules.hpp"
#include "helpers.hpp"

using namespace trustsim;

TEST_CASE("a negative contact moves trust negative_asymmetry times as much as a positive one", "[learning]") {
  LearningParams L;
  for (double asym : {4.0, 8.0, 14.0}) {
    L.negative_asymmetry = asym;
    const double t = 0.5;  // equal distance to both bounds
    const double up = moved_trust(t, move_for(Contact::positive, L)) - t;
    const double down = t - moved_trust(t, move_for(Contact::negative, L));
    CHECK(down / up == Approx(asym).epsilon(1e-12));
  }
  // Moves never leave [0, 1].
  L.positive_contact = 1.0;
  L.negative_asymmetry = 1.0;
  CHECK(moved_trust(1.0, move_for(Contact::positive, L)) == 1.0);
  CHECK(moved_trust(0.3, move_for(Contact::negative, L)) == 0.0);
}

TEST_CASE("lazy relaxation equals daily relaxation and halves the gap each half-life", "[learning][statistical]") {
  Scenario sc =
      test::tiny("287g_task_force", {"learning.belief_half_life_days=30", "learning.trust_half_life_days=60"});
  Rng rng(5);
  Population pop = build_population(sc, rng);
  Beliefs lazy(sc, pop, rng), eager(sc, pop, rng);
  const std::vector<std::uint8_t> home(static_cast<std::size_t>(pop.residents()), 0);
  const ResidentId i = 123;
  lazy.set(i, 0, 0.1f, 0.95f);
  eager.set(i, 0, 0.1f, 0.95f);
  const float t0 = lazy.trust(i, 0);
  for (int d = 0; d < 120; ++d) {
    lazy.end_day(d);
    eager.end_day(d);
    eager.materialise_all(d + 1, home);  // the per-resident reference: everyone, every day
  }
  CHECK(lazy.trust(i, 120) == Approx(eager.trust(i, 120)).margin(1e-5));
  CHECK(lazy.belief(i, 120) == Approx(eager.belief(i, 120)).margin(1e-5));
  // Two trust half-lives: a quarter of the gap to the starting level is left.
  Beliefs fresh(sc, pop, rng);
  const double start = fresh.trust(i, 0);
  CHECK(lazy.trust(i, 120) - start == Approx((t0 - start) * 0.25).margin(1e-5));
  // The group sums relaxed without visiting anyone agree with the full recount (to the
  // precision of the float32 values each resident keeps).
  for (int g = 0; g < kGroups; ++g) {
    const auto& a = lazy.cell(0, g, false);
    const auto& b = eager.cell(0, g, false);
    CHECK(a.count == b.count);
    CHECK(a.trust == Approx(b.trust).epsilon(1e-6));
    CHECK(a.belief == Approx(b.belief).epsilon(1e-6));
    CHECK(a.fear == Approx(b.fear).epsilon(1e-6));
  }
}

TEST_CASE("belief relaxes toward the announced signal and follows a schedule change", "[learning]") {
  Scenario sc = test::tiny("sanctuary", {"learning.belief_half_life_days=10", "simulation.days=400"});
  Rng rng(9);
  Population pop = build_population(sc, rng);
  Beliefs b(sc, pop, rng);
  const int undocumented = idx(Group::undocumented);
  const double start = b.cell(0, undocumented, false).belief;
  for (int d = 0; d < 200; ++d) b.end_day(d);
  const double sanctuary = b.cell(0, undocumented, false).belief;
  // Signal 0.1 below the reference 0.35: each target = q0 (1 - c 0.25 / 0.35), c the resident's
  // attention (beliefs.hpp); 20 half-lives.
  double expected = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i)
    if (pop.group[static_cast<std::size_t>(i)] == undocumented && !pop.has(i, kMixedStatus))
      expected += b.start_belief(i) * (1 - b.attention(i) * 0.25 / 0.35);
  CHECK(sanctuary == Approx(expected).epsilon(1e-4));
  CHECK(sanctuary < start);
  b.set_signal(0, 200, 0.8);
  for (int d = 200; d < 400; ++d) b.end_day(d);
  CHECK(b.cell(0, undocumented, false).belief > start);
}
