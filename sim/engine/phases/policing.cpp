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
    // Designated officers spend part of their hours on immigration duties, so they make that
    // much less of the patrol's stops than their share of officers.
    const double d = policy.designated_officer_share, patrolling = 1 - pol.designated_immigration_time_share;
    const double designated_share = d * patrolling + (1 - d) > 0 ? d * patrolling / (d * patrolling + (1 - d)) : 0.0;
    for (const Stop& stop : stopped_by_neighbourhood_[static_cast<std::size_t>(n)]) {
      const ResidentId i = stop.who;
      if (!present(i)) continue;  // picked twice today and detained at the first stop
      // Each stop's draws are keyed by the stop (its cell and number), not by the resident.
      const auto e = static_cast<std::uint64_t>(Population::cell_index(n, pop_.group[static_cast<std::size_t>(i)]));
      auto draw = [&](StopDraw slot) {
        return rng_.uniform(Stream::stop_outcome, uday(), e, draw_index(slot, stop.ordinal));
      };
      count_by_group(SeriesId::stops, i);
      today.contacts.push_back({i, Contact::negative});
      const bool designated = draw(StopDraw::designated) < designated_share;
      const bool check = designated || draw(StopDraw::check) < policy.patrol_status_check_prob;
      bool detained = false;
      if (check) {
        count_by_group(SeriesId::status_checks, i);
        today.contacts.push_back({i, Contact::status_check});
        immigration_hours_[j] += pol.hours_per_status_check;
        if (pop_.status[static_cast<std::size_t>(i)] == static_cast<std::uint8_t>(Status::undocumented) &&
            !case_pending_[static_cast<std::size_t>(i)] && draw(StopDraw::pickup) < P_.ice.referral_pickup_prob) {
          immigration_hours_[j] += pol.hours_per_transfer;
          ice_.spend(static_cast<int>(j), Pathway::stop, P_.ice.hours_per_jail_pickup);
          detain(i, Pathway::stop, Charge::none, today);
          detained = true;
        }
      } else {
        today.contacts.push_back({i, Contact::reassurance});
      }
      if (!detained && draw(StopDraw::arrest) < pol.stop_arrest_prob) {
        const double u = draw(StopDraw::charge);
        const Charge charge = u < pol.stop_arrest_traffic_share                                  ? Charge::traffic_other
                              : u < pol.stop_arrest_traffic_share + pol.stop_arrest_felony_share ? Charge::other_felony
                                                                                                 : Charge::misdemeanour;
        today.arrests.push_back({i, charge});
      }
    }
  }
}

// Patrol hours per neighbourhood make the expected stops, shared among its groups by their
// present adults (stops are of adults), with profiling weighting the immigrant-origin groups.
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
                   present_adults_in_cell_[Population::cell_index(n, g)];
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
            stopped.push_back({i, static_cast<std::uint32_t>(i - pop_.cell_begin(n, g))});
      } else {
        const auto count = rng_.poisson(expected * weights[g] / total, Stream::stop_count, uday(), cell);
        for (std::uint32_t k = 0; k < count; ++k)
          if (ResidentId i = pick_present(n, g, g + 1, Stream::stop_pick, cell, k, true); i >= 0)
            stopped.push_back({i, k});
      }
    }
  });
}

// ICE's priority for a booked person: the higher of its record's and its charge's class
// (2: violent record or violent-felony charge; 1: non-violent record or other felony; 0: else).
static int priority_class(Record record, Charge charge) {
  const int by_charge = charge == Charge::violent_felony ? 2 : charge == Charge::other_felony ? 1 : 0;
  return std::max(static_cast<int>(record), by_charge);
}

void Simulation::booking(DayEvents& today) {
  for (const auto& a : today.arrests) book(a, today);
}

// One booking: the fingerprints reach ICE, which may issue a detainer by priority; the
// jurisdiction's rule decides whether the person is held for ICE, released with notice, or
// released with the detainer declined (and then perhaps pursued at large).
void Simulation::book(const Arrest& a, DayEvents& today) {
  const auto& ice = P_.ice;
  const ResidentId i = a.who;
  if (!present(i)) return;  // already detained today
  const auto k = static_cast<std::size_t>(i);
  const int j = pop_.jurisdiction(i);
  const PolicyParams& policy = policy_[static_cast<std::size_t>(j)];
  count_by_group(SeriesId::arrests, i);
  result_.series.add(SeriesId::bookings, day_, {j, idx(a.charge)});
  today.contacts.push_back({i, Contact::negative});
  if (policy.jail_screening) immigration_hours_[static_cast<std::size_t>(j)] += P_.police.hours_per_jail_screening;
  if (!deportable(i) || case_pending_[k] || !(policy.fingerprint_sharing || policy.jail_screening)) return;
  const auto record = static_cast<Record>(pop_.record[k]);
  const double issue_prob[3] = {ice.detainer_issue_none, ice.detainer_issue_nonviolent, ice.detainer_issue_violent};
  const double issue = policy.jail_screening ? 1.0 : issue_prob[priority_class(record, a.charge)];
  auto draw = [&](BookingDraw slot) { return rng_.uniform(Stream::booking, uday(), k, draw_index(slot)); };
  if (draw(BookingDraw::detainer_issued) >= issue) return;
  const auto rule = static_cast<DetainerPolicy>(policy.detainers);
  const bool held =
      rule == DetainerPolicy::all || (rule == DetainerPolicy::violent_only && record == Record::violent) ||
      (rule == DetainerPolicy::judicial_warrant && draw(BookingDraw::warrant) < ice.judicial_warrant_prob);
  // Held for ICE inside the jail, or (notice, or no access for ICE to the jail) met at release.
  const bool at_release = rule == DetainerPolicy::notice_only || (held && !policy.ice_jail_access);
  bool taken = false;
  if (held && policy.ice_jail_access) {
    immigration_hours_[static_cast<std::size_t>(j)] += P_.police.hours_per_transfer;
    ice_.spend(j, Pathway::detainer, ice.hours_per_jail_pickup);
    taken = true;
  } else if (at_release && draw(BookingDraw::release_pickup) < ice.release_pickup_prob) {
    ice_.spend(j, Pathway::detainer, ice.hours_per_release_pickup);
    taken = true;
  }
  ice_.detainer(j, i, !taken, draw(BookingDraw::pursuit) < ice.declined_detainer_pursuit);
  if (taken) detain(i, Pathway::detainer, a.charge, today);
}

}  // namespace trustsim
