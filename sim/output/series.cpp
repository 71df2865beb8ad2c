#include "output/series.hpp"

namespace trustsim {

#define TRUSTSIM_UNPAREN(...) __VA_ARGS__
#define TRUSTSIM_SERIES_SPEC(name, axes, kind, units, meaning) \
  SeriesSpec{#name, std::vector<Axis>{TRUSTSIM_UNPAREN axes}, Kind::kind, units, meaning},

const std::vector<SeriesSpec>& series_specs() {
  static const std::vector<SeriesSpec> specs = {TRUSTSIM_SERIES(TRUSTSIM_SERIES_SPEC)};
  return specs;
}

}  // namespace trustsim
