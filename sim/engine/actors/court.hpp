// The immigration court as an actor (MODEL.md, Agents): two dockets.
//
// Detained docket: held cases, first come first served, decided at a capacity of
// detained_hearings_per_100k_day (EOIR's detained completions per resident); a held case not
// decided within max_hold_days is released, and the case moves to the other docket.
// Non-detained docket: cases of people released on bond or supervision, each decided after
// an exponential wait of mean non_detained_wait_days (TRAC's measured waits): the city's share
// of a national docket's capacity is unknown, so the wait, not a capacity, is the datum.
#pragma once

#include <cstdint>
#include <deque>
#include <queue>
#include <vector>

#include "core/rng.hpp"
#include "core/types.hpp"
#include "params/params.hpp"
#include "population/population.hpp"

namespace trustsim {

struct CourtCase {
  std::size_t detention;  // row of the detention table
  ResidentId who;
  int opened;  // day the case was opened (the detention)
};

class ImmigrationCourt {
 public:
  ImmigrationCourt(const CourtParams& params, int residents);

  // A new case: on the detained docket when the person is held, else on the non-detained one.
  void open(const CourtCase& c, Docket docket, std::uint32_t day, const Rng& rng);

  // The held cases whose hold ends today (they move to the non-detained docket).
  void expire_holds(int day, const Rng& rng, std::vector<CourtCase>& released);
  // The cases decided today, detained docket first.
  void hearings(int day, std::vector<CourtCase>& detained, std::vector<CourtCase>& non_detained);

  std::size_t backlog(Docket d) const { return d == Docket::detained ? detained_.size() : non_detained_.size(); }

 private:
  struct Due {
    int day;
    CourtCase c;
    bool operator>(const Due& o) const { return day != o.day ? day > o.day : c.detention > o.c.detention; }
  };
  const CourtParams& p_;
  double capacity_per_day_, credit_ = 0;
  std::deque<CourtCase> detained_;  // FIFO: also in order of hold expiry
  std::priority_queue<Due, std::vector<Due>, std::greater<>> non_detained_;
};

}  // namespace trustsim
