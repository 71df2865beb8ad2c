// How one experience moves a resident's trust t and belief q (MODEL.md, step 8).
// Every move is a share of the distance to a bound, so t and q stay in [0, 1].
#pragma once

#include <cstdint>

#include "params/params.hpp"

namespace trustsim {

enum class Contact : std::uint8_t {
  positive,
  negative,
  reassurance,
  status_check,
  outreach,
  vicarious,
  household_shock,
  operation
};

struct Move {
  double trust_up = 0, trust_down = 0, belief_up = 0, belief_down = 0;
};

// `weight` scales the experiences that travel along ties (vicarious), 1 otherwise.
inline Move move_for(Contact kind, const LearningParams& L, double weight = 1.0) {
  switch (kind) {
    case Contact::positive: return {L.positive_contact, 0, 0, 0};
    case Contact::negative: return {0, L.positive_contact * L.negative_asymmetry, 0, 0};  // asymmetry
    case Contact::reassurance: return {0, 0, 0, L.reassurance};
    case Contact::status_check: return {0, 0, L.status_check_belief, 0};
    case Contact::outreach: return {L.outreach_trust, 0, 0, L.outreach_reassurance};
    case Contact::vicarious: return {0, weight * L.vicarious_trust, weight * L.vicarious_belief, 0};
    case Contact::household_shock: return {0, L.household_shock_trust, L.household_shock_belief, 0};
    case Contact::operation: return {0, L.operation_trust, L.operation_belief, 0};
  }
  return {};
}

inline double moved_trust(double t, const Move& m) { return t + m.trust_up * (1 - t) - m.trust_down * t; }
inline double moved_belief(double q, const Move& m) { return q + m.belief_up * (1 - q) - m.belief_down * q; }

}  // namespace trustsim
