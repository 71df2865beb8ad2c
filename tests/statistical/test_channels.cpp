// Every learning channel is alive (issue 14, MODEL.md step 8): when its events happen, it
// moves the trust or fear of the residents it reaches by at least a stated amount. Each
// effect is the channel on minus the channel off with the same seed (common random
// numbers), on the last day of a year: among the residents its events reached (own status
// check, ties, household, neighbourhood), or over a group (news, announcement, and the
// patchwork's cross-border ties, which reach whole jurisdictions). The minimum effects are
// about half of what the shipped defaults give; the measured figures are in the INFO lines
// and in docs/model.md ("What carries a policy's effect").
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "helpers.hpp"

using namespace trustsim;

namespace {

constexpr int kUndocumented = idx(Group::undocumented);

const std::vector<std::string> kCity = {"population.residents=200000",   "population.neighbourhoods=40",
                                        "simulation.days=365",           "simulation.replicates=2",
                                        "output.detentions_table=false", "output.panel_per_group=0"};

Scenario city(const std::string& preset, std::vector<std::string> sets) {
  std::vector<std::string> all = kCity;
  all.insert(all.end(), sets.begin(), sets.end());
  return test::tiny(preset, all);
}

// Mean over replicates of a group's population-weighted value on the last day, over the
// jurisdictions `j` selects (-1: all).
double last_day(const std::vector<RunResult>& runs, SeriesId id, int g, int j = -1) {
  double sum = 0;
  for (const auto& r : runs) {
    const int day = r.series.days() - 1;
    double value = 0, people = 0;
    for (int jj = 0; jj < static_cast<int>(r.series.shape(id)[0]); ++jj) {
      if (j >= 0 && jj != j) continue;
      const double n = r.series.at(SeriesId::population, day, {jj, g});
      value += n * r.series.at(id, day, {jj, g});
      people += n;
    }
    sum += value / people;
  }
  return sum / static_cast<double>(runs.size());
}

// A channel's effect on a group's mean: on minus off, everything else the same.
double effect(const std::string& preset, const std::string& channel, SeriesId id, int g) {
  const auto on = run_replicates(city(preset, {}));
  const auto off = run_replicates(city(preset, {"learning.channel_" + channel + "=false"}));
  return last_day(on, id, g) - last_day(off, id, g);
}

// Among the residents a channel's events reached during one run (marked by `reach` from the
// day's events) and still present at the end: mean fear and trust with the channel on minus off.
struct AmongReached {
  double fear = 0, trust = 0, reached = 0;
};
template <class Reach>
AmongReached among_reached(const std::string& preset, const std::string& channel, Reach reach,
                           std::vector<std::string> off_sets = {}) {
  const Scenario on_sc = city(preset, {});
  if (off_sets.empty()) off_sets = {"learning.channel_" + channel + "=false"};
  const Scenario off_sc = city(preset, off_sets);
  const auto seed = replicate_seed(static_cast<std::uint64_t>(on_sc.params.simulation.seed), 0);
  Simulation on(on_sc, seed), off(off_sc, seed);
  std::vector<std::uint8_t> reached(static_cast<std::size_t>(on.population().residents()), 0);
  on.run([&](int) { reach(on, reached); });
  off.run();
  const int end = on_sc.days();
  AmongReached r;
  for (ResidentId i = 0; i < on.population().residents(); ++i) {
    if (!reached[static_cast<std::size_t>(i)] || !on.is_present(i) || !off.is_present(i)) continue;
    r.fear += on.beliefs().fear(i, end) - off.beliefs().fear(i, end);
    r.trust += on.beliefs().trust(i, end) - off.beliefs().trust(i, end);
    r.reached += 1;
  }
  if (r.reached > 0) {
    r.fear /= r.reached;
    r.trust /= r.reached;
  }
  return r;
}

}  // namespace

TEST_CASE("own experience: a status check at a stop raises the fear of those checked",
          "[learning][statistical][long]") {
  // Under the task force; the checked who stay (documented residents, the undocumented not
  // taken) carry the evidence. Off: the check weighs nothing (the rest of the channel stays on).
  const auto r = among_reached(
      "287g_task_force", "own",
      [](const Simulation& sim, std::vector<std::uint8_t>& reached) {
        for (const auto& c : sim.events().contacts)
          if (c.kind == Contact::status_check && sim.population().exposure[static_cast<std::size_t>(c.who)] > 0)
            reached[static_cast<std::size_t>(c.who)] = 1;
      },
      {"learning.status_check_belief=0"});
  INFO("exposed residents checked: " << r.reached << ", fear +" << r.fear);
  CHECK(r.reached > 100);
  CHECK(r.fear > 0.01);
}

TEST_CASE("ties: a detention through the police raises fear and lowers trust along the tie graph",
          "[learning][statistical][long]") {
  const auto r =
      among_reached("287g_task_force", "ties", [](const Simulation& sim, std::vector<std::uint8_t>& reached) {
        const auto W = sim.population().ties.matrix();
        for (ResidentId d : sim.events().police_detainees)
          for (decltype(W)::InnerIterator tie(W, d); tie; ++tie)
            if (sim.population().exposure[static_cast<std::size_t>(tie.col())] > 0)
              reached[static_cast<std::size_t>(tie.col())] = 1;
      });
  INFO("exposed ties of detainees: " << r.reached << ", fear +" << r.fear << ", trust " << r.trust);
  CHECK(r.reached > 100);
  CHECK(r.fear > 0.01);
  CHECK(r.trust < -0.005);
}

