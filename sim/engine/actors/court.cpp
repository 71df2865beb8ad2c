#include "engine/actors/court.hpp"

#include <algorithm>
#include <cmath>

#include "core/draws.hpp"

namespace trustsim {

ImmigrationCourt::ImmigrationCourt(const CourtParams& params, int residents)
    : p_(params), capacity_per_day_(params.detained_hearings_per_100k_day * residents / 1e5) {}

void ImmigrationCourt::open(const CourtCase& c, Docket docket, std::uint32_t day, const Rng& rng) {
  if (docket == Docket::detained) {
    detained_.push_back(c);
    return;
  }
  // Exponential wait, keyed by the case (its detention row): the same wait on any thread count.
  const double u = rng.uniform(Stream::court, day, c.detention, draw_index(CourtDraw::wait));
  const double wait = -p_.non_detained_wait_days * std::log(u);
  non_detained_.push({static_cast<int>(day) + static_cast<int>(std::ceil(wait)), c});
}

void ImmigrationCourt::expire_holds(int day, const Rng& rng, std::vector<CourtCase>& released) {
  released.clear();
  while (!detained_.empty() && day - detained_.front().opened >= p_.max_hold_days) {
    released.push_back(detained_.front());
    detained_.pop_front();
    open(released.back(), Docket::non_detained, static_cast<std::uint32_t>(day), rng);
  }
}

void ImmigrationCourt::hearings(int day, std::vector<CourtCase>& detained, std::vector<CourtCase>& non_detained) {
  detained.clear();
  non_detained.clear();
  credit_ += capacity_per_day_;
  while (credit_ >= 1.0 && !detained_.empty()) {
    credit_ -= 1.0;
    detained.push_back(detained_.front());
    detained_.pop_front();
  }
  credit_ = std::min(credit_, 1.0);  // unused capacity is not banked
  while (!non_detained_.empty() && non_detained_.top().day <= day) {
    non_detained.push_back(non_detained_.top().c);
    non_detained_.pop();
  }
}

}  // namespace trustsim
