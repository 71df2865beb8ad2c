#include "engine/simulation.hpp"

#include <tbb/parallel_for.h>

#include <cmath>

namespace trustsim {

std::uint64_t replicate_seed(std::uint64_t scenario_seed, int replicate) {
  return derive_seed(scenario_seed, Stream::replicate_seed, static_cast<std::uint64_t>(replicate));
}

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed)
    : sc_(scenario),
      P_(scenario.params),
      rng_(seed),
      pop_(build_population(scenario, rng_)),
      beliefs_(scenario, pop_, rng_),
      feedback_(scenario, pop_),
      news_(scenario.params.learning, static_cast<int>(scenario.jurisdictions.size())),
      ice_(P_, pop_, static_cast<int>(scenario.jurisdictions.size())),
      court_(P_.court, pop_.residents()),
      result_(scenario.days(), AxisSizes{static_cast<int>(scenario.jurisdictions.size())}) {
  for (const auto& j : sc_.jurisdictions) policy_.push_back(j.policy);
  const auto N = static_cast<std::size_t>(pop_.residents());
  presence_.assign(N, static_cast<std::uint8_t>(Presence::home));
  case_pending_.assign(N, 0);
  present_in_cell_.resize(pop_.cell_start.size() - 1);
  present_adults_in_cell_.assign(pop_.cell_start.size() - 1, 0);
  for (std::size_t c = 0; c + 1 < pop_.cell_start.size(); ++c) {
    present_in_cell_[c] = pop_.cell_start[c + 1] - pop_.cell_start[c];
    for (auto i = pop_.cell_start[c]; i < pop_.cell_start[c + 1]; ++i)
      present_adults_in_cell_[c] += !pop_.has(i, kMinor);
  }
  for (std::size_t i = 0; i < N; ++i) ice_.enter_pool(static_cast<ResidentId>(i));
  const auto J = sc_.jurisdictions.size();
  for (auto* v : {&patrol_hours_, &investigation_hours_, &immigration_hours_, &standing_hours_, &yesterday_immigration_,
                  &clearance_factor_, &officers_})
    v->assign(J, 0.0);
  residents_.assign(J, 0.0);
  for (int n = 0; n < pop_.neighbourhoods(); ++n) {
    const auto j = static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)]);
    officers_[j] += pop_.officers[static_cast<std::size_t>(n)];
    residents_[j] += pop_.nbhd_end(n) - pop_.nbhd_begin(n);
  }

  auto& info = result_.neighbourhoods;
  for (int n = 0; n < pop_.neighbourhoods(); ++n) {
    const auto k = static_cast<std::size_t>(n);
    const double residents = pop_.nbhd_end(n) - pop_.nbhd_begin(n);
    info.jurisdiction.push_back(pop_.jurisdiction_of[k]);
    info.residents.push_back(static_cast<std::int64_t>(residents));
    info.x.push_back(pop_.x[k]);
    info.y.push_back(pop_.y[k]);
    info.immigrant_origin_share.push_back(residents > 0 ? (pop_.nbhd_end(n) - pop_.cell_begin(n, 1)) / residents : 0.0);
  }

  // Where feedback starts: each (neighbourhood, group) cell's expected reports and clearances
  // per victimisation today, from its residents' own reporting probabilities.
  const double rate_v = P_.crime.violent_daily_rate, rate_p = P_.crime.property_daily_rate;
  const double share_v = rate_v + rate_p > 0 ? rate_v / (rate_v + rate_p) : 0.5;
  std::vector<StartCell> start(static_cast<std::size_t>(pop_.neighbourhoods() * kGroups));
  tbb::parallel_for(0, pop_.neighbourhoods(), [&](int n) {  // each cell summed in order: same bits
    for (int g = 0; g < kGroups; ++g) {
      auto& cell = start[Population::cell_index(n, g)];
      for (auto i = pop_.cell_begin(n, g); i < pop_.cell_end(n, g); ++i) {
        const double pv = individual_propensity(i, CrimeType::violent),
                     pp = individual_propensity(i, CrimeType::property);
        cell.residents += 1;
        cell.reported += share_v * pv + (1 - share_v) * pp;
        cell.cleared += share_v * pv * P_.police.clearance_violent + (1 - share_v) * pp * P_.police.clearance_property;
      }
    }
  });
  feedback_.set_start(start, pop_);

  // The panel: a fixed, stratified sample of residents behind quantiles and below-baseline shares.
  auto jurisdiction_group = [](int j, int g) {
    return static_cast<std::size_t>(j) * kGroups + static_cast<std::size_t>(g);
  };
  std::vector<double> cell_size(J * kGroups, 0);
  for (int n = 0; n < pop_.neighbourhoods(); ++n)
    for (int g = 0; g < kGroups; ++g)
      cell_size[jurisdiction_group(pop_.jurisdiction_of[static_cast<std::size_t>(n)], g)] +=
          pop_.cell_end(n, g) - pop_.cell_begin(n, g);
  // Who is drawn is decided per resident in parallel (one draw each); the cells are filled in order.
  std::vector<std::uint8_t> in_panel(N);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const double size = cell_size[jurisdiction_group(pop_.jurisdiction(static_cast<ResidentId>(i)), pop_.group[i])];
    in_panel[i] = rng_.uniform(Stream::panel, 0, i) * size < static_cast<double>(P_.output.panel_per_group);
  });
  panel_.resize(J * kGroupsWithOverlay);
  for (std::size_t i = 0; i < N; ++i) {
    if (!in_panel[i]) continue;
    const auto r = static_cast<ResidentId>(i);
    panel_residents_.push_back(r);
    const int j = pop_.jurisdiction(r);
    const auto baseline = static_cast<float>(individual_propensity(r, CrimeType::violent));
    for (int cell_group : output_groups(r)) {
      if (cell_group < 0) continue;
      auto& cell = panel_[static_cast<std::size_t>(j) * kGroupsWithOverlay + static_cast<std::size_t>(cell_group)];
      cell.members.push_back(r);
      cell.baseline.push_back(baseline);
    }
  }
}

