// Population synthesis, part 2: criminal records, offending propensity, exposure, officers.
#include <tbb/parallel_for.h>

#include <cmath>

#include "population/build_steps.hpp"

namespace trustsim {

void assign_records_and_exposure(const Scenario& sc, const Rng& rng, Population& pop) {
  const auto& p = sc.params.population;
  const auto N = static_cast<std::size_t>(pop.residents());
  pop.record.resize(N);
  pop.propensity.resize(N);
  pop.exposure.resize(N);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const bool minor = pop.flags[i] & kMinor;
    double u = rng.uniform(Stream::resident, 0, i, 0);
    Record r = minor                                                    ? Record::none
               : u < p.violent_record_share                             ? Record::violent
               : u < p.violent_record_share + p.nonviolent_record_share ? Record::non_violent
                                                                        : Record::none;
    pop.record[i] = static_cast<std::uint8_t>(r);
    double multiplier = r == Record::violent       ? p.propensity_multiplier_violent
                        : r == Record::non_violent ? p.propensity_multiplier_nonviolent
                                                   : 1.0;
    double z = rng.normal(Stream::resident, 0, i, 1);
    pop.propensity[i] =
        minor ? 0.0f
              : static_cast<float>(multiplier *
                                   std::exp(p.propensity_sigma * z - 0.5 * p.propensity_sigma * p.propensity_sigma));
    auto s = static_cast<Status>(pop.status[i]);
    pop.exposure[i] = static_cast<float>(s == Status::undocumented                 ? 1.0
                                         : (pop.flags[i] & kLivesWithUndocumented) ? p.exposure_lives_with_undocumented
                                         : (pop.flags[i] & kImmigrantOrigin)       ? p.exposure_other_immigrant_origin
                                                                                   : 0.0);
  });
}

ResidentId Population::draw_offender(int n, double u1, double u2) const {
  const std::int32_t b = nbhd_begin(n), e = nbhd_end(n);
  if (e <= b) return -1;
  auto k = static_cast<std::size_t>(b + std::min<std::int32_t>(e - b - 1, static_cast<std::int32_t>(u1 * (e - b))));
  return u2 < alias_prob[k] ? static_cast<ResidentId>(k) : alias_other[k];
}

void build_offender_tables(Population& pop) {
  // Vose's alias method per neighbourhood: O(1) draws proportional to propensity.
  pop.alias_prob.assign(static_cast<std::size_t>(pop.residents()), 1.0f);
  pop.alias_other.resize(static_cast<std::size_t>(pop.residents()));
  tbb::parallel_for(0, pop.neighbourhoods(), [&](int n) {
    const std::int32_t b = pop.nbhd_begin(n), e = pop.nbhd_end(n);
    double total = 0;
    for (auto i = b; i < e; ++i) total += pop.propensity[static_cast<std::size_t>(i)];
    std::vector<double> scaled(static_cast<std::size_t>(e - b));
    std::vector<std::int32_t> small, large;
    for (auto i = b; i < e; ++i) {
      pop.alias_other[static_cast<std::size_t>(i)] = i;
      double s = total > 0 ? pop.propensity[static_cast<std::size_t>(i)] * static_cast<float>(e - b) / total : 1.0;
      scaled[static_cast<std::size_t>(i - b)] = s;
      (s < 1.0 ? small : large).push_back(i);
    }
    while (!small.empty() && !large.empty()) {
      auto s = small.back(), l = large.back();
      small.pop_back();
      pop.alias_prob[static_cast<std::size_t>(s)] = static_cast<float>(scaled[static_cast<std::size_t>(s - b)]);
      pop.alias_other[static_cast<std::size_t>(s)] = l;
      auto& sl = scaled[static_cast<std::size_t>(l - b)];
      sl = sl + scaled[static_cast<std::size_t>(s - b)] - 1.0;
      if (sl < 1.0) {
        large.pop_back();
        small.push_back(l);
      }
    }
  });
}

void assign_officers(const Scenario& sc, Population& pop) {
  // Officers per neighbourhood in proportion to residents (largest remainder within each jurisdiction).
  const int n = pop.neighbourhoods();
  pop.officers.assign(static_cast<std::size_t>(n), 0);
  for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j) {
    std::int64_t residents = 0;
    for (int k = 0; k < n; ++k)
      if (pop.jurisdiction_of[static_cast<std::size_t>(k)] == static_cast<int>(j))
        residents += pop.nbhd_end(k) - pop.nbhd_begin(k);
    auto total = static_cast<std::int64_t>(
        std::llround(sc.params.police.officers_per_1000 * static_cast<double>(residents) / 1000.0));
    std::vector<std::pair<double, int>> remainders;
    std::int64_t given = 0;
    for (int k = 0; k < n; ++k) {
      if (pop.jurisdiction_of[static_cast<std::size_t>(k)] != static_cast<int>(j)) continue;
      double share = residents > 0 ? static_cast<double>(total) * (pop.nbhd_end(k) - pop.nbhd_begin(k)) /
                                         static_cast<double>(residents)
                                   : 0;
      pop.officers[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(share);
      given += pop.officers[static_cast<std::size_t>(k)];
      remainders.emplace_back(-(share - std::floor(share)), k);
    }
    std::sort(remainders.begin(), remainders.end());
    for (std::size_t r = 0; r < remainders.size() && given < total; ++r, ++given)
      ++pop.officers[static_cast<std::size_t>(remainders[r].second)];
  }
}

}  // namespace trustsim
