// The daily step against known answers: event counts against their rates, the event
// method against the per-resident reference, and policy directions (determinism across
// thread counts: tests/determinism/).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "engine/quantiles.hpp"
#include "engine/simulation.hpp"
#include "helpers.hpp"

using namespace trustsim;

namespace {

// Reporting rate of one group over the whole run and every replicate.
double reporting_rate(const std::vector<RunResult>& runs, int group) {
  double v = 0, r = 0;
  for (const auto& run : runs)
    for (int d = 0; d < run.series.days(); ++d)
      for (int t = 0; t < kCrimeTypes; ++t) {
        v += run.series.at(SeriesId::victimisations, d, {0, group, t});
        r += run.series.at(SeriesId::reports, d, {0, group, t});
      }
  return r / v;
}

}  // namespace

TEST_CASE("panel quantiles by selection equal numpy's linear quantiles of the sorted values", "[engine]") {
  Rng rng(7);
  for (std::size_t n = 1; n <= 80; ++n) {
    std::vector<double> v(n);
    // Few distinct values for small n, so ties are common.
    for (std::size_t k = 0; k < n; ++k)
      v[k] = std::floor(rng.uniform(Stream::panel, static_cast<std::uint32_t>(n), k) * (n % 3 == 0 ? 4 : 1000));
    std::vector<double> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    const auto q = quantiles_of(v);
    for (std::size_t i = 0; i < kQuantiles.size(); ++i) {
      const double pos = kQuantiles[i] * static_cast<double>(n - 1);
      const auto lo = static_cast<std::size_t>(pos), hi = std::min(lo + 1, n - 1);
      CHECK(q[i] == sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]));
    }
  }
  std::vector<double> empty;
  CHECK(std::isnan(quantiles_of(empty)[0]));
  std::vector<double> five = {5, 1, 4, 2, 3};  // numpy: 1.4, 2, 3, 4, 4.6
  const auto q = quantiles_of(five);
  CHECK(q[0] == Approx(1.4));
  CHECK(q[2] == 3.0);
  CHECK(q[4] == Approx(4.6));
}

TEST_CASE("daily victimisations follow their binomial rate when feedback is off", "[engine][statistical]") {
  for (const char* method : {"event", "per_resident"}) {
    Scenario sc = test::tiny("sanctuary", {"crime.impunity_elasticity=0", "crime.targeting_elasticity=0",
                                           std::string("simulation.method=") + method});
    auto runs = run_replicates(sc);
    const auto& r = runs.front();
    // Expected: residents present x rate x days; the count is Poisson-binomial with variance <= mean.
    double expected = 0, observed = 0, sum_sq = 0;
    for (int d = 0; d < sc.days(); ++d) {
      double present = 0, today = 0;
      for (int g = 0; g < kGroups; ++g) {
        present += r.series.at(SeriesId::population, d > 0 ? d - 1 : 0, {0, g});
        today += r.series.at(SeriesId::victimisations, d, {0, g, idx(CrimeType::violent)});
      }
      const double mean = present * sc.params.crime.violent_daily_rate;
      expected += mean;
      observed += today;
      sum_sq += (today - mean) * (today - mean) / mean;
    }
    INFO(method << ": expected " << expected << " observed " << observed);
    CHECK(std::fabs(observed - expected) < 4 * std::sqrt(expected));
    // Dispersion: mean of (x - m)^2 / m is 1 for Poisson counts (sd about sqrt(2/days)).
    CHECK(sum_sq / sc.days() == Approx(1.0).margin(5 * std::sqrt(2.0 / sc.days())));
  }
}

TEST_CASE("targeting starts in equilibrium when residents keep their starting trust and fear",
          "[engine][statistical][long]") {
  // Nobody learns anything, and targeting is strong: the undocumented, who report least, are
  // targeted from day 0 as much as at day 200. (Averages that started at the city's level
  // instead made their victimisation climb over the first weeks of every run.)
  Scenario sc = test::tiny(
      "baseline",
      {"population.residents=200000", "population.neighbourhoods=80", "population.undocumented_household_share=0.2",
       "simulation.days=150", "simulation.replicates=8", "crime.targeting_elasticity=2", "learning.positive_contact=0",
       "learning.reassurance=0", "learning.status_check_belief=0", "learning.vicarious_trust=0",
       "learning.vicarious_belief=0", "learning.household_shock_trust=0", "learning.household_shock_belief=0",
       "learning.operation_trust=0", "learning.operation_belief=0", "learning.outreach_trust=0",
       "learning.outreach_reassurance=0", "learning.channel_news=false", "learning.channel_announcement=false"});
  auto runs = run_replicates(sc);
  const int g = idx(Group::undocumented);
  auto victims_per_resident_day = [&](int from, int to) {
    double victims = 0, exposure = 0;
    for (const auto& r : runs)
      for (int d = from; d < to; ++d) {
        exposure += r.series.at(SeriesId::population, d > 0 ? d - 1 : 0, {0, g});
        for (int t = 0; t < kCrimeTypes; ++t) victims += r.series.at(SeriesId::victimisations, d, {0, g, t});
      }
    return std::pair{victims / exposure, victims};
  };
  const auto [early, early_count] = victims_per_resident_day(0, 30);
  const auto [late, late_count] = victims_per_resident_day(75, 150);
  const double base = sc.params.crime.violent_daily_rate + sc.params.crime.property_daily_rate;
  INFO("undocumented victimisations per resident-day: days 0-29 " << early << " (" << early_count << "), days 75-149 "
                                                                  << late << " (" << late_count << "), base " << base);
  CHECK(late > 1.5 * base);  // the targeting this test is about is there
  // The feedback loop amplifies the Poisson noise, so the margin is measured, not derived:
  // over seeds 1-5 the ratio was 0.94-1.09; averages that start at the city's level gave 0.60-0.72.
  CHECK(early / late == Approx(1.0).margin(0.2));
}

