// Counter-based random numbers (Random123 Philox4x32-10).
//
// A draw is a pure function of (seed, stream, day, entity, index): no generator state
// travels between threads, so any split of the work gives the same numbers, and two
// scenarios run with one seed see the same chances for the same entity and purpose
// (common random numbers).
#pragma once

#include <Random123/philox.h>

#include <cassert>
#include <cmath>
#include <cstdint>

#include "core/draws.hpp"

namespace trustsim {

// One named stream per purpose; never reuse a value for two purposes.
enum class Stream : std::uint32_t {
  household = 1,
  resident,
  neighbourhood,
  ties,
  panel,
  victimisation,
  victim_pick,
  reporting,
  response,
  offender,
  stop_count,
  stop_pick,
  stop_outcome,
  booking,
  at_large,
  at_large_pick,
  collateral,
  joint_operation,
  covert_operation,
  court,
  outreach,
  replicate_seed,
  reference_resident,
  sweep_point,
  sweep_design,
  sweep_bootstrap,
  news,
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Four independent 32-bit words for (stream, day, entity, index).
  r123::Philox4x32::ctr_type words(Stream stream, std::uint32_t day, std::uint64_t entity, std::uint32_t index) const {
    assert(index < kIndexLimit && "a draw index reached the stream's bits (core/draws.hpp)");
    r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32), day,
                                    (static_cast<std::uint32_t>(stream) << 24) ^ index}};
    return r123::Philox4x32()(ctr, key_);
  }

  // Uniform double in (0, 1), 53 bits, never exactly 0 or 1.
  double uniform(Stream stream, std::uint32_t day, std::uint64_t entity, std::uint32_t index = 0) const {
    auto w = words(stream, day, entity, index);
    std::uint64_t bits = (static_cast<std::uint64_t>(w[0]) << 21) ^ (static_cast<std::uint64_t>(w[1]) >> 11);
    bits &= (std::uint64_t{1} << 53) - 1;
    return (static_cast<double>(bits) + 0.5) * 0x1p-53;
  }

  bool bernoulli(double p, Stream stream, std::uint32_t day, std::uint64_t entity, std::uint32_t index = 0) const {
    return uniform(stream, day, entity, index) < p;
  }

  // Uniform integer in [0, n).
  std::uint64_t below(std::uint64_t n, Stream stream, std::uint32_t day, std::uint64_t entity,
                      std::uint32_t index = 0) const {
    return static_cast<std::uint64_t>(uniform(stream, day, entity, index) * static_cast<double>(n)) % n;
  }

  // Standard normal (Box-Muller on the first two words).
  double normal(Stream stream, std::uint32_t day, std::uint64_t entity, std::uint32_t index = 0) const {
    double u1 = uniform(stream, day, entity, 2 * index);
    double u2 = uniform(stream, day, entity, 2 * index + 1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

  // Poisson(mean): inversion for small means, PTRS (Hormann 1993) otherwise.
  // Uses indices [index*64, index*64+64) of the counter, so draws for distinct index never overlap.
  std::uint64_t poisson(double mean, Stream stream, std::uint32_t day, std::uint64_t entity,
                        std::uint32_t index = 0) const;

  std::uint64_t seed() const {
    return static_cast<std::uint64_t>(key_[0]) | (static_cast<std::uint64_t>(key_[1]) << 32);
  }

 private:
  r123::Philox4x32::key_type key_;
};

// Derive a child seed (e.g. for a replicate) from a parent seed and a label, by hashing with Philox.
std::uint64_t derive_seed(std::uint64_t parent, Stream purpose, std::uint64_t label);

}  // namespace trustsim
