#include "engine/beliefs.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace trustsim {
namespace {
std::vector<double> powers(double half_life, int days) {
  std::vector<double> p(static_cast<std::size_t>(days) + 2);
  const double decay = std::pow(0.5, 1.0 / half_life);
  for (std::size_t k = 0; k < p.size(); ++k) p[k] = std::pow(decay, static_cast<double>(k));
  return p;
}
float clamp01(double v) { return static_cast<float>(std::clamp(v, 0.0, 1.0)); }

// One broadcast of weight `a` on a resident's (t, q); `eta`: the share of it that trust moves.
void hear(double a, bool raises, double eta, double& t, double& q) {
  if (raises) {
    q += a * (1 - q);
    t -= a * eta * t;
  } else {
    q -= a * q;
    t += a * eta * (1 - t);
  }
}
}  // namespace

void CellSums::add(const CellSums& o) {
  count += o.count;
  exposure += o.exposure;
  trust += o.trust;
  belief += o.belief;
  fear += o.fear;
  trust0 += o.trust0;
  belief0 += o.belief0;
  fear0 += o.fear0;
}

Beliefs::Beliefs(const Scenario& sc, const Population& pop, const Rng& rng)
    : pop_(pop), entanglement_trust_(sc.params.learning.entanglement_trust) {
  const auto& L = sc.params.learning;
  const auto& p = sc.params.population;
  const std::array<double, kGroups> trust_base = {p.trust_citizen_non_immigrant, p.trust_citizen_immigrant_origin,
                                                  p.trust_lawful_noncitizen, p.trust_undocumented};
  const std::array<double, kGroups> belief_base = {p.belief_citizen_non_immigrant, p.belief_citizen_immigrant_origin,
                                                   p.belief_lawful_noncitizen, p.belief_undocumented};
  trust_decay_pow_ = powers(L.trust_half_life_days, sc.days());
  belief_decay_pow_ = powers(L.belief_half_life_days, sc.days());
  broadcasts_.resize(sc.jurisdictions.size());
  sums_.assign(sc.jurisdictions.size() * kCellsPerJurisdiction, CellSums{});

  const auto N = static_cast<std::size_t>(pop.residents());
  trust0_.resize(N);
  belief0_.resize(N);
  follows_.resize(N);
  last_day_.assign(N, 0);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const auto g = static_cast<std::size_t>(pop.group[i]);
    trust0_[i] = clamp01(trust_base[g] + p.trust_sd * rng.normal(Stream::resident, 0, i, 2));
    belief0_[i] = clamp01(belief_base[g] + p.belief_sd * rng.normal(Stream::resident, 0, i, 3));
    // Following news on the police and immigration grows with the stake, exposure (uniform
    // draw 8 of the resident stream is this one's).
    const double reach = (pop.flags[i] & kForeignBorn) ? L.news_reach : L.news_reach_us_born;
    const double stake = L.news_attention_floor + (1 - L.news_attention_floor) * pop.exposure[i];
    follows_[i] = pop.exposure[i] > 0 && rng.uniform(Stream::resident, 0, i, 8) < reach * stake ? 1 : 0;
  });
  // A broadcast's effect on trust depends on exposure, which must be one value per (group, mixed)
  // for the cell sums to stay exact: it is (attributes.cpp: undocumented 1; documented in a
  // mixed-status household 0.8; other immigrant-origin 0.2; others 0).
  std::array<bool, kGroups * 2> seen{};
  for (std::size_t i = 0; i < N; ++i) {
    const std::size_t c = static_cast<std::size_t>(pop.group[i]) * 2 + ((pop.flags[i] & kMixedStatus) ? 1 : 0);
    if (!seen[c]) {
      seen[c] = true;
      exposure_of_[c] = pop.exposure[i];
    } else if (exposure_of_[c] != pop.exposure[i]) {
      throw std::logic_error("Beliefs: exposure differs within a (group, mixed-status) cell");
    }
  }
  trust_ = trust0_;
  belief_ = belief0_;
  materialise_all(0, std::vector<std::uint8_t>(N, 0));
}

void Beliefs::broadcast(int jurisdiction, int day, double weight, bool raises) {
  if (weight <= 0) return;
  broadcasts_[static_cast<std::size_t>(jurisdiction)].push_back({day, weight, raises});
}

std::size_t Beliefs::key_of(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  return key(pop_.jurisdiction(i), pop_.group[k], pop_.flags[k] & kMixedStatus, follows_[k] != 0);
}

Beliefs::Values Beliefs::caught_up(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  int from = last_day_[k];
  if (from >= day) return {trust_[k], belief_[k]};
  double t = trust_[k], q = belief_[k];
  const double t0 = trust0_[k], q0 = belief0_[k];
  auto relax_until = [&](int until) {
    const auto n = static_cast<std::size_t>(until - from);
    t = t0 + trust_decay_pow_[n] * (t - t0);
    q = q0 + belief_decay_pow_[n] * (q - q0);
    from = until;
  };
  if (follows_[k] != 0) {
    // The broadcasts of days from..day-1, each heard before that day's relaxation.
    const auto& bs = broadcasts_[static_cast<std::size_t>(pop_.jurisdiction(i))];
    const double e = pop_.exposure[k];
    for (auto b = std::lower_bound(bs.begin(), bs.end(), from, [](const Broadcast&x, int d) { return x.day < d; });
         b != bs.end() && b->day < day; ++b) {
      relax_until(b->day);
      hear(std::min(1.0, b->weight), b->raises, entanglement_trust_ * e, t, q);
    }
  }
  relax_until(day);
  return {static_cast<float>(t), static_cast<float>(q)};
}

