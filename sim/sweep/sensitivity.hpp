// Variance-based sensitivity indices from a Saltelli design (see designs.hpp for the order
// of the rows): first order by Saltelli et al. (2010) with f(B) centred on the mean (the
// same expectation, much less noise when the mean is large next to the spread), total
// order by Jansen (1999), with
// percentile bootstrap intervals over the N base rows.
#pragma once

#include <cstdint>
#include <vector>

namespace trustsim {

struct SobolIndices {
  std::vector<double> first, first_low, first_high;  // per parameter
  std::vector<double> total, total_low, total_high;
};

// `y` holds one output per design point, N x (k + 2) values in Saltelli order. NaN values
// (failed runs) make every index NaN: a partial design has no valid estimate.
SobolIndices sobol_indices(const std::vector<double>& y, int base_samples, int k, int bootstrap, double confidence,
                           std::uint64_t seed);

}  // namespace trustsim
