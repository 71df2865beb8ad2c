// ICE as an actor (MODEL.md, Agents): an agent-hours budget per jurisdiction, spent each day
// across pathways that cost different hours, and moved toward jurisdictions that decline
// detainers.
//
// The day's rule, per jurisdiction j:
//   budget_j = agents_j x hours_per_agent_day x arrest_hours_share x (1 + refusal_surge x declined_j)
// where agents_j follow j's residents and declined_j is the share of j's detainers declined
// lately (a moving average, half-life 30 days). Pickups come first: a person held on a
// detainer or referred after a stop costs hours_per_jail_pickup, one taken at release
// hours_per_release_pickup; then operations (hours_per_operation); what is left buys at-large
// arrests at hours_per_at_large_arrest each (their count a Poisson draw of that mean). At-large
// targets are first the people whose detainers were declined and whom ICE chose to pursue
// (oldest first), then undocumented adults at home in j, by priority weight of their record.
#pragma once

#include <array>
#include <deque>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "params/params.hpp"
#include "population/population.hpp"

namespace trustsim {

class IceOffice {
 public:
  IceOffice(const Params& params, const Population& pop, int jurisdictions);

  // The at-large pool: undocumented adults at home who have no open case.
  void enter_pool(ResidentId i);
  void leave_pool(ResidentId i);

  // Start of a day: every jurisdiction's budget, from its agents and its declined share.
  void open_day();
  // Hours spent on a pathway in jurisdiction j (pickups, operations, arrests).
  void spend(int j, Pathway pathway, double hours) {
    spent_[static_cast<std::size_t>(j)][static_cast<std::size_t>(pathway)] += hours;
  }
  double hours_spent(int j, Pathway pathway) const {
    return spent_[static_cast<std::size_t>(j)][static_cast<std::size_t>(pathway)];
  }
  double budget(int j) const { return budget_[static_cast<std::size_t>(j)]; }

  // A detainer issued in j; `declined`: the jail would not hold the person for ICE.
  // `pursue` (drawn by the caller) puts a declined person on the list of at-large targets.
  void detainer(int j, ResidentId who, bool declined, bool pursue);

  // Today's at-large targets in j, as many as the hours left pay for (expected count;
  // the count is drawn), each paid for. Targets are distinct and in the pool.
  void pick_at_large(int j, std::uint32_t day, const Rng& rng, std::vector<ResidentId>& out);

  // End of a day: the declined share's moving average takes in today's detainers.
  void close_day();

 private:
  const IceParams& ice_;
  const Population& pop_;
  std::vector<double> agents_, budget_;
  std::vector<std::array<double, kPathways>> spent_;
  std::vector<double> issued_today_, declined_today_, issued_avg_, declined_avg_;
  double memory_;  // the moving average's daily weight on the past
  // Per jurisdiction: wanted persons (declined detainers pursued), and the pool by record.
  std::vector<std::deque<ResidentId>> wanted_;
  std::vector<std::array<std::vector<ResidentId>, kRecords>> pool_;
  std::vector<std::int32_t> pool_position_;  // per resident, -1 when out of the pool
  std::vector<std::uint8_t> wanted_flag_;    // per resident: on a wanted list
};

}  // namespace trustsim
