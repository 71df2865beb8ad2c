// Phases 1-3: victimisation, the reporting decision, police response and clearance.
#include <cmath>

#include <tbb/parallel_for.h>

#include "engine/simulation.hpp"

namespace trustsim {

// Each neighbourhood draws its victims on its own (the draws are keyed by neighbourhood, not
// by order), and the lists are joined in neighbourhood order: the same list on any thread count.
void Simulation::victimisation() {
  const double base[kCrimeTypes] = {P_.crime.violent_daily_rate, P_.crime.property_daily_rate};
  const bool per_resident = static_cast<Method>(P_.simulation.method) == Method::per_resident;
  victims_by_neighbourhood_.resize(static_cast<std::size_t>(pop_.neighbourhoods()));
  tbb::parallel_for(0, pop_.neighbourhoods(), [&](int n) {
    auto& victims = victims_by_neighbourhood_[static_cast<std::size_t>(n)];
    victims.clear();
    const int j = pop_.jurisdiction_of[static_cast<std::size_t>(n)];
    const double impunity = feedback_.impunity_multiplier(n);
    for (int g = 0; g < kGroups; ++g) {
      const double targeting = feedback_.targeting_multiplier(j, g);
      const auto cell = static_cast<std::uint64_t>(Population::cell_index(n, g));
      for (int t = 0; t < kCrimeTypes; ++t) {
        const double p = base[t] * impunity * targeting;
        const auto type = static_cast<CrimeType>(t);
        if (per_resident) {  // reference: one Bernoulli trial per present resident
          for (auto i = pop_.cell_begin(n, g); i < pop_.cell_end(n, g); ++i)
            if (present(i) && rng_.bernoulli(p, Stream::reference_resident, uday(), static_cast<std::uint64_t>(i),
                                             static_cast<std::uint32_t>(t)))
              victims.push_back({i, type, 0});
          continue;
        }
        // Event method: the cell's count from its Poisson law, then the victims uniformly.
        const double mean = p * present_in_cell_[cell];
        const auto count =
            rng_.poisson(mean, Stream::victimisation, uday(), cell * kCrimeTypes + static_cast<std::uint64_t>(t));
        for (std::uint32_t k = 0; k < count; ++k) {
          ResidentId i = pick_present(n, g, g + 1, Stream::victim_pick,
                                      cell * kCrimeTypes + static_cast<std::uint64_t>(t), k, false);
          if (i >= 0) victims.push_back({i, type, k});
        }
      }
    }
  });
  victims_.clear();
  for (const auto& victims : victims_by_neighbourhood_) victims_.insert(victims_.end(), victims.begin(), victims.end());
}

void Simulation::reporting_and_response() {
  arrests_.clear();
  const double clearance[kCrimeTypes] = {P_.police.clearance_violent, P_.police.clearance_property};
  for (const auto& v : victims_) {
    const auto k = static_cast<std::size_t>(v.who);
    const int n = pop_.neighbourhood[k], j = pop_.jurisdiction_of[static_cast<std::size_t>(n)], t = idx(v.type);
    const auto draw = static_cast<std::uint32_t>(t + kCrimeTypes * (v.ordinal & 0xFFFF));
    count_by_group(SeriesId::victimisations, v.who, {t});
    feedback_.victimised(n, j, pop_.group[k]);
    if (!rng_.bernoulli(reporting_probability(v.who, v.type), Stream::reporting, uday(), k, draw)) continue;

    count_by_group(SeriesId::reports, v.who, {t});
    feedback_.reported(n, j, pop_.group[k]);
    const bool cleared = rng_.bernoulli(clearance[t] * clearance_factor_[static_cast<std::size_t>(j)], Stream::response,
                                        uday(), k, 3 * draw);
    const bool good =
        cleared || rng_.bernoulli(P_.police.good_response_prob, Stream::response, uday(), k, 3 * draw + 1);
    contacts_.push_back({v.who, good ? Contact::positive : Contact::negative});
    contacts_.push_back({v.who, Contact::reassurance});  // the contact ended with no immigration consequence
    if (!cleared) continue;
    result_.series.add(SeriesId::cleared, day_, {j, t});
    feedback_.cleared(n);
    for (std::uint32_t attempt = 0; attempt < 16; ++attempt) {
      auto w = rng_.words(Stream::offender, uday(), k, draw * 16 + attempt);
      ResidentId o = pop_.draw_offender(n, w[0] * 0x1p-32, w[1] * 0x1p-32);
      if (o >= 0 && o != v.who && present(o)) {
        arrests_.push_back({o});
        break;
      }
    }
  }
}

}  // namespace trustsim
