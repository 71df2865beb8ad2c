// Phase 7: detentions, the immigration court's two dockets, removal or release, and family
// separation. The court itself is an actor (engine/actors/court.hpp); here its decisions
// reach the residents.
#include <cmath>
#include <limits>

#include "engine/simulation.hpp"

namespace trustsim {

void Simulation::detain(ResidentId i, Pathway pathway, Charge charge, DayEvents& today) {
  const auto k = static_cast<std::size_t>(i);
  // Someone with an open case is already in ICE's hands: no second case opens.
  if (case_pending_[k]) return;
  case_pending_[k] = 1;
  leave_city(i);
  presence_[k] = static_cast<std::uint8_t>(Presence::held);
  const int j = pop_.jurisdiction(i);
  result_.series.add(SeriesId::detentions, day_, {j, idx(pathway), idx(charge), pop_.record[k], pop_.status[k]});
  const std::size_t row = result_.detentions.size();
  result_.detentions.push_back(DetentionRow{day_, i, pop_.household[k], pop_.neighbourhood[k], j, idx(pathway),
                                            idx(charge), pop_.status[k], pop_.record[k]});
  if (through_police(pathway)) today.police_detainees.push_back(i);
  const bool held = rng_.bernoulli(P_.court.hold_prob, Stream::court, uday(), k, draw_index(CourtDraw::held));
  court_.open({row, i, day_}, held ? Docket::detained : Docket::non_detained, uday(), rng_);
  if (!held) return_home(i);  // released on bond or supervision to await the hearing
}

void Simulation::court_hearings(DayEvents& today) {
  // Holds that reach their limit: released home, the case moves to the non-detained docket.
  court_.expire_holds(day_, rng_, released_holds_);
  for (const CourtCase& c : released_holds_)
    if (presence_[static_cast<std::size_t>(c.who)] == static_cast<std::uint8_t>(Presence::held)) return_home(c.who);
  court_.hearings(day_, detained_decisions_, non_detained_decisions_);
  waited_ = {};
  heard_ = {};
  for (const CourtCase& c : detained_decisions_) decide_case(c, Docket::detained, today);
  for (const CourtCase& c : non_detained_decisions_) decide_case(c, Docket::non_detained, today);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int d = 0; d < kDockets; ++d) {
    result_.series.at(SeriesId::court_backlog, day_, {d}) = static_cast<double>(court_.backlog(static_cast<Docket>(d)));
    result_.series.at(SeriesId::court_mean_wait_days, day_, {d}) =
        heard_[static_cast<std::size_t>(d)] > 0
            ? waited_[static_cast<std::size_t>(d)] / heard_[static_cast<std::size_t>(d)]
            : nan;
  }
}

// A hearing orders removal or release; a removal hits the household left behind.
void Simulation::decide_case(const CourtCase& cs, Docket docket, DayEvents& today) {
  const auto& c = P_.court;
  const auto k = static_cast<std::size_t>(cs.who);
  auto& row = result_.detentions[cs.detention];
  const auto record = static_cast<Record>(pop_.record[k]);
  const double removal = record == Record::violent       ? c.removal_prob_violent
                         : record == Record::non_violent ? c.removal_prob_nonviolent
                                                         : c.removal_prob_none;
  const bool removed = rng_.bernoulli(removal, Stream::court, uday(), k, draw_index(CourtDraw::removal));
  const bool was_home = present(cs.who);
  case_pending_[k] = 0;
  row.outcome = static_cast<std::int64_t>(removed ? Outcome::removed : Outcome::released);
  row.outcome_day = day_;
  waited_[idx(docket)] += day_ - cs.opened;
  heard_[idx(docket)] += 1;
  if (removed) {
    if (was_home) leave_city(cs.who);
    presence_[k] = static_cast<std::uint8_t>(Presence::removed);
    count_by_group(SeriesId::removals, cs.who);
    today.removed.push_back(cs.who);
    const auto hh = static_cast<std::size_t>(pop_.household[k]);
    for (auto m = pop_.household_start[hh]; m < pop_.household_start[hh + 1]; ++m) {
      const ResidentId member = pop_.household_members[static_cast<std::size_t>(m)];
      if (member != cs.who && present(member) && pop_.has(member, kMinor))
        result_.series.add(SeriesId::children_affected, day_, {pop_.jurisdiction(member)});
    }
  } else {
    if (!was_home)
      return_home(cs.who);
    else
      ice_.enter_pool(cs.who);  // the case is closed: at large again
    count_by_group(SeriesId::releases, cs.who);
  }
}

}  // namespace trustsim
