// Outreach, phase 8 (learning of trust and belief) and the community feedback loops.
#include <algorithm>
#include <cmath>
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
  // Each channel can be switched off to measure its share of an effect (scripts/decompose).
  // Own experience: direct contacts; negative ones weigh `negative_asymmetry` times more on
  // trust, a status check is evidence of entanglement, a contact without consequence of none.
  if (L.channel_own)
    for (const auto& c : today.contacts)
      if (present(c.who)) experience(c.who, c.kind);
  if (L.channel_ties) hear_of_detentions_through_ties(today);
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
  if (L.channel_news) local_news(today);
  // Today's broadcasts (stories, announcements made by apply_policy_schedule), then forgetting.
  beliefs_.end_day(day_);
  if (static_cast<Method>(P_.simulation.method) == Method::per_resident) beliefs_.materialise_all(day_ + 1, presence_);
}

void Simulation::experience(ResidentId i, Contact kind, double weight) {
  const Move m = move_for(kind, P_.learning, weight);
  beliefs_.change(i, day_, [&](float trust, float belief) {
    return std::pair{static_cast<float>(moved_trust(trust, m)), static_cast<float>(moved_belief(belief, m))};
  });
}

// A detention through the police reaches the detainee's ties in proportion to tie weight (a
// sparse matrix-vector product W s over the few nonzero s). Close ties (household, weight at
// least learning.word_of_mouth_min_weight) pass it on to their own ties, a share
// learning.word_of_mouth of it: word of mouth, two steps along the graph, across
// jurisdiction borders where ties cross them. The detainee's own household hears it first-hand only.
void Simulation::hear_of_detentions_through_ties(const DayEvents& today) {
  const auto& L = P_.learning;
  const auto W = pop_.ties.matrix();
  for (ResidentId d : today.police_detainees) {
    const auto household = pop_.household[static_cast<std::size_t>(d)];
    for (decltype(W)::InnerIterator tie(W, d); tie; ++tie) {
      const auto j = static_cast<ResidentId>(tie.col());
      if (!present(j)) continue;
      const double w = std::min(1.0f, tie.value());
      experience(j, Contact::vicarious, w);
      if (w < L.word_of_mouth_min_weight || L.word_of_mouth <= 0) continue;
      for (decltype(W)::InnerIterator next(W, j); next; ++next)
        if (const auto k = static_cast<ResidentId>(next.col());
            pop_.household[static_cast<std::size_t>(k)] != household && present(k))
          experience(k, Contact::vicarious, std::min(1.0, w * next.value() * L.word_of_mouth));
    }
  }
}

// A day's police-linked detentions may become a local story (news.hpp), heard by the news
// followers of the jurisdiction.
void Simulation::local_news(const DayEvents& today) {
  if (today.police_detainees.empty()) return;
  std::vector<int> detained(policy_.size(), 0);
  for (ResidentId d : today.police_detainees) ++detained[static_cast<std::size_t>(pop_.jurisdiction(d))];
  for (std::size_t j = 0; j < policy_.size(); ++j) {
    const double per_100k = detained[j] * 100000.0 / std::max(1.0, residents_[j]);
    if (!news_.story(static_cast<int>(j), day_, per_100k, rng_)) continue;
    beliefs_.broadcast(static_cast<int>(j), day_, P_.learning.news_salience, true);
    result_.series.add(SeriesId::news_stories, day_, {static_cast<int>(j)});
  }
}

// A policy's adoption is news about what it does (news.hpp): the change in the chance that a
// stop ends in ICE custody, times one salience shared by every policy and the policy's publicity.
void Simulation::announce(int jurisdiction, const PolicyParams& before, const PolicyParams& after) {
  const double change = police_entanglement(after, P_) - police_entanglement(before, P_);
  const double weight = P_.learning.announcement_salience * after.publicity * std::abs(change);
  if (weight <= 0) return;
  result_.series.add(SeriesId::announcement_weight, day_, {jurisdiction}, change > 0 ? weight : -weight);
  if (P_.learning.channel_announcement) beliefs_.broadcast(jurisdiction, day_, weight, change > 0);
}

void Simulation::update_feedback() {
  feedback_.end_day(day_);
  ice_.close_day();  // the declined-detainer share behind tomorrow's budgets
  // Event-driven immigration work (checks, transfers, screenings, operations) is paid tomorrow.
  for (std::size_t j = 0; j < policy_.size(); ++j)
    yesterday_immigration_[j] = immigration_hours_[j] - standing_hours_[j];
}

}  // namespace trustsim
