// Learning: contact asymmetry and lazy relaxation against its half-life.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "engine/beliefs.hpp"
#include "engine/learning_rules.hpp"
#include "engine/news.hpp"
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

TEST_CASE("broadcasts reach news followers in proportion to exposure; lazy catch-up equals daily replay",
          "[learning]") {
  Scenario sc = test::tiny("baseline", {"learning.belief_half_life_days=20", "learning.trust_half_life_days=40",
                                        "learning.entanglement_trust=0.5", "simulation.days=120"});
  Rng rng(11);
  Population pop = build_population(sc, rng);
  Beliefs lazy(sc, pop, rng), eager(sc, pop, rng);
  const std::vector<std::uint8_t> home(static_cast<std::size_t>(pop.residents()), 0);
  // A story on day 0 (weight 0.4), a reassuring announcement and a
  // second story on day 30, one more on day 31.
  const std::vector<std::tuple<int, double, bool>> news = {
      {0, 0.4, true}, {30, 2.0, false}, {30, 0.4, true}, {31, 0.4, true}};
  const ResidentId touched = 77;
  for (int d = 0; d < 120; ++d) {
    for (const auto& [day, w, raises] : news)
      if (day == d) {
        lazy.broadcast(0, d, w, raises);
        eager.broadcast(0, d, w, raises);
      }
    if (d == 31) {  // a resident touched between broadcasts
      lazy.set(touched, d, 0.2f, 0.9f);
      eager.set(touched, d, 0.2f, 0.9f);
    }
    lazy.end_day(d);
    eager.end_day(d);
    eager.materialise_all(d + 1, home);
  }
  int followers = 0, others = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i) {
    CHECK(lazy.trust(i, 120) == Approx(eager.trust(i, 120)).margin(1e-5));
    CHECK(lazy.belief(i, 120) == Approx(eager.belief(i, 120)).margin(1e-5));
    (lazy.follows_news(i) ? followers : others) += 1;
  }
  CHECK(followers > 0);
  CHECK(others > 0);
  for (int g = 0; g < kGroups; ++g)
    for (bool mixed : {false, true}) {
      const auto a = lazy.cell(0, g, mixed), b = eager.cell(0, g, mixed);
      CHECK(a.count == b.count);
      CHECK(a.trust == Approx(b.trust).epsilon(1e-6));
      CHECK(a.belief == Approx(b.belief).epsilon(1e-6));
      CHECK(a.fear == Approx(b.fear).epsilon(1e-6));
    }

  // One story, read the next day: a follower moves w of the way to 1, then one
  // day of forgetting; trust loses that share times exposure times entanglement_trust;
  // others do not move.
  Beliefs one(sc, pop, rng);
  one.broadcast(0, 0, 0.4, true);
  one.end_day(0);
  const double bd = std::pow(0.5, 1.0 / 20), td = std::pow(0.5, 1.0 / 40);
  int checked_follower = 0, checked_other = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i) {
    const double e = pop.exposure[static_cast<std::size_t>(i)];
    if (e == 0) continue;
    const double q0 = one.start_belief(i), t0 = one.start_trust(i);
    const double a = one.follows_news(i) ? 0.4 : 0.0;
    const double q = q0 + a * (1 - q0), t = t0 - a * 0.5 * e * t0;
    CHECK(one.belief(i, 1) == Approx(q0 + bd * (q - q0)).margin(1e-6));
    CHECK(one.trust(i, 1) == Approx(t0 + td * (t - t0)).margin(1e-6));
    (one.follows_news(i) ? checked_follower : checked_other) += 1;
  }
  CHECK(checked_follower > 100);
  CHECK(checked_other > 100);
}

TEST_CASE("a policy's announced content is what it does: the chance that a stop ends in ICE custody", "[learning]") {
  auto entanglement = [](const std::string& preset) {
    const auto sc = test::tiny(preset);
    return police_entanglement(sc.jurisdictions[0].policy, sc.params);
  };
  const Scenario base = test::tiny("baseline");
  const auto& P = base.params;
  // Baseline: only an arrest at a stop (stop_arrest_prob) can lead to custody, through a
  // detainer issued for a person with no record and honoured.
  CHECK(entanglement("baseline") == Approx(P.police.stop_arrest_prob * P.ice.detainer_issue_none));
  CHECK(entanglement("sanctuary") == 0);
  CHECK(entanglement("sanctuary_serious_only") == 0);  // no record: never honoured
  CHECK(entanglement("sanctuary_notice_only") ==
        Approx(P.police.stop_arrest_prob * P.ice.detainer_issue_none * P.ice.release_pickup_prob));
  CHECK(entanglement("287g_jail") == Approx(P.police.stop_arrest_prob));  // screening issues every detainer
  const double referral = 0.15 * P.ice.referral_pickup_prob;
  CHECK(entanglement("287g_task_force") == Approx(referral + (1 - referral) * P.police.stop_arrest_prob));
  // The order of the presets follows from their knobs.
  CHECK(entanglement("sanctuary") < entanglement("sanctuary_judicial_warrant"));
  CHECK(entanglement("sanctuary_judicial_warrant") < entanglement("sanctuary_notice_only"));
  CHECK(entanglement("sanctuary_notice_only") < entanglement("baseline"));
  CHECK(entanglement("baseline") < entanglement("287g_jail"));
  CHECK(entanglement("287g_jail") < entanglement("287g_task_force"));
  CHECK(entanglement("task_force_cooperation") == entanglement("287g_task_force"));  // its raids are news of their own
}

TEST_CASE("local news: a story's chance grows with detentions per capita and with novelty", "[learning]") {
  LearningParams L;
  L.news_story_rate = 0.1;
  L.news_novelty_days = 30;
  const Rng rng(3);
  // The share of days with a story, for days far apart (full novelty) and a given size.
  auto share = [&](double size) {
    LocalNews news(L, 1);
    int stories = 0;
    for (int d = 0; d < 200000; d += 1000) stories += news.story(0, d, size, rng);
    return stories / 200.0;
  };
  CHECK(share(0) == 0);
  CHECK(share(1) == Approx(0.1).margin(0.06));
  CHECK(share(5) == Approx(0.5).margin(0.1));
  CHECK(share(20) == 1);  // the chance is capped at 1
  // Right after a story, none (novelty 0); after novelty_days, 1 - 1/e of full novelty.
  LocalNews news(L, 2);
  REQUIRE(news.story(0, 100, 1000, rng));
  CHECK_FALSE(news.story(0, 100, 1000, rng));
  CHECK(news.story(0, 101, 1000, rng));  // size 1000: chance min(1, 100 x (1 - e^(-1/30))) = 1
  CHECK(news.story(1, 100, 1000, rng));  // jurisdictions are apart
}
