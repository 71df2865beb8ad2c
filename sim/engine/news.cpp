#include "engine/news.hpp"

#include <algorithm>
#include <cmath>

namespace trustsim {

double police_entanglement(const PolicyParams& policy, const Params& params) {
  const auto& ice = params.ice;
  // A stop: designated officers check everyone they stop, others with patrol_status_check_prob.
  const double check =
      policy.designated_officer_share + (1 - policy.designated_officer_share) * policy.patrol_status_check_prob;
  const double referral = check * ice.referral_pickup_prob;
  // A booking (phase 5, sim/engine/phases/policing.cpp) of a person with no record on a
  // stop's charge, which is at most a misdemeanour or traffic charge in the common case.
  double booking = 0;
  if (policy.fingerprint_sharing || policy.jail_screening) {
    const double issued = policy.jail_screening ? 1.0 : ice.detainer_issue_none;
    const auto rule = static_cast<DetainerPolicy>(policy.detainers);
    const double held = rule == DetainerPolicy::all                ? 1.0
                        : rule == DetainerPolicy::judicial_warrant ? ice.judicial_warrant_prob
                                                                   : 0.0;  // none; violent_only (no record); notice
    const double taken = policy.ice_jail_access ? held : held * ice.release_pickup_prob;  // no access: met at release
    const double notice = rule == DetainerPolicy::notice_only ? ice.release_pickup_prob : 0.0;
    booking = issued * (taken + notice);
  }
  return referral + (1 - referral) * params.police.stop_arrest_prob * booking;
}

bool LocalNews::story(int jurisdiction, int day, double size_per_100k, const Rng& rng) {
  if (size_per_100k <= 0) return false;
  auto& last = last_story_day_[static_cast<std::size_t>(jurisdiction)];
  const double novelty = 1 - std::exp(-static_cast<double>(day - last) / L_.news_novelty_days);
  const double chance = std::min(1.0, L_.news_story_rate * size_per_100k * novelty);
  if (rng.uniform(Stream::news, static_cast<std::uint32_t>(day), static_cast<std::uint64_t>(jurisdiction), 0) >= chance)
    return false;
  last = day;
  return true;
}

}  // namespace trustsim
