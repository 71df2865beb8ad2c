// Enforcement as actors (ICE's budget, booking charges, sanctuary forms, the court's dockets,
// per-capita operations): controlled experiments with one seed, and regression tests for
// the bugs the actors replaced.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/simulation.hpp"
#include "helpers.hpp"

using namespace trustsim;

namespace {

// Sum of a series over days and replicates, for the slots `keep` accepts. The slot's index
// vector is the series' axes after the day.
template <class Keep>
double sum_where(const std::vector<RunResult>& runs, SeriesId id, Keep keep) {
  double t = 0;
  for (const auto& r : runs) {
    const auto shape = r.series.shape(id);
    const auto& data = r.series.data(id);
    std::size_t per_day = 1;
    for (auto n : shape) per_day *= n;
    std::vector<int> index(shape.size());
    for (std::size_t k = 0; k < data.size(); ++k) {
      std::size_t rest = k % per_day;
      for (std::size_t a = shape.size(); a-- > 0;) {
        index[a] = static_cast<int>(rest % shape[a]);
        rest /= shape[a];
      }
      if (keep(index)) t += data[k];
    }
  }
  return t;
}
double sum_all(const std::vector<RunResult>& runs, SeriesId id) {
  return sum_where(runs, id, [](const std::vector<int>&) { return true; });
}
// detentions: (jurisdiction, pathway, charge, record, status)
double detained(const std::vector<RunResult>& runs, int pathway = -1, int record = -1, int charge = -1) {
  return sum_where(runs, SeriesId::detentions, [&](const std::vector<int>& i) {
    return (pathway < 0 || i[1] == pathway) && (charge < 0 || i[2] == charge) && (record < 0 || i[3] == record);
  });
}

const std::vector<std::string> kCity = {"population.residents=200000", "population.neighbourhoods=40",
                                        "simulation.days=730", "simulation.replicates=2"};

}  // namespace

TEST_CASE("refusing detainers moves ICE's effort to at-large and collateral arrests in that jurisdiction",
          "[enforcement][statistical][long]") {
  const auto baseline = run_replicates(test::tiny("baseline", kCity));
  const auto sanctuary = run_replicates(test::tiny("sanctuary", kCity));
  const int at_large = idx(Pathway::at_large), collateral = idx(Pathway::collateral);
  INFO("at large " << detained(baseline, at_large) << " -> " << detained(sanctuary, at_large));
  INFO("collateral " << detained(baseline, collateral) << " -> " << detained(sanctuary, collateral));
  CHECK(detained(sanctuary, idx(Pathway::detainer)) == 0);
  CHECK(detained(sanctuary, at_large) > 1.3 * detained(baseline, at_large));
  CHECK(detained(sanctuary, at_large) + detained(sanctuary, collateral) >
        1.3 * (detained(baseline, at_large) + detained(baseline, collateral)));
  CHECK(sum_all(sanctuary, SeriesId::ice_budget_hours) > 1.3 * sum_all(baseline, SeriesId::ice_budget_hours));
  // Yet fewer people are detained in all: at-large arrests cost ten times a jail pickup.
  CHECK(detained(sanctuary) < detained(baseline));
}

TEST_CASE(
    "honouring detainers only for serious or violent convictions keeps violent-record detentions near the "
    "baseline's, and cuts detentions by about a third",
    "[enforcement][statistical][long]") {
  const auto baseline = run_replicates(test::tiny("baseline", kCity));
  const auto serious = run_replicates(test::tiny("sanctuary_serious_only", kCity));
  const auto refuse_all = run_replicates(test::tiny("sanctuary", kCity));
  const int violent = idx(Record::violent);
  INFO("violent-record detentions: baseline " << detained(baseline, -1, violent) << ", serious only "
                                              << detained(serious, -1, violent) << ", refuse all "
                                              << detained(refuse_all, -1, violent));
  INFO("all detentions: baseline " << detained(baseline) << ", serious only " << detained(serious));
  CHECK(detained(serious, -1, violent) > 0.75 * detained(baseline, -1, violent));
  CHECK(detained(refuse_all, -1, violent) < detained(serious, -1, violent));
  // Hausman (2020): sanctuary policies cut deportations by about a third.
  const double cut = 1 - detained(serious) / detained(baseline);
  CHECK(cut > 0.2);
  CHECK(cut < 0.5);
}

