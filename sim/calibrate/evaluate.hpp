// One candidate: the targets' statistics measured on the small city, replicate by replicate.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "calibrate/targets.hpp"

namespace trustsim::calibrate {

struct Measurement {
  std::vector<std::vector<double>> values;    // [target][replicate]
  std::vector<double> mean, ci_low, ci_high;  // per target: mean over replicates and its 95% t interval
};

// Runs every scenario of the targets file with `replicates` replicates, seeds derived from
// `seed` (the same seeds for every candidate: common random numbers), and the free
// parameters set to `x` (in the order of tf.free; empty: the registry's defaults).
// Throws Cancelled when `cancel` is set.
Measurement evaluate(const TargetsFile& tf, const std::vector<double>& x, std::uint64_t seed, int replicates,
                     const std::atomic<bool>* cancel = nullptr);

// Loss of a measurement: sum over targets of the squared distance outside the band, in
// half-widths, plus `centre_weight` times the squared distance from the band's centre.
double loss(const TargetsFile& tf, const std::vector<double>& means);

bool within_band(const Target& t, double value);

}  // namespace trustsim::calibrate