RunResult Simulation::run(const std::function<void(int)>& on_day, const std::atomic<bool>* cancel) {
  for (day_ = 0; day_ < sc_.days(); ++day_) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw Cancelled();
    step();
    if (on_day) on_day(day_);
  }
  // The court needed every row to record outcomes; a scenario may still ask for no table.
  if (!P_.output.detentions_table) result_.detentions = {};
  return std::move(result_);
}

// One day of MODEL.md, phase by phase.
void Simulation::step() {
  DayEvents& today = today_;
  today.clear();
  apply_policy_schedule();        // policy changes that start today
  plan_officer_hours();           // hours left for patrol and investigation after immigration work
  ice_.open_day();                //    ICE agent-hours for the day, per jurisdiction
  victimisation(today);           // 1. who is victimised
  reporting_and_response(today);  // 2-3. who reports; clearance, arrests, contacts with victims
  stops(today);                   // 4. stops, status checks, referrals
  booking(today);                 // 5. booking, detainers
  federal_enforcement(today);     // 6. at-large arrests, joint and covert operations
  court_hearings(today);          // 7. hearings: removal or release; holds that expire
  outreach(today);                //    outreach and community-policing contacts
  learning(today);                // 8. trust and belief move; relaxation
  update_feedback();              //    impunity, targeting and norms for tomorrow
  record_metrics();               // 9. the day's metrics
}

void Simulation::apply_policy_schedule() {
  // Day 0: a policy other than the status quo (the registry's defaults, which residents'
  // starting beliefs describe) is adopted, and announced.
  if (day_ == 0)
    for (std::size_t j = 0; j < policy_.size(); ++j) announce(static_cast<int>(j), PolicyParams{}, policy_[j]);
  while (next_change_ < sc_.schedule.size() && sc_.schedule[next_change_].day == day_) {
    const auto& change = sc_.schedule[next_change_++];
    announce(change.jurisdiction, policy_[static_cast<std::size_t>(change.jurisdiction)], change.policy);
    policy_[static_cast<std::size_t>(change.jurisdiction)] = change.policy;
  }
}

bool Simulation::deportable(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  return pop_.status[k] == static_cast<std::uint8_t>(Status::undocumented) ||
         (pop_.status[k] == static_cast<std::uint8_t>(Status::lawful_noncitizen) &&
          pop_.record[k] == static_cast<std::uint8_t>(Record::violent));
}