TEST_CASE("the event method matches the per-resident reference in distribution", "[engine][statistical][long]") {
  auto summary = [](const std::string& method) {
    Scenario sc = test::tiny("287g_task_force", {"simulation.replicates=6", "simulation.method=" + method});
    auto runs = run_replicates(sc);
    std::vector<std::vector<double>> per_run;
    for (auto& r : runs) {
      const int last = sc.days() - 1;
      per_run.push_back({test::total(r, SeriesId::victimisations), test::total(r, SeriesId::reports),
                         test::total(r, SeriesId::stops), test::total(r, SeriesId::status_checks),
                         r.series.at(SeriesId::trust_mean, last, {0, idx(Group::undocumented)}),
                         r.series.at(SeriesId::belief_mean, last, {0, idx(Group::undocumented)}),
                         r.series.at(SeriesId::trust_mean, last, {0, idx(Group::citizen_non_immigrant)})});
    }
    return per_run;
  };
  auto event = summary("event"), reference = summary("per_resident");
  const char* names[] = {"victimisations",        "reports",       "stops", "status checks", "trust (undocumented)",
                         "belief (undocumented)", "trust (others)"};
  for (std::size_t k = 0; k < event.front().size(); ++k) {
    double me = 0, mr = 0, ve = 0, vr = 0;
    const double n = static_cast<double>(event.size());
    for (std::size_t r = 0; r < event.size(); ++r) {
      me += event[r][k] / n;
      mr += reference[r][k] / n;
    }
    for (std::size_t r = 0; r < event.size(); ++r) {
      ve += (event[r][k] - me) * (event[r][k] - me) / (n - 1);
      vr += (reference[r][k] - mr) * (reference[r][k] - mr) / (n - 1);
    }
    // Difference of two means of n replicates: 4 standard errors, plus a floor for
    // quantities whose replicate spread is tiny (float rounding of the two relaxations).
    const double tolerance = 4 * std::sqrt(ve / n + vr / n) + 1e-4 * std::fabs(mr);
    INFO(names[k] << ": event " << me << " reference " << mr << " tolerance " << tolerance);
    CHECK(std::fabs(me - mr) <= tolerance);
  }
}

TEST_CASE("under 287(g) task force, undocumented and mixed-status residents report less and more are detained",
          "[engine][direction][long]") {
  const std::vector<std::string> sets = {"population.residents=60000", "population.neighbourhoods=30",
                                         "simulation.days=730", "simulation.replicates=2"};
  auto sanctuary = run_replicates(test::tiny("sanctuary", sets));
  auto task_force = run_replicates(test::tiny("287g_task_force", sets));
  const int undocumented = idx(Group::undocumented), mixed = kGroups, others = idx(Group::citizen_non_immigrant);
  INFO("undocumented " << reporting_rate(sanctuary, undocumented) << " -> "
                       << reporting_rate(task_force, undocumented));
  INFO("mixed " << reporting_rate(sanctuary, mixed) << " -> " << reporting_rate(task_force, mixed));
  INFO("others " << reporting_rate(sanctuary, others) << " -> " << reporting_rate(task_force, others));
  CHECK(reporting_rate(task_force, undocumented) < reporting_rate(sanctuary, undocumented) - 0.03);
  CHECK(reporting_rate(task_force, mixed) < reporting_rate(sanctuary, mixed) - 0.03);
  // Citizens outside immigrant-origin households barely move (within 2 points).
  CHECK(std::fabs(reporting_rate(task_force, others) - reporting_rate(sanctuary, others)) < 0.02);
  double detained_s = 0, detained_t = 0;
  for (auto& r : sanctuary) detained_s += test::total(r, SeriesId::detentions);
  for (auto& r : task_force) detained_t += test::total(r, SeriesId::detentions);
  CHECK(detained_t > 1.5 * detained_s);
}
