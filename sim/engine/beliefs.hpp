// Trust and belief of every resident, relaxed lazily.
//
// Relaxation toward a target is linear, so a resident untouched since day u has, on day d,
// value = target + decay^(d-u) * (stored - target) (piecewise when the target changed).
// The daily cost therefore follows the contacts, not the size of the city; the group sums
// relax by the same formula, so means stay exact without visiting anyone.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "population/population.hpp"

namespace trustsim {

struct CellSums {  // one (jurisdiction, group, mixed-status flag) cell of present residents
  double count = 0, exposure = 0, trust = 0, belief = 0, fear = 0;
  double trust0 = 0, belief0 = 0, fear0 = 0;  // sums of the personal starting levels
  void add(const CellSums& o);
};

class Beliefs {
 public:
  Beliefs(const Scenario& sc, const Population& pop, const Rng& rng);

  // Belief targets of one jurisdiction from `day` on. A signal above the reference moves
  // each resident's target from their starting belief q0 toward 1 by signal_weight *
  // (signal - reference) / (1 - reference); below it, toward 0 in proportion. Either way the
  // target is alpha + beta * q0, linear in q0, which keeps the group sums exact.
  void set_signal(int jurisdiction, int day, double announced_signal);

  float trust(ResidentId i, int day) const;
  float belief(ResidentId i, int day) const;
  float fear(ResidentId i, int day) const { return pop_.exposure[static_cast<std::size_t>(i)] * belief(i, day); }

  // Sets a present resident's values on `day`, keeping the group sums exact.
  void set(ResidentId i, int day, float trust, float belief);
  // A resident leaves the city's present population (held, removed) or comes back.
  void leave(ResidentId i, int day);
  void rejoin(ResidentId i, int day);

  // Relaxation at the end of `day`, applied to the sums (residents catch up when touched).
  void end_day(int day);
  // Brings every resident up to `day` (snapshots, the per-resident reference method) and
  // recomputes the sums from scratch, in a fixed order: identical for any thread count.
  // `presence` is per resident, 0 for residents at home (Presence::home).
  void materialise_all(int day, const std::vector<std::uint8_t>& presence);

  const CellSums& cell(int jurisdiction, int group, bool mixed) const { return sums_[key(jurisdiction, group, mixed)]; }

 private:
  struct Segment {
    int start_day;
    double alpha, beta;  // belief target = alpha + beta * starting belief
  };
  std::size_t key(int j, int g, bool mixed) const { return static_cast<std::size_t>((j * kGroups + g) * 2 + (mixed ? 1 : 0)); }
  std::size_t key_of(ResidentId i) const;
  float relax_belief(ResidentId i, int day) const;
  void add_to_sums(ResidentId i, float t, float q, double sign);
  const Segment& segment(int jurisdiction, int day) const;

  const Population& pop_;
  std::vector<float> trust_, belief_, trust0_, belief0_;  // current (as of last_day_) and starting levels
  std::vector<std::int32_t> last_day_;
  double signal_weight_, signal_reference_;
  std::vector<double> trust_decay_pow_, belief_decay_pow_;  // decay^k for k = 0..days
  std::vector<std::vector<Segment>> segments_;               // per jurisdiction
  std::vector<CellSums> sums_;
};

}  // namespace trustsim
