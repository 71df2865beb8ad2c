// Quantiles of the panel's daily values.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <vector>

#include "core/types.hpp"

namespace trustsim {

// The kQuantiles of v with linear interpolation between order statistics (numpy's default),
// found by successive selection rather than a sort: each order statistic needed is placed by
// nth_element in what is left above the previous one. Reorders v; NaN when v is empty.
inline std::array<double, kQuantiles.size()> quantiles_of(std::vector<double>& v) {
  std::array<double, kQuantiles.size()> out;
  if (v.empty()) {
    out.fill(std::numeric_limits<double>::quiet_NaN());
    return out;
  }
  std::size_t placed_below = 0;  // positions before this hold their sorted value where asked
  auto place = [&](std::size_t rank) {
    if (rank < placed_below) return;
    const auto from = v.begin() + static_cast<std::ptrdiff_t>(placed_below);
    const auto at = v.begin() + static_cast<std::ptrdiff_t>(rank);
    if (rank == placed_below && rank > 0) {
      // The next rank after one just placed: the smallest of what is left (everything left
      // is at least the value placed), found by a scan instead of a partition.
      std::iter_swap(at, std::min_element(from, v.end()));
    } else {
      std::nth_element(from, at, v.end());
    }
    placed_below = rank + 1;
  };
  for (std::size_t q = 0; q < kQuantiles.size(); ++q) {  // kQuantiles ascend
    const double pos = kQuantiles[q] * static_cast<double>(v.size() - 1);
    const auto lo = static_cast<std::size_t>(pos);
    const std::size_t hi = std::min(lo + 1, v.size() - 1);
    place(lo);
    place(hi);
    out[q] = v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
  }
  return out;
}

}  // namespace trustsim
