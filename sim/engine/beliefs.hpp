// Trust and belief of every resident, relaxed lazily.
//
// Relaxation toward a target is linear, so a resident untouched since day u has, on day d,
// value = target + decay^(d-u) * (stored - target) (piecewise when the target changed).
// The daily cost therefore follows the contacts, not the size of the city; the group sums
// relax by the same formula, so means stay exact without visiting anyone.
//
// The announced policy signal reaches residents unequally. Each resident has an attention
// c_i in [0, 1], drawn once. Residents attend to the announcement in proportion to what it
// means for them, their exposure e_i (Pew Research Center: immigrants follow immigration
// news far more closely than others), and not everyone hears it: with probability
// 1 - reach (learning.signal_reach for the foreign-born, learning.signal_reach_us_born for
// the US-born) the announcement passes them by (c_i = 0); otherwise
//     c_i = min(1, signal_weight * e_i * s_i),  s_i exponential of mean 1
// (most who hear it shift a little, a few a lot). The signal moves the belief target by c_i
// of the way toward 1 (signals above the reference) or toward 0 (below):
//     belief target = q0 + c_i (alpha + beta q0)
// with (alpha, beta) = (K, -K), K = (signal - ref) / (1 - ref), above the reference, and
// (0, -K), K = (ref - signal) / ref, below it. So a survey's "less likely to report" is a
// modest drop for many, not a collapse for all (MODEL.md), and it differs by group as the
// surveys find (Theodore 2013: 70% of the undocumented, 44% of Latinos, 28% of the US-born).
// Trust follows perceived entanglement (Tyler & Fagan 2008: police seen as an arm of
// immigration enforcement lose legitimacy and cooperation): an announced policy lowers the
// trust target of those who heed it, in proportion to their stake and attention,
//     trust target = t0 - entanglement_trust * e_i * c_i * K * t0        (above the reference)
//     trust target = t0 + entanglement_trust * e_i * c_i * K * (1 - t0)  (below: reassurance)
// a share of the distance to a bound, so it stays in [0, 1]. Both targets are linear in
// per-resident constants, which keeps the group sums exact.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "population/population.hpp"

namespace trustsim {

struct CellSums {  // one (jurisdiction, group, mixed-status flag) cell of present residents
  double count = 0, exposure = 0, trust = 0, belief = 0, fear = 0;
  double trust0 = 0, belief0 = 0, fear0 = 0;  // sums of the personal starting levels
  // Sums of the attention terms behind the targets: c, c q0, e c, e c q0, e c t0.
  double c = 0, cq = 0, ec = 0, ecq = 0, ect = 0;
  void add(const CellSums& o);
};

class Beliefs {
 public:
  Beliefs(const Scenario& sc, const Population& pop, const Rng& rng);

  // Belief and trust targets of one jurisdiction from `day` on (see the top of this file).
  void set_signal(int jurisdiction, int day, double announced_signal);

  float trust(ResidentId i, int day) const;
  float start_trust(ResidentId i) const { return trust0_[static_cast<std::size_t>(i)]; }
  float start_belief(ResidentId i) const { return belief0_[static_cast<std::size_t>(i)]; }
  float attention(ResidentId i) const { return attention_[static_cast<std::size_t>(i)]; }
  float belief(ResidentId i, int day) const;
  float fear(ResidentId i, int day) const { return pop_.exposure[static_cast<std::size_t>(i)] * belief(i, day); }

  // Sets a present resident's values on `day`, keeping the group sums exact.
  void set(ResidentId i, int day, float new_trust, float new_belief) {
    replace(i, day, trust(i, day), belief(i, day), new_trust, new_belief);
  }
  // Moves a present resident's values on `day`: move(trust, belief) gives the new pair. The
  // relaxed values are found once, for the move and for the group sums.
  template <class Move>
  void change(ResidentId i, int day, Move&& move) {
    const float t = trust(i, day), q = belief(i, day);
    const auto [new_trust, new_belief] = move(t, q);
    replace(i, day, t, q, new_trust, new_belief);
  }
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
    double alpha, beta;  // belief target = q0 + c (alpha + beta q0)
    double strength;     // K
    bool raises;         // above the reference: trust's move is a share of t0, else of 1 - t0
  };
  std::size_t key(int j, int g, bool mixed) const {
    return (static_cast<std::size_t>(j) * kGroups + static_cast<std::size_t>(g)) * 2 + (mixed ? 1 : 0);
  }
  std::size_t key_of(ResidentId i) const;
  float relax_belief(ResidentId i, int day) const;
  double belief_target(std::size_t k, const Segment& s) const;
  double trust_target(std::size_t k, const Segment& s) const;
  // t and q: the resident's values on `day` before the change.
  void replace(ResidentId i, int day, float t, float q, float new_trust, float new_belief);
  void add_to_sums(ResidentId i, float t, float q, double sign);
  const Segment& segment(int jurisdiction, int day) const;

  const Population& pop_;
  std::vector<float> trust_, belief_, trust0_, belief0_;  // current (as of last_day_) and starting levels
  std::vector<float> attention_;                          // c_i
  std::vector<std::int32_t> last_day_;
  double signal_reference_, entanglement_trust_;
  bool announcement_;                                       // learning.channel_announcement
  std::vector<double> trust_decay_pow_, belief_decay_pow_;  // decay^k for k = 0..days
  std::vector<std::vector<Segment>> segments_;              // per jurisdiction
  std::vector<CellSums> sums_;
};

}  // namespace trustsim