TEST_CASE(
    "under 287(g), detainees carry their booking charge: traffic and misdemeanour bookings of people with no "
    "record are detained",
    "[enforcement][statistical][long]") {
  const auto jail = run_replicates(test::tiny("287g_jail", kCity));
  const auto task_force = run_replicates(test::tiny("287g_task_force", kCity));
  const int detainer = idx(Pathway::detainer), none = idx(Record::none);
  for (const auto* runs : {&jail, &task_force}) {
    CHECK(detained(*runs, detainer, none, idx(Charge::traffic_other)) > 0);
    CHECK(detained(*runs, detainer, none, idx(Charge::misdemeanour)) > 0);
    CHECK(detained(*runs, detainer, -1, idx(Charge::violent_felony)) > 0);
    CHECK(detained(*runs, detainer, -1, idx(Charge::none)) == 0);  // a detainer always follows a booking
  }
  // Only the task force detains at stops, and those detentions follow no booking.
  CHECK(detained(jail, idx(Pathway::stop)) == 0);
  CHECK(detained(task_force, idx(Pathway::stop)) == detained(task_force, idx(Pathway::stop), -1, idx(Charge::none)));
  CHECK(detained(task_force, idx(Pathway::stop)) > 0);
  // Bookings by charge add up to the arrests (the arrests series counts each in its group and overlays).
  CHECK(sum_where(task_force, SeriesId::bookings, [](const std::vector<int>& i) { return i[1] == 0; }) == 0);
}

TEST_CASE("removals rise with enforcement, and the baseline's detained docket is near a steady state",
          "[enforcement][statistical][long]") {
  const auto baseline = run_replicates(test::tiny("baseline", kCity));
  const auto task_force = run_replicates(test::tiny("287g_task_force", kCity));
  const auto removals = [](const std::vector<RunResult>& runs) {
    return sum_where(runs, SeriesId::removals, [](const std::vector<int>& i) { return i[1] < kGroups; });
  };
  INFO("removals " << removals(baseline) << " -> " << removals(task_force));
  CHECK(removals(task_force) > 1.1 * removals(baseline));
  for (const auto& r : baseline) {
    // The detained backlog stays small: its capacity exceeds the baseline's held inflow.
    double late = 0;
    for (int d = 365; d < 730; ++d) late += r.series.at(SeriesId::court_backlog, d, {idx(Docket::detained)});
    CHECK(late / 365 < 20);
  }
}

TEST_CASE("an operation policy has the same per-capita effect at 200,000 and 2,000,000 residents",
          "[enforcement][statistical][long]") {
  struct Effect {
    double detentions, reporting;
  };
  auto effect = [](int residents, int neighbourhoods) {
    const std::vector<std::string> sets = {"population.residents=" + std::to_string(residents),
                                           "population.neighbourhoods=" + std::to_string(neighbourhoods),
                                           "simulation.days=365", "simulation.replicates=2"};
    auto with_ops = sets;
    with_ops.push_back("policy.joint_operations_per_100k_month=2");
    const auto base = run_replicates(test::tiny("baseline", sets));
    const auto ops = run_replicates(test::tiny("baseline", with_ops));
    const auto undocumented_rate = [](const std::vector<RunResult>& runs) {
      const auto undoc = [](const std::vector<int>& i) { return i[1] == idx(Group::undocumented); };
      return sum_where(runs, SeriesId::reports, undoc) / sum_where(runs, SeriesId::victimisations, undoc);
    };
    return Effect{(detained(ops) - detained(base)) / residents * 1e5 / 2,
                  undocumented_rate(ops) - undocumented_rate(base)};
  };
  const Effect small = effect(200000, 40), large = effect(2000000, 40);
  INFO("extra detentions per 100,000 a year: " << small.detentions << " and " << large.detentions);
  INFO("undocumented reporting change: " << small.reporting << " and " << large.reporting);
  // One operation a month per 50,000 residents, 6 arrests each: about 14 per 100,000 a year
  // (sd of the smaller city's estimate about 2).
  CHECK(small.detentions > 5);
  CHECK(std::fabs(small.detentions - large.detentions) < 0.3 * large.detentions);
  CHECK(std::fabs(small.reporting - large.reporting) < 0.02);
}

TEST_CASE(
    "every at-large arrest ICE pays for is a detention of a resident of that jurisdiction, also when the "
    "detained are released on bond",
    "[enforcement]") {
  // Before, a person released on bond rejoined ICE's pool and a second pick was silently lost.
  auto sc = load_scenario_text(
      "name: bond\njurisdictions:\n  - {name: west, neighbourhood_share: 0.5, policy: sanctuary}\n"
      "  - {name: east, neighbourhood_share: 0.5, policy: baseline}\n",
      "bond.yaml",
      {"population.residents=20000", "population.neighbourhoods=10", "simulation.days=200", "court.hold_prob=0",
       "ice.agents_per_100k=100"});
  Simulation sim(sc, replicate_seed(3, 0));
  const RunResult r = sim.run();
  for (int j = 0; j < 2; ++j) {
    double hours = 0, picked = 0;
    for (int d = 0; d < 200; ++d) hours += r.series.at(SeriesId::ice_hours, d, {j, idx(Pathway::at_large)});
    for (const auto& row : r.detentions)
      if (row.pathway == idx(Pathway::at_large)) {
        CHECK(row.jurisdiction == sim.population().jurisdiction(static_cast<ResidentId>(row.resident)));
        picked += row.jurisdiction == j;
      }
    CHECK(picked > 10);
    CHECK(picked == Approx(hours / sc.params.ice.hours_per_at_large_arrest));
  }
}

