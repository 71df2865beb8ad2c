// One replicate of one scenario: the city, its state, and the daily step.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <stdexcept>
#include <vector>

#include "core/draws.hpp"
#include "core/rng.hpp"
#include "engine/actors/court.hpp"
#include "engine/actors/ice.hpp"
#include "engine/beliefs.hpp"
#include "engine/day_events.hpp"
#include "engine/feedback.hpp"
#include "engine/learning_rules.hpp"
#include "engine/news.hpp"
#include "output/run_result.hpp"
#include "population/population.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("run interrupted") {}
};

class Simulation {
 public:
  // `seed` is this replicate's seed (see replicate_seed()).
  Simulation(const Scenario& scenario, std::uint64_t seed);

  // Runs every day; `on_day` is called after each one; throws Cancelled when `cancel` is set.
  RunResult run(const std::function<void(int)>& on_day = {}, const std::atomic<bool>* cancel = nullptr);

  const Population& population() const { return pop_; }

  // Read-outs of the state for statistics computed outside the engine (calibration). Valid
  // in `on_day` (after day d, read at `at` = d + 1) and after run() (at = days).
  bool is_present(ResidentId i) const { return present(i); }
  const Beliefs& beliefs() const { return beliefs_; }
  // The day's events (who was contacted, detained, removed, saw an operation), valid in `on_day`.
  const DayEvents& events() const { return today_; }
  // Own reporting probability from trust and fear (no local norm), as in the panel.
  double propensity(double trust, double fear, CrimeType type) const { return propensity_from(trust, fear, type); }
  // A victim's reporting probability at the start of day `at`, local norm included;
  // `with_fear` false: the same resident with fear 0 (full reassurance).
  double reporting_probability_at(ResidentId i, CrimeType type, int at, bool with_fear = true) const;

 private:
  // The day, in the order of MODEL.md.
  void step();
  void apply_policy_schedule();
  void plan_officer_hours();
  void victimisation(DayEvents& today);
  void reporting_and_response(DayEvents& today);
  void stops(DayEvents& today);
  void draw_stops();
  void book(const Arrest& a, DayEvents& today);
  void booking(DayEvents& today);
  void federal_enforcement(DayEvents& today);
  void court_hearings(DayEvents& today);
  void outreach(DayEvents& today);
  void learning(DayEvents& today);
  // Learning's channels (phases/learning.cpp).
  void experience(ResidentId i, Contact kind, double weight = 1.0);
  void hear_of_detentions_through_ties(const DayEvents& today);
  void local_news(const DayEvents& today);
  void announce(int jurisdiction, const PolicyParams& before, const PolicyParams& after);
  void update_feedback();
  void record_metrics();

  // Shared actions
  void detain(ResidentId i, Pathway pathway, Charge charge, DayEvents& today);
  void decide_case(const CourtCase& c, Docket docket, DayEvents& today);
  void leave_city(ResidentId i);
  void return_home(ResidentId i);
  bool present(ResidentId i) const {
    return presence_[static_cast<std::size_t>(i)] == static_cast<std::uint8_t>(Presence::home);
  }
  bool deportable(ResidentId i) const;
  struct Stop {
    ResidentId who;
    std::uint32_t ordinal;  // the stop's number in its cell (keys its draws: a resident stopped twice draws twice)
  };
  ResidentId pick_present(int n, int g_begin, int g_end, Stream stream, std::uint64_t entity, std::uint32_t index,
                          bool adults_only) const;
  void count_by_group(SeriesId id, ResidentId i, std::initializer_list<int> rest = {});
  // Output groups of a resident: its group, then the overlays it belongs to (-1: none).
  std::array<int, 3> output_groups(ResidentId i) const;
  void run_operation(int jurisdiction, int site, bool covert, std::uint64_t entity, DayEvents& today);
  void take_snapshot();
  double reporting_probability(ResidentId i, CrimeType type) const;
  double individual_propensity(ResidentId i, CrimeType type, int day = 0) const;
  double propensity_from(double trust, double fear, CrimeType type) const;
  double own_reporting_logit(double trust, double fear, CrimeType type) const;
  const PolicyParams& policy_of(ResidentId i) const { return policy_[static_cast<std::size_t>(pop_.jurisdiction(i))]; }
  std::uint32_t uday() const { return static_cast<std::uint32_t>(day_); }

  const Scenario& sc_;
  const Params& P_;
  Rng rng_;
  Population pop_;
  Beliefs beliefs_;
  Feedback feedback_;
  LocalNews news_;
  std::vector<PolicyParams> policy_;  // in force, per jurisdiction
  std::vector<std::uint8_t> presence_;
  std::vector<std::uint8_t> case_pending_;  // 1 while a detention awaits its hearing: one case at a time
  std::vector<std::int32_t> present_in_cell_, present_adults_in_cell_;  // per (neighbourhood, group)
  IceOffice ice_;
  ImmigrationCourt court_;
  int day_ = 0;
  std::size_t next_change_ = 0;

  // Officer hours (per jurisdiction): available today, and spent on immigration work.
  std::vector<double> patrol_hours_, investigation_hours_, immigration_hours_, standing_hours_, yesterday_immigration_;
  std::vector<double> clearance_factor_;
  std::vector<double> officers_;   // local officers per jurisdiction
  std::vector<double> residents_;  // residents per jurisdiction (fixed: operation rates are per capita)

  // Today's events (cleared at the start of each day) and the phases' per-task buffers.
  DayEvents today_;
  std::vector<std::vector<Victim>> victims_by_neighbourhood_;  // victimisation's
  std::vector<std::vector<Stop>> stopped_by_neighbourhood_;    // draw_stops's

  // The court's decisions and released holds of the day, and ICE's at-large targets (buffers).
  std::vector<CourtCase> released_holds_, detained_decisions_, non_detained_decisions_;
  std::vector<ResidentId> at_large_targets_;
  std::array<double, kDockets> waited_{}, heard_{};

  // The panel, per (jurisdiction, group or mixed-status overlay) cell: each cell's members in
  // resident order, with their starting propensities and buffers for the day's values
  // (state: 0 or 1 below baseline, 2 absent).
  struct PanelCell {
    std::vector<ResidentId> members;
    std::vector<float> baseline;
    std::vector<double> trust, fear, propensity;
    std::vector<std::uint8_t> state;
  };
  std::vector<PanelCell> panel_;
  std::vector<ResidentId> panel_residents_;  // every panel member once, in resident order
  RunResult result_;
};

std::uint64_t replicate_seed(std::uint64_t scenario_seed, int replicate);

}  // namespace trustsim
