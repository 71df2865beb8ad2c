// Outreach, phase 8 (learning of trust and belief) and the community feedback loops.
#include <algorithm>
#include <utility>

#include "engine/learning_rules.hpp"
#include "engine/simulation.hpp"

namespace trustsim {

void Simulation::outreach(DayEvents& today) {
  for (int n = 0; n < pop_.neighbourhoods(); ++n) {
    const double rate =
        policy_[static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)])].outreach_per_1000_day;
    if (rate <= 0) continue;
    double immigrant_origin = 0;
    for (int g = idx(Group::citizen_immigrant_origin); g < kGroups; ++g)
      immigrant_origin += present_in_cell_[Population::cell_index(n, g)];
    const auto count =
        rng_.poisson(rate * immigrant_origin / 1000.0, Stream::outreach, uday(), static_cast<std::uint64_t>(n));
    for (std::uint32_t k = 0; k < count; ++k)
      if (ResidentId i = pick_present(n, idx(Group::citizen_immigrant_origin), kGroups, Stream::outreach,
                                      static_cast<std::uint64_t>(n), 1 + k, false);
          i >= 0)
        today.contacts.push_back({i, Contact::outreach});
  }
}

void Simulation::learning(DayEvents& today) {
  const auto& L = P_.learning;
  auto experience = [&](ResidentId i, Contact kind, double weight = 1.0) {
    const Move m = move_for(kind, L, weight);
    beliefs_.change(i, day_, [&](float trust, float belief) {
      return std::pair{static_cast<float>(moved_trust(trust, m)), static_cast<float>(moved_belief(belief, m))};
    });
  };
  // Direct contacts; negative ones weigh `negative_asymmetry` times more.
  // Each channel can be switched off to measure its share of an effect (scripts/decompose).
  if (L.channel_own)
    for (const auto& c : today.contacts)
      if (present(c.who)) experience(c.who, c.kind);
  // Vicarious: a detention through the police reaches the detainee's ties in proportion to
  // tie weight, a sparse matrix-vector product W s restricted to the few nonzero s.
  const auto W = pop_.ties.matrix();
  if (L.channel_ties)
    for (ResidentId d : today.police_detainees)
      for (decltype(W)::InnerIterator it(W, d); it; ++it)
        if (const auto j = static_cast<ResidentId>(it.col()); present(j))
          experience(j, Contact::vicarious, std::min(1.0f, it.value()));
  // Family separation: the members left behind after a removal.
  if (L.channel_household)
    for (ResidentId r : today.removed) {
      const auto hh = static_cast<std::size_t>(pop_.household[static_cast<std::size_t>(r)]);
      for (auto m = pop_.household_start[hh]; m < pop_.household_start[hh + 1]; ++m)
        if (const ResidentId member = pop_.household_members[static_cast<std::size_t>(m)];
            member != r && present(member))
          experience(member, Contact::household_shock);
    }
  // Operations are seen by the residents around them, whether or not police were told of ICE's role.
  if (L.channel_neighbourhood)
    for (ResidentId i : today.operation_witnesses)
      if (present(i)) experience(i, Contact::operation);

  // Relaxation toward the starting levels and the announced signal (memory).
  beliefs_.end_day(day_);
  if (static_cast<Method>(P_.simulation.method) == Method::per_resident) beliefs_.materialise_all(day_ + 1, presence_);
}

void Simulation::update_feedback() {
  feedback_.end_day(day_);
  ice_.close_day();  // the declined-detainer share behind tomorrow's budgets
  // Event-driven immigration work (checks, transfers, screenings, operations) is paid tomorrow.
  for (std::size_t j = 0; j < policy_.size(); ++j)
    yesterday_immigration_[j] = immigration_hours_[j] - standing_hours_[j];
}

}  // namespace trustsim
