// Counter-based random numbers: ranges, independence of streams, Poisson laws.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "core/rng.hpp"

using namespace trustsim;

TEST_CASE("uniform draws are in (0,1), repeatable, and differ by stream, day and entity", "[rng]") {
  Rng rng(42);
  double sum = 0;
  for (std::uint64_t e = 0; e < 100000; ++e) {
    double u = rng.uniform(Stream::victimisation, 3, e);
    REQUIRE(u > 0.0);
    REQUIRE(u < 1.0);
    sum += u;
  }
  // Mean of 1e5 uniforms: sd = sqrt(1/12/1e5) = 9.1e-4; allow 5 sd.
  CHECK(std::fabs(sum / 100000 - 0.5) < 5 * 9.13e-4);
  CHECK(rng.uniform(Stream::victimisation, 3, 7) == Rng(42).uniform(Stream::victimisation, 3, 7));
  CHECK(rng.uniform(Stream::victimisation, 3, 7) != rng.uniform(Stream::reporting, 3, 7));
  CHECK(rng.uniform(Stream::victimisation, 3, 7) != rng.uniform(Stream::victimisation, 4, 7));
  CHECK(rng.uniform(Stream::victimisation, 3, 7) != Rng(43).uniform(Stream::victimisation, 3, 7));
}

TEST_CASE("Poisson draws match their mean and variance on both sides of the method switch", "[rng][statistical]") {
  Rng rng(7);
  for (double mean : {0.3, 4.0, 9.9, 10.0, 35.0, 400.0}) {
    const int n = 40000;
    double s = 0, s2 = 0;
    for (int k = 0; k < n; ++k) {
      auto x = static_cast<double>(rng.poisson(mean, Stream::stop_count, 1, static_cast<std::uint64_t>(k)));
      s += x;
      s2 += x * x;
    }
    const double m = s / n, var = s2 / n - m * m;
    // The sample mean has sd sqrt(mean/n); the sample variance about mean*sqrt(2/n) (plus kurtosis 1/mean).
    INFO("mean " << mean << " got " << m << " var " << var);
    CHECK(std::fabs(m - mean) < 5 * std::sqrt(mean / n));
    CHECK(std::fabs(var - mean) < 5 * mean * std::sqrt((2.0 + 1.0 / mean) / n));
  }
}

TEST_CASE("derived seeds differ per label and are stable", "[rng]") {
  CHECK(derive_seed(1, Stream::replicate_seed, 0) == derive_seed(1, Stream::replicate_seed, 0));
  CHECK(derive_seed(1, Stream::replicate_seed, 0) != derive_seed(1, Stream::replicate_seed, 1));
  CHECK(derive_seed(1, Stream::replicate_seed, 0) != derive_seed(2, Stream::replicate_seed, 0));
}

TEST_CASE("named draw slots never share an index and stay inside the index bits", "[rng]") {
  // Every (ordinal, slot) pair of a layout maps to its own index...
  std::set<std::uint32_t> seen;
  for (std::uint32_t n = 0; n < 50; ++n)
    for (auto s : {StopDraw::designated, StopDraw::check, StopDraw::pickup, StopDraw::arrest})
      REQUIRE(seen.insert(draw_index(s, n)).second);
  // ...and the largest ordinal a layout allows still fits below the stream's bits.
  REQUIRE(draw_index(StopDraw::arrest, static_cast<std::uint32_t>(max_ordinals<StopDraw>() - 1)) < kIndexLimit);
  REQUIRE(draw_index(BookingDraw::warrant, static_cast<std::uint32_t>(max_ordinals<BookingDraw>() - 1)) < kIndexLimit);
  REQUIRE(draw_index(CourtDraw::removal, static_cast<std::uint32_t>(max_ordinals<CourtDraw>() - 1)) < kIndexLimit);
  // Two streams read different numbers for the same (day, entity, index).
  const Rng rng(7);
  REQUIRE(rng.uniform(Stream::stop_outcome, 3, 11, draw_index(StopDraw::check)) !=
          rng.uniform(Stream::booking, 3, 11, draw_index(StopDraw::check)));
}