void Beliefs::add_to_sums(ResidentId i, float t, float q, double sign) {
  auto& c = sums_[key_of(i)];
  const auto k = static_cast<std::size_t>(i);
  const double e = pop_.exposure[k];
  c.count += sign;
  c.exposure += sign * e;
  c.trust += sign * t;
  c.belief += sign * q;
  c.fear += sign * e * q;
  c.trust0 += sign * trust0_[k];
  c.belief0 += sign * belief0_[k];
  c.fear0 += sign * e * belief0_[k];
}

void Beliefs::replace(ResidentId i, int day, Values before, float new_trust, float new_belief) {
  const auto k = static_cast<std::size_t>(i);
  add_to_sums(i, before.trust, before.belief, -1);
  trust_[k] = clamp01(new_trust);
  belief_[k] = clamp01(new_belief);
  last_day_[k] = day;
  add_to_sums(i, trust_[k], belief_[k], +1);
}

void Beliefs::refresh(ResidentId i, int day) {
  const auto k = static_cast<std::size_t>(i);
  if (last_day_[k] >= day) return;
  const Values v = caught_up(i, day);
  trust_[k] = v.trust;
  belief_[k] = v.belief;
  last_day_[k] = day;
}

void Beliefs::leave(ResidentId i, int day) {
  const Values v = caught_up(i, day);
  add_to_sums(i, v.trust, v.belief, -1);
}
void Beliefs::rejoin(ResidentId i, int day) {
  const Values v = caught_up(i, day);
  add_to_sums(i, v.trust, v.belief, +1);
}

CellSums Beliefs::cell(int jurisdiction, int group, bool mixed) const {
  CellSums c = sums_[key(jurisdiction, group, mixed, false)];
  c.add(sums_[key(jurisdiction, group, mixed, true)]);
  return c;
}

void Beliefs::end_day(int day) {
  const double td = trust_decay_pow_[1], bd = belief_decay_pow_[1];
  for (std::size_t j = 0; j < broadcasts_.size(); ++j) {
    const auto& bs = broadcasts_[j];
    auto today = bs.end();
    while (today != bs.begin() && (today - 1)->day == day) --today;
    for (int g = 0; g < kGroups; ++g)
      for (int mixed = 0; mixed < 2; ++mixed)
        for (int follows = 0; follows < 2; ++follows) {
          auto& c = sums_[key(static_cast<int>(j), g, mixed != 0, follows != 0)];
          if (follows != 0)
            for (auto b = today; b != bs.end(); ++b) {
              // The residents' map summed: q -> q + a (1 - q) becomes Q -> Q + a (n - Q), and so on.
              const double e = exposure_of_[static_cast<std::size_t>(g) * 2 + mixed];
              const double a = std::min(1.0, b->weight), eta = entanglement_trust_ * e;
              if (b->raises) {
                c.belief += a * (c.count - c.belief);
                c.fear += a * (c.exposure - c.fear);
                c.trust -= a * eta * c.trust;
              } else {
                c.belief -= a * c.belief;
                c.fear -= a * c.fear;
                c.trust += a * eta * (c.count - c.trust);
              }
            }
          c.trust = c.trust0 + td * (c.trust - c.trust0);
          c.belief = c.belief0 + bd * (c.belief - c.belief0);
          c.fear = c.fear0 + bd * (c.fear - c.fear0);
        }
  }
}

void Beliefs::materialise_all(int day, const std::vector<std::uint8_t>& presence) {
  const int nn = pop_.neighbourhoods();
  std::vector<std::vector<CellSums>> partial(static_cast<std::size_t>(nn));
  tbb::parallel_for(0, nn, [&](int n) {
    auto& part = partial[static_cast<std::size_t>(n)];
    part.assign(kCellsPerJurisdiction, CellSums{});
    for (auto i = pop_.nbhd_begin(n); i < pop_.nbhd_end(n); ++i) {
      const auto k = static_cast<std::size_t>(i);
      const Values v = caught_up(i, day);
      trust_[k] = v.trust;
      belief_[k] = v.belief;
      last_day_[k] = day;
      if (presence[k] != 0) continue;  // 0: at home
      auto& c = part[key(0, pop_.group[k], pop_.flags[k] & kMixedStatus, follows_[k] != 0)];
      const double e = pop_.exposure[k];
      c.count += 1;
      c.exposure += e;
      c.trust += v.trust;
      c.belief += v.belief;
      c.fear += e * v.belief;
      c.trust0 += trust0_[k];
      c.belief0 += belief0_[k];
      c.fear0 += e * belief0_[k];
    }
  });
  std::fill(sums_.begin(), sums_.end(), CellSums{});
  for (int n = 0; n < nn; ++n) {  // combined in neighbourhood order: the same bits for any thread count
    const auto j = static_cast<std::size_t>(pop_.jurisdiction_of[static_cast<std::size_t>(n)]);
    for (std::size_t c = 0; c < kCellsPerJurisdiction; ++c)
      sums_[j * kCellsPerJurisdiction + c].add(partial[static_cast<std::size_t>(n)][c]);
  }
}

}  // namespace trustsim
