#include "core/rng.hpp"

#include <cmath>  // lgamma_r (glibc, declared by math.h under _DEFAULT_SOURCE)

namespace {
// log(k!) by lgamma_r: std::lgamma writes the global signgam, a data race when Poisson draws
// run on several threads (ThreadSanitizer found it); lgamma_r gives the same value.
double log_factorial(double k) {
  int sign = 0;
  return lgamma_r(k + 1, &sign);
}
}  // namespace

namespace trustsim {

std::uint64_t Rng::poisson(double mean, Stream stream, std::uint32_t day, std::uint64_t entity,
                           std::uint32_t index) const {
  if (!(mean > 0.0)) return 0;
  const std::uint32_t base = index * 64;
  if (mean < 10.0) {
    // Inversion by sequential search: one uniform, expected mean+1 steps.
    double u = uniform(stream, day, entity, base);
    double p = std::exp(-mean), cdf = p;
    std::uint64_t k = 0;
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze; acceptance is high (> 0.9) for mean >= 10.
  const double slam = std::sqrt(mean), loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (std::uint32_t attempt = 0; attempt < 31; ++attempt) {
    double u = uniform(stream, day, entity, base + 2 * attempt) - 0.5;
    double v = uniform(stream, day, entity, base + 2 * attempt + 1);
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <= -mean + k * loglam - log_factorial(k))
      return static_cast<std::uint64_t>(k);
  }
  return static_cast<std::uint64_t>(std::llround(mean));  // unreachable in practice (p < 1e-30)
}

std::uint64_t derive_seed(std::uint64_t parent, Stream purpose, std::uint64_t label) {
  auto w = Rng(parent).words(purpose, 0xFFFFFFFFu, label, 0);
  return (static_cast<std::uint64_t>(w[0]) << 32) | w[1];
}

}  // namespace trustsim