TEST_CASE("household: a removal lowers the trust of the members left behind", "[learning][statistical][long]") {
  const auto r =
      among_reached("287g_task_force", "household", [](const Simulation& sim, std::vector<std::uint8_t>& reached) {
        const auto& pop = sim.population();
        for (ResidentId d : sim.events().removed) {
          const auto hh = static_cast<std::size_t>(pop.household[static_cast<std::size_t>(d)]);
          for (auto m = pop.household_start[hh]; m < pop.household_start[hh + 1]; ++m)
            reached[static_cast<std::size_t>(pop.household_members[static_cast<std::size_t>(m)])] = 1;
        }
      });
  INFO("members left behind: " << r.reached << ", trust " << r.trust << ", fear +" << r.fear);
  CHECK(r.reached > 20);
  CHECK(r.trust < -0.02);
  CHECK(r.fear > 0.02);
}

TEST_CASE("neighbourhood: a joint operation costs trust among those who see it", "[learning][statistical][long]") {
  const auto r = among_reached("task_force_cooperation", "neighbourhood",
                               [](const Simulation& sim, std::vector<std::uint8_t>& reached) {
                                 for (ResidentId i : sim.events().operation_witnesses)
                                   reached[static_cast<std::size_t>(i)] = 1;
                               });
  INFO("witnesses: " << r.reached << ", trust " << r.trust << ", fear +" << r.fear);
  CHECK(r.reached > 1000);
  CHECK(r.trust < -0.005);
}

TEST_CASE("news: stories about police-linked detentions raise the fear of the undocumented",
          "[learning][statistical][long]") {
  const double d = effect("287g_task_force", "news", SeriesId::fear_mean, kUndocumented);
  INFO("undocumented fear: +" << d);
  CHECK(d > 0.01);
}

TEST_CASE("announcement: a policy's adoption moves fear in the direction of what it does",
          "[learning][statistical][long]") {
  const double task_force = effect("287g_task_force", "announcement", SeriesId::fear_mean, kUndocumented);
  const double sanctuary = effect("sanctuary", "announcement", SeriesId::fear_mean, kUndocumented);
  const double baseline = effect("baseline", "announcement", SeriesId::fear_mean, kUndocumented);
  INFO("undocumented fear: task force +" << task_force << ", sanctuary " << sanctuary << ", baseline " << baseline);
  CHECK(task_force > 0.001);
  CHECK(sanctuary < -0.0005);
  CHECK(baseline == 0);  // the status quo is not news
}

TEST_CASE("patchwork: fear crosses the border along ties, more as more ties cross", "[learning][statistical][long]") {
  // Sanctuary west beside a task-force east: the ties channel's effect on the west side's
  // undocumented, whose own police detain no one, as the share of ties between
  // neighbourhoods (and so across the border) grows.
  auto spill = [](const std::string& share) {
    const std::string text =
        "name: patchwork\n"
        "jurisdictions:\n"
        "  - {name: west, neighbourhood_share: 0.5, policy: sanctuary}\n"
        "  - {name: east, neighbourhood_share: 0.5, policy: 287g_task_force}\n";
    std::vector<std::string> sets = kCity;
    sets.push_back("population.cross_neighbourhood_tie_share=" + share);
    const auto on = run_replicates(load_scenario_text(text, "patchwork.yaml", sets));
    sets.push_back("learning.channel_ties=false");
    const auto off = run_replicates(load_scenario_text(text, "patchwork.yaml", sets));
    const int west = 0;
    return last_day(on, SeriesId::fear_mean, kUndocumented, west) -
           last_day(off, SeriesId::fear_mean, kUndocumented, west);
  };
  const double none = spill("0"), some = spill("0.15"), many = spill("0.3");
  INFO("west undocumented fear from ties: cross share 0 +" << none << ", 0.15 +" << some << ", 0.3 +" << many);
  CHECK(none == 0);  // no tie crosses, and the west's police hand no one over
  CHECK(some > 0);
  CHECK(many > 1.5 * some);
}

TEST_CASE("a visible crackdown moves fear within weeks, a quiet one more slowly", "[learning][statistical][long]") {
  // Baseline, then the 287(g) task force on day 100, announced (publicity 1) or quietly (0).
  auto fear_after = [](const std::string& publicity) {
    const std::string text =
        "name: switch\npolicy: baseline\nschedule:\n  - day: 100\n    policy: {preset: 287g_task_force, publicity: " +
        publicity + "}\n";
    std::vector<std::string> sets = kCity;
    sets.push_back("simulation.days=300");
    const auto runs = run_replicates(load_scenario_text(text, "switch.yaml", sets));
    std::vector<double> change;  // undocumented fear on days 114 and 299 against day 99
    for (int day : {113, 298}) {
      double d = 0;
      for (const auto& r : runs)
        d += r.series.at(SeriesId::fear_mean, day, {0, kUndocumented}) -
             r.series.at(SeriesId::fear_mean, 98, {0, kUndocumented});
      change.push_back(d / static_cast<double>(runs.size()));
    }
    return change;
  };
  const auto visible = fear_after("1"), quiet = fear_after("0");
  INFO("undocumented fear after two weeks: visible +" << visible[0] << ", quiet +" << quiet[0]
                                                      << "; after 200 days: visible +" << visible[1] << ", quiet +"
                                                      << quiet[1]);
  CHECK(visible[0] > 0.01);
  CHECK(visible[0] > 3 * quiet[0]);
  CHECK(quiet[1] > quiet[0]);  // the quiet change is noticed, slowly, through what the police do
}