ResidentId Simulation::pick_present(int n, int g_begin, int g_end, Stream stream, std::uint64_t entity,
                                    std::uint32_t index, bool adults_only) const {
  const std::int32_t b = pop_.cell_begin(n, g_begin), e = pop_.cell_end(n, g_end - 1);
  if (e <= b) return -1;
  // Rejection: the absent (and, where asked, minors) are a small share of any cell.
  for (std::uint32_t attempt = 0; attempt < 32; ++attempt) {
    auto i = static_cast<ResidentId>(b + static_cast<std::int32_t>(rng_.below(static_cast<std::uint64_t>(e - b), stream,
                                                                              uday(), entity, index * 32 + attempt)));
    if (present(i) && !(adults_only && pop_.has(i, kMinor))) return i;
  }
  return -1;
}

std::array<int, 3> Simulation::output_groups(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  const bool mixed = pop_.has(i, kMixedStatus);
  const bool citizen = pop_.status[k] == static_cast<std::uint8_t>(Status::citizen);
  return {pop_.group[k], mixed ? kMixedStatusGroup : -1, mixed && citizen ? kMixedStatusCitizenGroup : -1};
}

void Simulation::count_by_group(SeriesId id, ResidentId i, std::initializer_list<int> rest) {
  const int j = pop_.jurisdiction(i);
  for (int g : output_groups(i)) {
    if (g < 0) continue;
    switch (rest.size()) {
      case 0: result_.series.add(id, day_, {j, g}); break;
      case 1: result_.series.add(id, day_, {j, g, *rest.begin()}); break;
      default: break;
    }
  }
}

void Simulation::leave_city(ResidentId i) {
  const auto k = static_cast<std::size_t>(i);
  beliefs_.leave(i, day_);
  const auto cell = Population::cell_index(pop_.neighbourhood[k], pop_.group[k]);
  --present_in_cell_[cell];
  present_adults_in_cell_[cell] -= !pop_.has(i, kMinor);
  ice_.leave_pool(i);
}

void Simulation::return_home(ResidentId i) {
  const auto k = static_cast<std::size_t>(i);
  presence_[k] = static_cast<std::uint8_t>(Presence::home);
  beliefs_.rejoin(i, day_);
  const auto cell = Population::cell_index(pop_.neighbourhood[k], pop_.group[k]);
  ++present_in_cell_[cell];
  present_adults_in_cell_[cell] += !pop_.has(i, kMinor);
  // Someone released to await a hearing is in ICE's files already: not an at-large target.
  if (!case_pending_[k]) ice_.enter_pool(i);
}

// logit p = a_type + b_t (t - t_0) - b_f f: the resident's own part of the reporting decision.
double Simulation::own_reporting_logit(double trust, double fear, CrimeType type) const {
  const auto& r = P_.reporting;
  const double a = type == CrimeType::violent ? r.intercept_violent : r.intercept_property;
  return a + r.trust_weight * (trust - r.trust_reference) - r.fear_weight * fear;
}

// The reporting probability from the resident's own trust and fear alone (no local norm).
double Simulation::individual_propensity(ResidentId i, CrimeType type, int day) const {
  const auto [trust, fear] = beliefs_.trust_and_fear(i, day);
  return propensity_from(trust, fear, type);
}

double Simulation::propensity_from(double trust, double fear, CrimeType type) const {
  return 1.0 / (1.0 + std::exp(-own_reporting_logit(trust, fear, type)));
}

// The reporting decision: the own part plus b_n (local norm - its starting level).
double Simulation::reporting_probability(ResidentId i, CrimeType type) const {
  const auto [trust, fear] = beliefs_.trust_and_fear(i, day_);
  const double x = own_reporting_logit(trust, fear, type) +
                   P_.reporting.norm_weight * feedback_.norm_shift(pop_.neighbourhood[static_cast<std::size_t>(i)]);
  return 1.0 / (1.0 + std::exp(-x));
}

double Simulation::reporting_probability_at(ResidentId i, CrimeType type, int at, bool with_fear) const {
  const auto [trust, fear] = beliefs_.trust_and_fear(i, at);
  const double x = own_reporting_logit(trust, with_fear ? fear : 0.0, type) +
                   P_.reporting.norm_weight * feedback_.norm_shift(pop_.neighbourhood[static_cast<std::size_t>(i)]);
  return 1.0 / (1.0 + std::exp(-x));
}

}  // namespace trustsim
