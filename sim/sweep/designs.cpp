#include "sweep/designs.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/rng.hpp"

namespace trustsim {

Matrix grid_points(const std::vector<SweepAxis>& axes) {
  Matrix out{{}};
  for (const auto& axis : axes) {
    Matrix next;
    next.reserve(out.size() * axis.values.size());
    for (const auto& row : out)
      for (double v : axis.values) {
        next.push_back(row);
        next.back().push_back(v);
      }
    out = std::move(next);
  }
  return out;
}

Matrix latin_hypercube(int n, int k, std::uint64_t seed) {
  const Rng rng(seed);
  Matrix out(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(k)));
  for (int axis = 0; axis < k; ++axis) {
    // A random permutation of the strata (Fisher-Yates), then a uniform place in each.
    std::vector<int> stratum(static_cast<std::size_t>(n));
    std::iota(stratum.begin(), stratum.end(), 0);
    for (int i = n - 1; i > 0; --i) {
      auto j = static_cast<int>(rng.below(static_cast<std::uint64_t>(i) + 1, Stream::sweep_design,
                                          static_cast<std::uint32_t>(axis), static_cast<std::uint64_t>(i), 0));
      std::swap(stratum[static_cast<std::size_t>(i)], stratum[static_cast<std::size_t>(j)]);
    }
    for (int row = 0; row < n; ++row) {
      double jitter =
          rng.uniform(Stream::sweep_design, static_cast<std::uint32_t>(axis), static_cast<std::uint64_t>(row), 1);
      out[static_cast<std::size_t>(row)][static_cast<std::size_t>(axis)] =
          (stratum[static_cast<std::size_t>(row)] + jitter) / n;
    }
  }
  return out;
}

Matrix saltelli_points(int base_samples, int k) {
  boost::random::sobol sobol(static_cast<std::size_t>(2 * k));
  sobol.discard(2 * static_cast<std::uintmax_t>(k));  // the first point is the origin
  Matrix out;
  out.reserve(static_cast<std::size_t>(base_samples) * static_cast<std::size_t>(k + 2));
  for (int j = 0; j < base_samples; ++j) {
    std::vector<double> x(static_cast<std::size_t>(2 * k));
    // 64-bit words to [0, 1): a word near 2^64 would round to 1.0, so clamp below it.
    for (auto& v : x) v = std::min(std::ldexp(static_cast<double>(sobol()), -64), 0x1.fffffffffffffp-1);
    std::vector<double> a(x.begin(), x.begin() + k), b(x.begin() + k, x.end());
    out.push_back(a);
    for (int i = 0; i < k; ++i) {
      auto ab = a;
      ab[static_cast<std::size_t>(i)] = b[static_cast<std::size_t>(i)];
      out.push_back(std::move(ab));
    }
    out.push_back(std::move(b));
  }
  return out;
}

double scale(const SweepAxis& axis, double u) {
  if (axis.spec && axis.spec->type == ParamType::Int) {
    const double width = axis.hi - axis.lo + 1;
    return std::min(axis.hi, axis.lo + std::floor(u * width));
  }
  if (axis.log) return std::exp(std::log(axis.lo) + u * (std::log(axis.hi) - std::log(axis.lo)));
  return axis.lo + u * (axis.hi - axis.lo);
}

}  // namespace trustsim
