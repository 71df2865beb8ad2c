#include "sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.hpp"
#include "sweep/designs.hpp"

namespace trustsim {
namespace {

struct Estimate {
  std::vector<double> first, total;
};

// The estimators on the base rows `rows` (with repeats, for the bootstrap).
Estimate estimate(const std::vector<double>& y, int k, const std::vector<int>& rows) {
  auto at = [&](int j, int block) { return y[static_cast<std::size_t>(saltelli_row(j, k, block))]; };
  const double n = static_cast<double>(rows.size());
  // Variance of the output over the A and B samples together.
  double mean = 0;
  for (int j : rows) mean += at(j, 0) + at(j, k + 1);
  mean /= 2 * n;
  double var = 0;
  for (int j : rows) var += (at(j, 0) - mean) * (at(j, 0) - mean) + (at(j, k + 1) - mean) * (at(j, k + 1) - mean);
  var /= 2 * n;
  Estimate e{std::vector<double>(static_cast<std::size_t>(k)), std::vector<double>(static_cast<std::size_t>(k))};
  for (int i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (int j : rows) {
      const double a = at(j, 0), b = at(j, k + 1), ab = at(j, 1 + i);
      s += (b - mean) * (ab - a);  // Saltelli et al. 2010, with f(B) centred: same expectation, less noise
      t += (a - ab) * (a - ab);    // Jansen 1999
    }
    e.first[static_cast<std::size_t>(i)] = var > 0 ? s / n / var : std::numeric_limits<double>::quiet_NaN();
    e.total[static_cast<std::size_t>(i)] = var > 0 ? t / (2 * n) / var : std::numeric_limits<double>::quiet_NaN();
  }
  return e;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

SobolIndices sobol_indices(const std::vector<double>& y, int base_samples, int k, int bootstrap, double confidence,
                           std::uint64_t seed) {
  const auto K = static_cast<std::size_t>(k);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  SobolIndices out{std::vector<double>(K, nan), std::vector<double>(K, nan), std::vector<double>(K, nan),
                   std::vector<double>(K, nan), std::vector<double>(K, nan), std::vector<double>(K, nan)};
  if (std::any_of(y.begin(), y.end(), [](double v) { return !std::isfinite(v); }) || base_samples < 2) return out;

  std::vector<int> rows(static_cast<std::size_t>(base_samples));
  for (int j = 0; j < base_samples; ++j) rows[static_cast<std::size_t>(j)] = j;
  const Estimate point = estimate(y, k, rows);
  out.first = point.first;
  out.total = point.total;
  if (bootstrap < 2) return out;

  const Rng rng(seed);
  std::vector<std::vector<double>> first(K), total(K);
  for (int b = 0; b < bootstrap; ++b) {
    for (int j = 0; j < base_samples; ++j)
      rows[static_cast<std::size_t>(j)] =
          static_cast<int>(rng.below(static_cast<std::uint64_t>(base_samples), Stream::sweep_bootstrap,
                                     static_cast<std::uint32_t>(b), static_cast<std::uint64_t>(j)));
    const Estimate e = estimate(y, k, rows);
    for (std::size_t i = 0; i < K; ++i) {
      first[i].push_back(e.first[i]);
      total[i].push_back(e.total[i]);
    }
  }
  const double tail = (1 - confidence) / 2;
  for (std::size_t i = 0; i < K; ++i) {
    out.first_low[i] = quantile(first[i], tail);
    out.first_high[i] = quantile(first[i], 1 - tail);
    out.total_low[i] = quantile(total[i], tail);
    out.total_high[i] = quantile(total[i], 1 - tail);
  }
  return out;
}

}  // namespace trustsim
