// Outreach, phase 8 (learning of trust and belief) and the community feedback loops.
#include <algorithm>

#include "engine/simulation.hpp"

namespace trustsim {

void Simulation::outreach() {
  for (int n = 0; n < pop_.neighbourhoods(); ++n) {
    const double rate = policy_[static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)])].outreach_per_1000_day;
    if (rate <= 0) continue;
    double immigrant_origin = 0;
    for (int g = idx(Group::citizen_immigrant_origin); g < kGroups; ++g) immigrant_origin += present_in_cell_[static_cast<std::size_t>(n * kGroups + g)];
    const auto count = rng_.poisson(rate * immigrant_origin / 1000.0, Stream::outreach, uday(), static_cast<std::uint64_t>(n));
    for (std::uint32_t k = 0; k < count; ++k)
      if (ResidentId i = pick_present(n, idx(Group::citizen_immigrant_origin), kGroups, Stream::outreach, static_cast<std::uint64_t>(n), 1 + k, false); i >= 0)
        contacts_.push_back({i, Contact::outreach});
  }
}

void Simulation::learning() {
  const auto& L = P_.learning;
  const double negative = L.positive_contact * L.negative_asymmetry;
  auto move = [&](ResidentId i, double d_trust_up, double d_trust_down, double d_belief_up, double d_belief_down) {
    const double t = beliefs_.trust(i, day_), q = beliefs_.belief(i, day_);
    beliefs_.set(i, day_, static_cast<float>(t + d_trust_up * (1 - t) - d_trust_down * t),
                 static_cast<float>(q + d_belief_up * (1 - q) - d_belief_down * q));
  };
  // Direct contacts; negative ones weigh `negative_asymmetry` times more.
  for (const auto& c : contacts_) {
    if (!present(c.who)) continue;
    switch (c.kind) {
      case Contact::positive: move(c.who, L.positive_contact, 0, 0, 0); break;
      case Contact::negative: move(c.who, 0, negative, 0, 0); break;
      case Contact::reassurance: move(c.who, 0, 0, 0, L.reassurance); break;
      case Contact::status_check: move(c.who, 0, 0, L.status_check_belief, 0); break;
      case Contact::outreach: move(c.who, L.outreach_trust, 0, 0, L.outreach_reassurance); break;
    }
  }
  // Vicarious: a detention through the police reaches the detainee's ties in proportion to
  // tie weight, a sparse matrix-vector product W s restricted to the few nonzero s.
  const auto W = pop_.ties.matrix();
  for (ResidentId d : police_detainees_)
    for (decltype(W)::InnerIterator it(W, d); it; ++it) {
      const auto j = static_cast<ResidentId>(it.col());
      if (!present(j)) continue;
      const double w = std::min(1.0f, it.value());
      move(j, 0, w * L.vicarious_trust, w * L.vicarious_belief, 0);
    }
  // Family separation: the members left behind after a removal.
  for (ResidentId r : removed_today_) {
    const auto hh = static_cast<std::size_t>(pop_.household[static_cast<std::size_t>(r)]);
    for (auto m = pop_.household_start[hh]; m < pop_.household_start[hh + 1]; ++m) {
      const ResidentId member = pop_.household_members[static_cast<std::size_t>(m)];
      if (member != r && present(member)) move(member, 0, L.household_shock_trust, L.household_shock_belief, 0);
    }
  }
  // Operations are seen by the whole neighbourhood.
  for (int site : operation_sites_)
    for (auto i = pop_.nbhd_begin(site); i < pop_.nbhd_end(site); ++i)
      if (present(i)) move(i, 0, L.operation_trust, L.operation_belief, 0);

  contacts_.clear();
  police_detainees_.clear();
  operation_sites_.clear();
  // Relaxation toward the group baseline and the announced signal (memory).
  beliefs_.end_day(day_);
  if (static_cast<Method>(P_.simulation.method) == Method::per_resident) beliefs_.materialise_all(day_ + 1, presence_);
}

void Simulation::update_feedback() {
  feedback_.end_day(day_);
  // Event-driven immigration work (checks, transfers, screenings, operations) is paid tomorrow.
  for (std::size_t j = 0; j < policy_.size(); ++j) yesterday_immigration_[j] = immigration_hours_[j] - standing_hours_[j];
}

}  // namespace trustsim
