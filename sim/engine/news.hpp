// What residents can learn without a police contact of their own (MODEL.md, step 8): the
// announcement of a policy and local news stories about police-linked detentions.
//
// A policy's announcement is news about what the policy does, never a level chosen per
// preset. Its content is the change in the policy's entanglement: the chance that a police
// stop of an undocumented resident with no record ends in ICE custody, computed from the
// policy's knobs and the model's own stop, booking and detainer parameters
// (police_entanglement). The status quo that residents' starting beliefs describe is the
// registry's default policy (fingerprints shared, detainers honoured: the baseline preset).
//
// Stories: each day, a jurisdiction's police-linked detentions per 100,000 residents (its
// "size") become a story with chance min(1, story_rate x size x novelty), where novelty
// 1 - exp(-days since the last story / novelty_days) makes a story soon after another less
// likely. The chance is linear in the per-capita size, so a city of any population gets the
// same expected number of stories for the same enforcement per resident.
#pragma once

#include <vector>

#include "core/rng.hpp"
#include "params/params.hpp"

namespace trustsim {

// Chance that a stop of an undocumented resident with no record ends in ICE custody under
// `policy`: a status check and referral, or an arrest at the stop whose booking leads to a
// detainer that is honoured or served at release.
double police_entanglement(const PolicyParams& policy, const Params& params);

class LocalNews {
 public:
  LocalNews(const LearningParams& learning, int jurisdictions)
      : L_(learning), last_story_day_(static_cast<std::size_t>(jurisdictions), -1000000) {}

  // Whether today's police-linked detentions in `jurisdiction` (per 100,000 residents) make a story.
  bool story(int jurisdiction, int day, double size_per_100k, const Rng& rng);

 private:
  const LearningParams& L_;
  std::vector<int> last_story_day_;
};

}  // namespace trustsim
