// Where a sweep's points fall: full grids, Latin hypercubes and the Saltelli scheme on a
// Sobol sequence. Unit designs live in [0,1)^k; `scale` maps them onto an axis.
#pragma once

#include <cstdint>
#include <vector>

#include "sweep/sweep.hpp"

namespace trustsim {

using Matrix = std::vector<std::vector<double>>;  // rows: points; columns: axes

// Every combination of the axes' values; the last axis varies fastest.
Matrix grid_points(const std::vector<SweepAxis>& axes);

// n points in [0,1)^k, exactly one in each of the n strata of every axis.
Matrix latin_hypercube(int n, int k, std::uint64_t seed);

// The Saltelli (2010) scheme on a 2k-dimensional Sobol sequence (Joe-Kuo directions,
// first point skipped): for each base row j, in this order, A_j, AB_j^(1..k), B_j, where
// AB_j^(i) is A_j with column i taken from B_j. N x (k + 2) rows.
Matrix saltelli_points(int base_samples, int k);

// A unit coordinate onto an axis's range (log-uniform when asked; integers rounded down
// into equal-width bins, so every integer in [lo, hi] is equally likely).
double scale(const SweepAxis& axis, double u);

// Position of each block inside one Saltelli group of k + 2 rows.
inline std::int64_t saltelli_row(std::int64_t base, int k, int block) { return base * (k + 2) + block; }

}  // namespace trustsim
