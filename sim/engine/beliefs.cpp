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
  c += o.c;
  cq += o.cq;
  ec += o.ec;
  ecq += o.ecq;
  ect += o.ect;
}

Beliefs::Beliefs(const Scenario& sc, const Population& pop, const Rng& rng)
    : pop_(pop),
      signal_reference_(sc.params.learning.signal_reference),
      entanglement_trust_(sc.params.learning.entanglement_trust),
      announcement_(sc.params.learning.channel_announcement != 0) {
  const auto& L = sc.params.learning;
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
  attention_.resize(N);
  last_day_.assign(N, 0);
  tbb::parallel_for(std::size_t{0}, N, [&](std::size_t i) {
    const auto g = static_cast<std::size_t>(pop.group[i]);
    trust0_[i] = clamp01(trust_base[g] + p.trust_sd * rng.normal(Stream::resident, 0, i, 2));
    belief0_[i] = clamp01(belief_base[g] + p.belief_sd * rng.normal(Stream::resident, 0, i, 3));
    // Attention to the announced policy (uniform draws 8 and 9 of the resident stream are free).
    const double reach = (pop.flags[i] & kForeignBorn) ? L.signal_reach : L.signal_reach_us_born;
    const bool hears = rng.uniform(Stream::resident, 0, i, 8) < reach;
    const double s = -std::log(rng.uniform(Stream::resident, 0, i, 9));
    attention_[i] = hears ? static_cast<float>(std::min(1.0, L.signal_weight * pop.exposure[i] * s)) : 0.0f;
  });
  trust_ = trust0_;
  belief_ = belief0_;
  for (std::size_t j = 0; j < sc.jurisdictions.size(); ++j)
    set_signal(static_cast<int>(j), 0, sc.jurisdictions[j].policy.announced_signal);
  // Residents start at their starting belief, whatever the policy announces; they move from day 0.
  materialise_all(0, std::vector<std::uint8_t>(N, 0));
}

void Beliefs::set_signal(int jurisdiction, int day, double announced_signal) {
  if (!announcement_) announced_signal = signal_reference_;  // the channel switched off: nothing announced
  Segment s{day, 0.0, 0.0, 0.0, true};
  if (announced_signal >= signal_reference_) {
    s.strength = signal_reference_ < 1 ? (announced_signal - signal_reference_) / (1 - signal_reference_) : 0;
    s.alpha = s.strength;
    s.beta = -s.strength;
  } else {
    s.strength = (signal_reference_ - announced_signal) / signal_reference_;
    s.beta = -s.strength;
    s.raises = false;
  }
  auto& segs = segments_[static_cast<std::size_t>(jurisdiction)];
  if (!segs.empty() && segs.back().start_day == day)
    segs.back() = s;
  else
    segs.push_back(s);
}

const Beliefs::Segment& Beliefs::segment(int jurisdiction, int day) const {
  const auto& segs = segments_[static_cast<std::size_t>(jurisdiction)];
  return *(
      std::upper_bound(segs.begin(), segs.end(), day, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1);
}

std::size_t Beliefs::key_of(ResidentId i) const {
  const auto k = static_cast<std::size_t>(i);
  return key(pop_.jurisdiction(i), pop_.group[k], pop_.flags[k] & kMixedStatus);
}

double Beliefs::belief_target(std::size_t k, const Segment& s) const {
  return belief0_[k] + attention_[k] * (s.alpha + s.beta * belief0_[k]);
}

double Beliefs::trust_target(std::size_t k, const Segment& s) const {
  const double move = entanglement_trust_ * s.strength * pop_.exposure[k] * attention_[k];
  return s.raises ? trust0_[k] - move * trust0_[k] : trust0_[k] + move * (1.0 - trust0_[k]);
}

float Beliefs::trust(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const auto& segs = segments_[static_cast<std::size_t>(pop_.jurisdiction(i))];
  double v = trust_[k];
  int from = last_day_[k];
  auto s =
      std::upper_bound(segs.begin(), segs.end(), from, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1;
  while (from < day) {
    const int until = (s + 1 == segs.end()) ? day : std::min(day, (s + 1)->start_day);
    const double target = trust_target(k, *s);
    v = target + trust_decay_pow_[static_cast<std::size_t>(until - from)] * (v - target);
    from = until;
    ++s;
  }
  return static_cast<float>(v);
}

float Beliefs::relax_belief(ResidentId i, int day) const {
  const auto k = static_cast<std::size_t>(i);
  const auto& segs = segments_[static_cast<std::size_t>(pop_.jurisdiction(i))];
  double v = belief_[k];
  int from = last_day_[k];
  // The segment in force on day `from`, then each later one up to `day`.
  auto s =
      std::upper_bound(segs.begin(), segs.end(), from, [](int d, const Segment& seg) { return d < seg.start_day; }) - 1;
  while (from < day) {
    const int until = (s + 1 == segs.end()) ? day : std::min(day, (s + 1)->start_day);
    const double target = belief_target(k, *s);
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
  const auto k = static_cast<std::size_t>(i);
  const double t0 = trust0_[k], q0 = belief0_[k], a = attention_[k];
  c.trust0 += sign * t0;
  c.belief0 += sign * q0;
  c.fear0 += sign * e * q0;
  c.c += sign * a;
  c.cq += sign * a * q0;
  c.ec += sign * e * a;
  c.ecq += sign * e * a * q0;
  c.ect += sign * e * a * t0;
}

void Beliefs::replace(ResidentId i, int day, float t, float q, float new_trust, float new_belief) {
  const auto k = static_cast<std::size_t>(i);
  add_to_sums(i, t, q, -1);
  trust_[k] = clamp01(new_trust);
  belief_[k] = clamp01(new_belief);
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
        // Sums of the per-resident targets (see belief_target and trust_target).
        const double belief_target = c.belief0 + s.alpha * c.c + s.beta * c.cq;
        const double fear_target = c.fear0 + s.alpha * c.ec + s.beta * c.ecq;
        const double move = entanglement_trust_ * s.strength;
        const double trust_target = s.raises ? c.trust0 - move * c.ect : c.trust0 + move * (c.ec - c.ect);
        c.trust = trust_target + td * (c.trust - trust_target);
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
      auto& c = part[static_cast<std::size_t>(pop_.group[k]) * 2 + ((pop_.flags[k] & kMixedStatus) ? 1 : 0)];
      const double e = pop_.exposure[k];
      c.count += 1;
      c.exposure += e;
      c.trust += t;
      c.belief += q;
      c.fear += e * q;
      const double t0 = trust0_[k], q0 = belief0_[k], a = attention_[k];
      c.trust0 += t0;
      c.belief0 += q0;
      c.fear0 += e * q0;
      c.c += a;
      c.cq += a * q0;
      c.ec += e * a;
      c.ecq += e * a * q0;
      c.ect += e * a * t0;
    }
  });
  std::fill(sums_.begin(), sums_.end(), CellSums{});
  for (int n = 0; n < nn; ++n) {  // combined in neighbourhood order: the same bits for any thread count
    const int j = pop_.jurisdiction_of[static_cast<std::size_t>(n)];
    for (int c = 0; c < kGroups * 2; ++c) {
      auto& dst = sums_[static_cast<std::size_t>(j) * kGroups * 2 + static_cast<std::size_t>(c)];
      dst.add(partial[static_cast<std::size_t>(n)][static_cast<std::size_t>(c)]);
    }
  }
}

}  // namespace trustsim
