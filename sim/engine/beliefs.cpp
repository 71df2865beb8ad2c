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
    : pop_(pop), signal_weight_(sc.params.learning.signal_weight), signal_reference_(sc.params.learning.signal_reference) {
  const auto& p = sc.params.population;
  const std::array<double, kGroups> trust_base = {p.trust_citizen_non_immigrant, p.trust_citizen_immigrant_origin,
                                                  p.trust_lawful_noncitizen, p.trust_undocumented};
  const std::array<double, kGroups> belief_base = {p.belief_citizen_non_immigrant, p.belief_citizen_immigrant_origin,
                                                   p.belief_lawful_noncitizen, p.belief_undocumented};
  trust_decay_pow_ = powers(sc.params.learning.trust_half_life_days, sc.days());
  belief_decay_pow_ = powers(sc.params.learning.belief_half_life_days, sc.days());
  segments_.resize(sc.jurisdictions.size());
  sums_.assign(sc.jurisdictions.size() * kGroups * 2, CellSums{});

  const auto N = static_cast<std::size_t>(pop.residents());
  trust0_.resize(N);
  belief0_.resize(N);
  last_day_.assign(N, 0);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const auto g = static_cast<std::size_t>(pop.group[i]);
    trust0_[i] = clamp01(trust_base[g] + p.trust_sd * rng.normal(Stream::resident, 0, i, 2));
    belief0_[i] = clamp01(belief_base[g] + p.belief_sd * rng.normal(Stream::resident, 0, i, 3));
  });
  trust_ = trust0_;
  belief_ = belief0_;
  for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j) set_signal(static_cast<int>(j), 0, sc.jurisdictions[j].policy.announced_signal);
  // Residents start at their starting belief, whatever the policy announces; they move from day 0.
  materialise_all(0, std::vector<std::uint8_t>(N, 0));
}

void Beliefs::set_signal(int jurisdiction, int day, double announced_signal) {
  Segment s{day, 0.0, 1.0};
  if (announced_signal >= signal_reference_) {
    const double k = signal_reference_ < 1 ? signal_weight_ * (announced_signal - signal_reference_) / (1 - signal_reference_) : 0;
    s.alpha = k;
    s.beta = 1 - k;
  } else {
    s.beta = 1 - signal_weight_ * (signal_reference_ - announced_signal) / signal_reference_;
  }
  auto& segs = segments_[static_cast<std::size_t>(jurisdiction)];
  if (!segs.empty() && segs.back().start_day == day) segs.back() = s;
  else segs.push_back(s);
}

const Beliefs::Segment& Beliefs::segment(int jurisdiction, int day) const {
  const auto& segs = segments_[static_cast<std::size_t>(jurisdiction)];
  return *(std::upper_bound(segs.begin(), segs.end(), day, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1);
}

std::size_t Beliefs::key_of(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  return key(pop_.jurisdiction(i), pop_.group[k], pop_.flags[k] & kMixedStatus);
}

float Beliefs::trust(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const double target = trust0_[k];
  return static_cast<float>(target + trust_decay_pow_[static_cast<std::size_t>(day - last_day_[k])] * (trust_[k] - target));
}

float Beliefs::relax_belief(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const auto& segs = segments_[static_cast<std::size_t>(pop_.jurisdiction(i))];
  double v = belief_[k];
  int from = last_day_[k];
  // The segment in force on day `from`, then each later one up to `day`.
  auto s = std::upper_bound(segs.begin(), segs.end(), from, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1;
  while (from < day) {
    const int until = (s + 1 == segs.end()) ? day : std::min(day, (s + 1)->start_day);
    const double target = s->alpha + s->beta * belief0_[k];
    v = target + belief_decay_pow_[static_cast<std::size_t>(until - from)] * (v - target);
    from = until;
    ++s;
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
  c.trust0 += sign * trust0_[static_cast<std::size_t>(i)];
  c.belief0 += sign * belief0_[static_cast<std::size_t>(i)];
  c.fear0 += sign * e * belief0_[static_cast<std::size_t>(i)];
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
    const Segment& s = segment(static_cast<int>(j), day);
    for (int g = 0; g < kGroups; ++g)
      for (int mixed = 0; mixed < 2; ++mixed) {
        auto& c = sums_[key(static_cast<int>(j), g, mixed)];
        const double belief_target = s.alpha * c.count + s.beta * c.belief0;
        const double fear_target = s.alpha * c.exposure + s.beta * c.fear0;
        c.trust = c.trust0 + td * (c.trust - c.trust0);
        c.belief = belief_target + bd * (c.belief - belief_target);
        c.fear = fear_target + bd * (c.fear - fear_target);
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
      c.trust0 += trust0_[k];
      c.belief0 += belief0_[k];
      c.fear0 += e * belief0_[k];
    }
  });
  std::fill(sums_.begin(), sums_.end(), CellSums{});
  for (int n = 0; n < nn; ++n) {  // combined in neighbourhood order: the same bits for any thread count
    const int j = pop_.jurisdiction_of[static_cast<std::size_t>(n)];
    for (int c = 0; c < kGroups * 2; ++c) {
      auto& dst = sums_[static_cast<std::size_t>(j * kGroups * 2 + c)];
      dst.add(partial[static_cast<std::size_t>(n)][static_cast<std::size_t>(c)]);
    }
  }
}

}  // namespace trustsim
