// Phases 1-3: victimisation, the reporting decision, police response and clearance.
#include <cmath>

#include <tbb/parallel_for.h>

#include "engine/simulation.hpp"

namespace trustsim {

// Each neighbourhood draws its victims on its own (the draws are keyed by neighbourhood, not
// by order), and the lists are joined in neighbourhood order: the same list on any thread count.
void Simulation::victimisation(DayEvents& today) {
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
  for (const auto& victims : victims_by_neighbourhood_)
    today.victims.insert(today.victims.end(), victims.begin(), victims.end());
}

// Every victim's decision and the police response are drawn on their own (keyed by victim,
// reading only yesterday's feedback and today's beliefs, which this phase does not change),
// in parallel; then they are applied in victim order, which fixes the order of contacts and
// arrests: the same bits on any thread count.
void Simulation::reporting_and_response(DayEvents& today) {
  const double clearance[kCrimeTypes] = {P_.police.clearance_violent, P_.police.clearance_property};
  today.responses.assign(today.victims.size(), Response{});
  tbb::parallel_for(std::size_t{0}, today.victims.size(), [&](std::size_t v) {
    const Victim& victim = today.victims[v];
    Response& r = today.responses[v];
    const auto k = static_cast<std::size_t>(victim.who);
    const int n = pop_.neighbourhood[k], j = pop_.jurisdiction_of[static_cast<std::size_t>(n)], t = idx(victim.type);
    const auto draw = static_cast<std::uint32_t>(t + kCrimeTypes * (victim.ordinal & 0xFFFF));
    r.reported = rng_.bernoulli(reporting_probability(victim.who, victim.type), Stream::reporting, uday(), k, draw);
    if (!r.reported) return;
    auto response_draw = [&](ResponseDraw slot) {
      return rng_.uniform(Stream::response, uday(), k, draw_index(slot, draw));
    };
    r.cleared = response_draw(ResponseDraw::cleared) < clearance[t] * clearance_factor_[static_cast<std::size_t>(j)];
    r.good = r.cleared || response_draw(ResponseDraw::good) < P_.police.good_response_prob;
    if (!r.cleared) return;
    // The booking charge follows the crime: a felony or a misdemeanour of its type.
    const double felony = victim.type == CrimeType::violent ? P_.police.violent_arrest_felony_share
                                                            : P_.police.property_arrest_felony_share;
    const Charge as_felony = victim.type == CrimeType::violent ? Charge::violent_felony : Charge::other_felony;
    r.charge = response_draw(ResponseDraw::charge) < felony ? as_felony : Charge::misdemeanour;
    for (std::uint32_t attempt = 0; attempt < 16; ++attempt) {
      auto w = rng_.words(Stream::offender, uday(), k, draw * 16 + attempt);
      ResidentId o = pop_.draw_offender(n, w[0] * 0x1p-32, w[1] * 0x1p-32);
      if (o >= 0 && o != victim.who && present(o)) {
        r.offender = o;
        break;
      }
    }
  });

  for (std::size_t v = 0; v < today.victims.size(); ++v) {
    const Victim& victim = today.victims[v];
    const Response& r = today.responses[v];
    const auto k = static_cast<std::size_t>(victim.who);
    const int n = pop_.neighbourhood[k], j = pop_.jurisdiction_of[static_cast<std::size_t>(n)], t = idx(victim.type);
    count_by_group(SeriesId::victimisations, victim.who, {t});
    feedback_.victimised(n, j, pop_.group[k]);
    if (!r.reported) continue;
    count_by_group(SeriesId::reports, victim.who, {t});
    feedback_.reported(n, j, pop_.group[k]);
    today.contacts.push_back({victim.who, r.good ? Contact::positive : Contact::negative});
    today.contacts.push_back({victim.who, Contact::reassurance});  // the contact ended with no immigration consequence
    if (!r.cleared) continue;
    result_.series.add(SeriesId::cleared, day_, {j, t});
    feedback_.cleared(n);
    if (r.offender >= 0) today.arrests.push_back({r.offender, r.charge});
  }
}

}  // namespace trustsim
