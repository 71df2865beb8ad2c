// Officer hours, phase 4 (stops and status checks) and phase 5 (booking and detainers).
#include <algorithm>
#include <cmath>

#include <tbb/parallel_for.h>

#include "engine/simulation.hpp"

namespace trustsim {

// Immigration work takes hours from patrol and investigation in proportion to their size.
// Designated officers' standing duties are known today; checks, transfers and operations
// are paid for the next day, from yesterday's count.
void Simulation::plan_officer_hours() {
  const auto& pol = P_.police;
  for (std::size_t j = 0; j < policy_.size(); ++j) {
    const double total = officers_[j] * pol.hours_per_officer_day;
    const double patrol = total * pol.patrol_share, investigation = total * pol.investigation_share;
    const double standing = patrol * policy_[j].designated_officer_share * pol.designated_immigration_time_share;
    const double diverted = std::min(patrol + investigation, standing + yesterday_immigration_[j]);
    const double keep = patrol + investigation > 0 ? 1.0 - diverted / (patrol + investigation) : 0.0;
    patrol_hours_[j] = patrol * keep;
    investigation_hours_[j] = investigation * keep;
    immigration_hours_[j] = standing;
    standing_hours_[j] = standing;
    clearance_factor_[j] = std::pow(keep, pol.clearance_capacity_elasticity);
  }
}

// Who is stopped is drawn per neighbourhood in parallel: a cell's picks depend only on that
// cell's residents, whom no other neighbourhood's stops can detain, so drawing them all first
// gives the same stops as drawing them in turn. The outcomes are then applied in order.
void Simulation::stops(DayEvents& today) {
  draw_stops();
  const auto& pol = P_.police;
  for (int n = 0; n < pop_.neighbourhoods(); ++n) {
    const auto j = static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)]);
    const PolicyParams& policy = policy_[j];
    for (ResidentId i : stopped_by_neighbourhood_[static_cast<std::size_t>(n)]) {
      if (!present(i)) continue;  // picked twice today and detained at the first stop
      const auto e = static_cast<std::uint64_t>(i);
      count_by_group(SeriesId::stops, i);
      today.contacts.push_back({i, Contact::negative});
      const bool designated = rng_.bernoulli(policy.designated_officer_share, Stream::stop_outcome, uday(), e,
                                             draw_index(StopDraw::designated));
      const bool check = designated || rng_.bernoulli(policy.patrol_status_check_prob, Stream::stop_outcome, uday(), e,
                                                      draw_index(StopDraw::check));
      bool detained = false;
      if (check) {
        count_by_group(SeriesId::status_checks, i);
        today.contacts.push_back({i, Contact::status_check});
        immigration_hours_[j] += pol.hours_per_status_check;
        if (pop_.status[static_cast<std::size_t>(i)] == static_cast<std::uint8_t>(Status::undocumented) &&
            rng_.bernoulli(P_.ice.referral_pickup_prob, Stream::stop_outcome, uday(), e,
                           draw_index(StopDraw::pickup))) {
          immigration_hours_[j] += pol.hours_per_transfer;
          detain(i, Pathway::stop, today);
          detained = true;
        }
      } else {
        today.contacts.push_back({i, Contact::reassurance});
      }
      if (!detained &&
          rng_.bernoulli(pol.stop_arrest_prob, Stream::stop_outcome, uday(), e, draw_index(StopDraw::arrest)))
        today.arrests.push_back({i});
    }
  }
}

// Patrol hours per neighbourhood make the expected stops, shared among its groups by their
// present adults, with profiling weighting the immigrant-origin groups.
void Simulation::draw_stops() {
  const auto& pol = P_.police;
  const bool per_resident = static_cast<Method>(P_.simulation.method) == Method::per_resident;
  stopped_by_neighbourhood_.resize(static_cast<std::size_t>(pop_.neighbourhoods()));
  tbb::parallel_for(0, pop_.neighbourhoods(), [&](int n) {
    auto& stopped = stopped_by_neighbourhood_[static_cast<std::size_t>(n)];
    stopped.clear();
    const auto j = static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)]);
    const double hours =
        officers_[j] > 0 ? patrol_hours_[j] * pop_.officers[static_cast<std::size_t>(n)] / officers_[j] : 0.0;
    const double expected = hours * pol.stops_per_patrol_hour;
    // Profiling: immigrant-origin residents are stopped `profiling_multiplier` times as often.
    double weights[kGroups], total = 0;
    for (int g = 0; g < kGroups; ++g) {
      weights[g] = (g == idx(Group::citizen_non_immigrant) ? 1.0 : policy_[j].profiling_multiplier) *
                   present_in_cell_[Population::cell_index(n, g)];
      total += weights[g];
    }
    if (total <= 0) return;
    for (int g = 0; g < kGroups; ++g) {
      const auto cell = static_cast<std::uint64_t>(Population::cell_index(n, g));
      if (per_resident) {  // reference: one Bernoulli trial per present adult
        int adults = 0;
        for (auto i = pop_.cell_begin(n, g); i < pop_.cell_end(n, g); ++i) adults += present(i) && !pop_.has(i, kMinor);
        const double per_adult = expected * weights[g] / total / std::max(1, adults);
        for (auto i = pop_.cell_begin(n, g); i < pop_.cell_end(n, g); ++i)
          if (present(i) && !pop_.has(i, kMinor) &&
              rng_.bernoulli(per_adult, Stream::reference_resident, uday(), static_cast<std::uint64_t>(i), 7))
            stopped.push_back(i);
      } else {
        const auto count = rng_.poisson(expected * weights[g] / total, Stream::stop_count, uday(), cell);
        for (std::uint32_t k = 0; k < count; ++k)
          if (ResidentId i = pick_present(n, g, g + 1, Stream::stop_pick, cell, k, true); i >= 0) stopped.push_back(i);
      }
    }
  });
}

void Simulation::booking(DayEvents& today) {
  const auto& ice = P_.ice;
  for (const auto& a : today.arrests) {
    const ResidentId i = a.who;
    if (!present(i)) continue;  // already detained today
    const auto k = static_cast<std::size_t>(i);
    const auto j = static_cast<std::size_t>(pop_.jurisdiction(i));
    const PolicyParams& policy = policy_[j];
    count_by_group(SeriesId::arrests, i);
    today.contacts.push_back({i, Contact::negative});
    if (policy.jail_screening) immigration_hours_[j] += P_.police.hours_per_jail_screening;
    if (!deportable(i) || !(policy.fingerprint_sharing || policy.jail_screening)) continue;
    const auto record = static_cast<Record>(pop_.record[k]);
    const double issue = policy.jail_screening           ? 1.0
                         : record == Record::violent     ? ice.detainer_issue_violent
                         : record == Record::non_violent ? ice.detainer_issue_nonviolent
                                                         : ice.detainer_issue_none;
    if (!rng_.bernoulli(issue, Stream::booking, uday(), k, draw_index(BookingDraw::detainer_issued))) continue;
    const auto rule = static_cast<DetainerPolicy>(policy.detainers);
    const bool honoured =
        rule == DetainerPolicy::all || (rule == DetainerPolicy::violent_only && record == Record::violent);
    if (!honoured) continue;
    immigration_hours_[j] += P_.police.hours_per_transfer;
    detain(i, Pathway::detainer, today);
  }
}

}  // namespace trustsim