TEST_CASE(
    "stops are shared among adults, designated officers make their share of patrol's stops, and a resident "
    "stopped twice in a day draws twice",
    "[enforcement][statistical]") {
  SECTION("stops per adult do not depend on how many minors a group has, at profiling multiplier 1") {
    auto sc = test::tiny("baseline", {"population.residents=100000", "police.stops_per_patrol_hour=1"});
    Simulation sim(sc, replicate_seed(4, 0));
    const RunResult r = sim.run();
    const Population& pop = sim.population();
    double adults[kGroups] = {}, stops[kGroups] = {};
    for (ResidentId i = 0; i < pop.residents(); ++i)
      adults[pop.group[static_cast<std::size_t>(i)]] += !pop.has(i, kMinor);
    for (int g = 0; g < kGroups; ++g)
      for (int d = 0; d < sc.days(); ++d) stops[g] += r.series.at(SeriesId::stops, d, {0, g});
    const double native = stops[0] / adults[0];
    for (int g = 1; g < kGroups; ++g) {
      INFO("group " << g << ": " << stops[g] / adults[g] << " stops per adult against " << native);
      CHECK(stops[g] / adults[g] == Approx(native).epsilon(0.05));
    }
  }
  SECTION("designated officers spend part of their time on other duties") {
    auto sc =
        test::tiny("baseline", {"policy.designated_officer_share=0.5", "police.designated_immigration_time_share=0.5",
                                "police.stops_per_patrol_hour=1"});
    const auto runs = run_replicates(sc);
    const double share = sum_all(runs, SeriesId::status_checks) / sum_all(runs, SeriesId::stops);
    CHECK(share == Approx(1.0 / 3).epsilon(0.03));  // 0.5 x 0.5 / (0.5 x 0.5 + 0.5)
  }
  SECTION("two stops of one resident have independent outcomes") {
    // A tiny city stopped about twice per adult a day, half the stops with a check: if
    // both stops of a resident shared their draws, daily checks would vary about 1 + 2 x 0.5
    // times as much as a Poisson count (var/mean about 2); independent, about as much.
    auto sc = test::tiny(
        "baseline", {"population.residents=300", "population.neighbourhoods=1", "police.stops_per_patrol_hour=10",
                     "police.officers_per_1000=50", "policy.patrol_status_check_prob=0.5", "ice.referral_pickup_prob=0",
                     "police.stop_arrest_prob=0", "police.hours_per_status_check=0"});
    Simulation sim(sc, replicate_seed(6, 0));
    const RunResult r = sim.run();
    double sum = 0, sum2 = 0, stops = 0;
    for (int d = 0; d < sc.days(); ++d) {
      double checks = 0;
      for (int g = 0; g < kGroups; ++g) {
        checks += r.series.at(SeriesId::status_checks, d, {0, g});
        stops += r.series.at(SeriesId::stops, d, {0, g});
      }
      sum += checks;
      sum2 += checks * checks;
    }
    const double n = sc.days(), mean = sum / n, var = sum2 / n - mean * mean;
    INFO("stops per day " << stops / n << ", checks per day " << mean << ", variance " << var);
    CHECK(stops / n > 300);
    CHECK(var / mean < 1.4);
  }
}

TEST_CASE("citizens of mixed-status households are their own output group, and output.detentions_table is honoured",
          "[enforcement]") {
  auto sc = test::tiny("287g_task_force", {"simulation.days=30"});
  Simulation sim(sc, replicate_seed(2, 0));
  const RunResult r = sim.run();
  const Population& pop = sim.population();
  double citizens_mixed = 0;
  for (ResidentId i = 0; i < pop.residents(); ++i)
    citizens_mixed += pop.has(i, kMixedStatus) &&
                      pop.status[static_cast<std::size_t>(i)] == static_cast<std::uint8_t>(Status::citizen);
  CHECK(citizens_mixed > 0);
  CHECK(r.series.at(SeriesId::population, 0, {0, kMixedStatusCitizenGroup}) <= citizens_mixed);
  CHECK(r.series.at(SeriesId::population, 0, {0, kMixedStatusCitizenGroup}) > 0.95 * citizens_mixed);
  CHECK(!r.detentions.empty());

  auto no_table = test::tiny("287g_task_force", {"simulation.days=30", "output.detentions_table=false"});
  Simulation quiet(no_table, replicate_seed(2, 0));
  const RunResult q = quiet.run();
  CHECK(q.detentions.empty());
  CHECK(test::total(q, SeriesId::detentions) == test::total(r, SeriesId::detentions));
}
