#include "engine/beliefs.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace trustsim {
namespace {
std::vector<double> powers(double half_life, int days) {
  std::vector<double> p(static_cast<std::size_t>(days) + 2);
  const double decay = std::pow(0.5, 1.0 / half_life);
  for (std::size_t k = 0; k < p.size(); ++k) p[k] = std::pow(decay, static_cast<double>(k));
  return p;
}
float clamp01(double v) { return static_cast<float>(std::clamp(v, 0.0, 1.0)); }
}  // namespace

Beliefs::Beliefs(const Scenario& sc, const Population& pop, const Rng& rng)
    : pop_(pop), signal_weight_(sc.params.learning.signal_weight) {
  const auto& p = sc.params.population;
  trust_target_ = {p.trust_citizen_non_immigrant, p.trust_citizen_immigrant_origin, p.trust_lawful_noncitizen, p.trust_undocumented};
  start_belief_ = {p.belief_citizen_non_immigrant, p.belief_citizen_immigrant_origin, p.belief_lawful_noncitizen, p.belief_undocumented};
  trust_decay_pow_ = powers(sc.params.learning.trust_half_life_days, sc.days());
  belief_decay_pow_ = powers(sc.params.learning.belief_half_life_days, sc.days());
  segments_.resize(sc.jurisdictions.size());
  sums_.assign(sc.jurisdictions.size() * kGroups * 2, CellSums{});

  const auto N = static_cast<std::size_t>(pop.residents());
  trust_.resize(N);
  belief_.resize(N);
  last_day_.assign(N, 0);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const auto g = static_cast<std::size_t>(pop.group[i]);
    trust_[i] = clamp01(trust_target_[g] + p.trust_sd * rng.normal(Stream::resident, 0, i, 2));
    belief_[i] = clamp01(start_belief_[g] + p.belief_sd * rng.normal(Stream::resident, 0, i, 3));
  });
  for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j) set_signal(static_cast<int>(j), 0, sc.jurisdictions[j].policy.announced_signal);
  materialise_all(0, std::vector<std::uint8_t>(N, 0));
}

void Beliefs::set_signal(int jurisdiction, int day, double announced_signal) {
  Segment s{day, {}};
  for (int g = 0; g < kGroups; ++g)
    s.target[static_cast<std::size_t>(g)] = signal_weight_ * announced_signal + (1 - signal_weight_) * start_belief_[static_cast<std::size_t>(g)];
  auto& segs = segments_[static_cast<std::size_t>(jurisdiction)];
  if (!segs.empty() && segs.back().start_day == day) segs.back() = s;
  else segs.push_back(s);
}

std::size_t Beliefs::key_of(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  return key(pop_.jurisdiction(i), pop_.group[k], pop_.flags[k] & kMixedStatus);
}

float Beliefs::trust(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const double target = trust_target_[pop_.group[k]];
  return static_cast<float>(target + trust_decay_pow_[static_cast<std::size_t>(day - last_day_[k])] * (trust_[k] - target));
}

float Beliefs::relax_belief(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const auto& segs = segments_[static_cast<std::size_t>(pop_.jurisdiction(i))];
  const auto g = static_cast<std::size_t>(pop_.group[k]);
  double v = belief_[k];
  int from = last_day_[k];
  // Segment in force on day `from`, then each later one up to `day`.
  auto s = std::upper_bound(segs.begin(), segs.end(), from, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1;
  for (; from < day; ++s) {
    int until = (s + 1 == segs.end()) ? day : std::min(day, (s + 1)->start_day);
    if (until > from) {
      v = s->target[g] + belief_decay_pow_[static_cast<std::size_t>(until - from)] * (v - s->target[g]);
      from = until;
    }
    if (s + 1 == segs.end()) break;
  }
  return static_cast<float>(v);
}

float Beliefs::belief(ResidentId i, int day) const { return relax_belief(i, day); }

void Beliefs::add_to_sums(ResidentId i, float t, float q, double sign) {
  auto& c = sums_[key_of(i)];
  const double e = pop_.exposure[static_cast<std::size_t>(i)];
  c.count += sign;
  c.exposure += sign * e;
  c.trust += sign * t;
  c.belief += sign * q;
  c.fear += sign * e * q;
}

void Beliefs::set(ResidentId i, int day, float t, float q) {
  const auto k = static_cast<std::size_t>(i);
  add_to_sums(i, trust(i, day), belief(i, day), -1);
  trust_[k] = clamp01(t);
  belief_[k] = clamp01(q);
  last_day_[k] = day;
  add_to_sums(i, trust_[k], belief_[k], +1);
}

void Beliefs::leave(ResidentId i, int day) { add_to_sums(i, trust(i, day), belief(i, day), -1); }
void Beliefs::rejoin(ResidentId i, int day) { add_to_sums(i, trust(i, day), belief(i, day), +1); }

void Beliefs::end_day(int day) {
  const double td = trust_decay_pow_[1], bd = belief_decay_pow_[1];
  for (std::size_t j = 0; j < segments_.size(); ++j) {
    const auto& segs = segments_[j];
    auto s = std::upper_bound(segs.begin(), segs.end(), day, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1;
    for (int g = 0; g < kGroups; ++g)
      for (int mixed = 0; mixed < 2; ++mixed) {
        auto& c = sums_[key(static_cast<int>(j), g, mixed)];
        const double tt = trust_target_[static_cast<std::size_t>(g)], bt = s->target[static_cast<std::size_t>(g)];
        c.trust = c.count * tt + td * (c.trust - c.count * tt);
        c.belief = c.count * bt + bd * (c.belief - c.count * bt);
        c.fear = c.exposure * bt + bd * (c.fear - c.exposure * bt);
      }
  }
}

void Beliefs::materialise_all(int day, const std::vector<std::uint8_t>& presence) {
  const int nn = pop_.neighbourhoods();
  std::vector<std::vector<CellSums>> partial(static_cast<std::size_t>(nn));
  tbb::parallel_for(0, nn, [&](int n) {
    auto& part = partial[static_cast<std::size_t>(n)];
    part.assign(kGroups * 2, CellSums{});
    for (auto i = pop_.nbhd_begin(n); i < pop_.nbhd_end(n); ++i) {
      const auto k = static_cast<std::size_t>(i);
      const float t = trust(i, day), q = belief(i, day);
      trust_[k] = t;
      belief_[k] = q;
      last_day_[k] = day;
      if (presence[k] != 0) continue;  // 0: at home
      auto& c = part[static_cast<std::size_t>(pop_.group[k] * 2 + ((pop_.flags[k] & kMixedStatus) ? 1 : 0))];
      const double e = pop_.exposure[k];
      c.count += 1;
      c.exposure += e;
      c.trust += t;
      c.belief += q;
      c.fear += e * q;
    }
  });
  std::fill(sums_.begin(), sums_.end(), CellSums{});
  for (int n = 0; n < nn; ++n) {  // combined in neighbourhood order: the same bits for any thread count
    const int j = pop_.jurisdiction_of[static_cast<std::size_t>(n)];
    for (int c = 0; c < kGroups * 2; ++c) {
      auto& dst = sums_[static_cast<std::size_t>(j * kGroups * 2 + c)];
      const auto& src = partial[static_cast<std::size_t>(n)][static_cast<std::size_t>(c)];
      dst.count += src.count;
      dst.exposure += src.exposure;
      dst.trust += src.trust;
      dst.belief += src.belief;
      dst.fear += src.fear;
    }
  }
}

}  // namespace trustsim
