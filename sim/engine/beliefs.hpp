// Trust and belief of every resident: evidence, forgetting and lazy relaxation.
//
// Belief q_i is the resident's estimate of the chance that a police contact brings
// immigration consequences (MODEL.md, step 8). It starts at a prior drawn around the
// group's survey level (q0_i) and moves with evidence: a piece of evidence of weight a that
// links the police to immigration consequences moves q a share a of the way to 1, one of a
// contact that ended with none a share a of the way to 0 (an exponentially weighted reading
// of what the resident has seen and heard). Between pieces of evidence, belief is forgotten:
// it relaxes toward the prior with learning.belief_half_life_days. Trust t_i relaxes toward
// its starting level t0_i the same way (learning.trust_half_life_days).
//
// Evidence that reaches one resident (their own contacts, their household's, their ties',
// an operation they saw) is applied when it happens (learning_rules.hpp). Evidence that
// reaches a whole jurisdiction at once, a news story or a policy's announcement, is a
// broadcast: it reaches the residents who follow local news on the police and immigration,
// each with weight a = min(1, w). Residents follow it in proportion to their stake, their
// exposure e_i (Pew Research Center: immigrants follow immigration news far more closely than
// others): with probability reach x (f + (1 - f) e_i) for residents with a stake (e_i > 0),
// drawn once, with reach = learning.news_reach for the foreign-born and
// learning.news_reach_us_born for the US-born, and f = learning.news_attention_floor. A broadcast moves trust
// against belief, again in proportion to the stake: t loses a x e_i x
// learning.entanglement_trust of itself when the news links the police to enforcement, and
// gains that share of 1 - t when it reassures.
//
// Relaxation and broadcasts are affine in (t, q) with coefficients shared by every resident
// of a cell (jurisdiction, group, mixed-status flag, news follower; exposure is a function of
// group and mixed-status flag). So a resident untouched since day u is brought to day d by
// replaying the jurisdiction's broadcasts since u between jumps of relaxation, and the cell
// sums move by the same maps: the daily cost follows the events, not the size of the city.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "population/population.hpp"

namespace trustsim {

struct CellSums {  // present residents of one cell
  double count = 0, exposure = 0, trust = 0, belief = 0, fear = 0;
  double trust0 = 0, belief0 = 0, fear0 = 0;  // sums of the personal starting levels
  void add(const CellSums& o);
};

class Beliefs {
 public:
  Beliefs(const Scenario& sc, const Population& pop, const Rng& rng);

  // A story or announcement reaching the news followers of `jurisdiction` at the end of
  // `day`, with weight `weight` (at most 1); `raises`: it links the police to immigration
  // consequences (else it reassures).
  void broadcast(int jurisdiction, int day, double weight, bool raises);

  float trust(ResidentId i, int day) const { return caught_up(i, day).trust; }
  float belief(ResidentId i, int day) const { return caught_up(i, day).belief; }
  float fear(ResidentId i, int day) const { return pop_.exposure[static_cast<std::size_t>(i)] * belief(i, day); }
  // Trust and fear together, from one catch-up (a reporting decision needs both).
  struct TrustFear {
    float trust, fear;
  };
  TrustFear trust_and_fear(ResidentId i, int day) const {
    const Values v = caught_up(i, day);
    return {v.trust, pop_.exposure[static_cast<std::size_t>(i)] * v.belief};
  }
  float start_trust(ResidentId i) const { return trust0_[static_cast<std::size_t>(i)]; }
  float start_belief(ResidentId i) const { return belief0_[static_cast<std::size_t>(i)]; }
  bool follows_news(ResidentId i) const { return follows_[static_cast<std::size_t>(i)] != 0; }

  // Sets a present resident's values on `day`, keeping the group sums exact.
  void set(ResidentId i, int day, float new_trust, float new_belief) {
    const Values v = caught_up(i, day);
    replace(i, day, v, new_trust, new_belief);
  }
  // Moves a present resident's values on `day`: move(trust, belief) gives the new pair. The
  // current values are found once, for the move and for the group sums.
  template <class Move>
  void change(ResidentId i, int day, Move&& move) {
    const Values v = caught_up(i, day);
    const auto [new_trust, new_belief] = move(v.trust, v.belief);
    replace(i, day, v, new_trust, new_belief);
  }
  // Stores a resident's values as of `day` without changing them (the sums stay exact):
  // later reads start from there. Residents read every day (the panel) are refreshed so
  // that a read never replays more than a day of broadcasts. Not for concurrent use on one resident.
  void refresh(ResidentId i, int day);
  // A resident leaves the city's present population (held, removed) or comes back.
  void leave(ResidentId i, int day);
  void rejoin(ResidentId i, int day);

  // The day's broadcasts, then one day of relaxation, applied to the sums (residents catch
  // up when touched).
  void end_day(int day);
  // Brings every resident up to `day` (snapshots, the per-resident reference method) and
  // recomputes the sums from scratch, in a fixed order: identical for any thread count.
  // `presence` is per resident, 0 for residents at home (Presence::home).
  void materialise_all(int day, const std::vector<std::uint8_t>& presence);

  // A (jurisdiction, group, mixed-status flag) cell, news followers and others together.
  CellSums cell(int jurisdiction, int group, bool mixed) const;

 private:
  struct Values {
    float trust, belief;
  };
  struct Broadcast {
    int day;
    double weight;
    bool raises;
  };
  static constexpr int kCellsPerJurisdiction = kGroups * 2 * 2;
  static std::size_t key(int j, int g, bool mixed, bool follows) {
    return ((static_cast<std::size_t>(j) * kGroups + static_cast<std::size_t>(g)) * 2 + (mixed ? 1 : 0)) * 2 +
           (follows ? 1 : 0);
  }
  std::size_t key_of(ResidentId i) const;
  Values caught_up(ResidentId i, int day) const;
  void replace(ResidentId i, int day, Values before, float new_trust, float new_belief);
  void add_to_sums(ResidentId i, float t, float q, double sign);

  const Population& pop_;
  std::vector<float> trust_, belief_, trust0_, belief0_;  // current (as of last_day_) and starting levels
  std::vector<std::uint8_t> follows_;                     // 1: follows local news
  std::vector<std::int32_t> last_day_;
  double entanglement_trust_;
  std::array<double, kGroups * 2> exposure_of_{};           // per (group, mixed-status flag)
  std::vector<double> trust_decay_pow_, belief_decay_pow_;  // decay^k for k = 0..days
  std::vector<std::vector<Broadcast>> broadcasts_;          // per jurisdiction, in day order
  std::vector<CellSums> sums_;
};

}  // namespace trustsim
