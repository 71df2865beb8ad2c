// Phase 7: detentions, the immigration court, removal or release, and family separation.
#include <cmath>
#include <limits>

#include "engine/simulation.hpp"

namespace trustsim {

void Simulation::detain(ResidentId i, Pathway pathway, DayEvents& today) {
  const auto k = static_cast<std::size_t>(i);
  // Someone released to await a hearing is already in ICE's hands: no second case opens
  // (and no second detention on the day of the first).
  if (case_pending_[k]) return;
  case_pending_[k] = 1;
  leave_city(i);
  presence_[k] = static_cast<std::uint8_t>(Presence::held);
  const int j = pop_.jurisdiction(i);
  result_.series.add(SeriesId::detentions, day_, {j, idx(pathway), pop_.record[k], pop_.status[k]});
  const std::size_t row = result_.detentions.size();
  result_.detentions.push_back(
      DetentionRow{day_, i, pop_.household[k], pop_.neighbourhood[k], j, idx(pathway), pop_.status[k], pop_.record[k]});
  court_queue_.push_back({row, i, day_});
  if (through_police(pathway)) today.police_detainees.push_back(i);
  if (rng_.bernoulli(P_.court.hold_prob, Stream::court, uday(), k, draw_index(CourtDraw::held)))
    held_.push_back({row, i, day_});
  else
    return_home(i);  // released on bond or supervision to await the hearing
}

void Simulation::court_hearings(DayEvents& today) {
  const auto& c = P_.court;
  // Holds that reach their limit end in release to await the hearing at home.
  while (!held_.empty() && day_ - held_.front().day >= c.max_hold_days) {
    if (presence_[static_cast<std::size_t>(held_.front().who)] == static_cast<std::uint8_t>(Presence::held) &&
        result_.detentions[held_.front().detention].outcome == static_cast<std::int64_t>(Outcome::pending))
      return_home(held_.front().who);
    held_.pop_front();
  }
  hearing_credit_ += c.hearings_per_100k_day * pop_.residents() / 1e5;
  double waited = 0;
  int heard = 0;
  while (hearing_credit_ >= 1.0 && !court_queue_.empty()) {
    hearing_credit_ -= 1.0;
    const CourtCase cs = court_queue_.front();
    court_queue_.pop_front();
    const auto k = static_cast<std::size_t>(cs.who);
    auto& row = result_.detentions[cs.detention];
    if (presence_[k] == static_cast<std::uint8_t>(Presence::removed)) {  // removed under an earlier case
      row.outcome = static_cast<std::int64_t>(Outcome::removed);
      row.outcome_day = day_;
      continue;
    }
    const auto record = static_cast<Record>(pop_.record[k]);
    const double removal = record == Record::violent       ? c.removal_prob_violent
                           : record == Record::non_violent ? c.removal_prob_nonviolent
                                                           : c.removal_prob_none;
    const bool removed = rng_.bernoulli(removal, Stream::court, uday(), k, draw_index(CourtDraw::removal));
    const bool was_home = present(cs.who);
    case_pending_[k] = 0;
    row.outcome = static_cast<std::int64_t>(removed ? Outcome::removed : Outcome::released);
    row.outcome_day = day_;
    waited += day_ - cs.day;
    ++heard;
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
      if (!was_home) return_home(cs.who);
      count_by_group(SeriesId::releases, cs.who);
    }
  }
  hearing_credit_ = std::min(hearing_credit_, 1.0);  // unused capacity is not banked
  result_.series.at(SeriesId::court_backlog, day_, {}) = static_cast<double>(court_queue_.size());
  result_.series.at(SeriesId::court_mean_wait_days, day_, {}) =
      heard ? waited / heard : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace trustsim
