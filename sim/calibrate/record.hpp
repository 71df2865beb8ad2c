// What a calibration leaves behind: the fitted defaults (sim/params/calibrated.def, read by
// params.def, so the registry stays the one source of defaults), the record in Markdown
// (docs/calibration.md) and the same record in HDF5.
#pragma once

#include <string>

#include "calibrate/search.hpp"

namespace trustsim::calibrate {

struct RunInfo {
  std::uint64_t seed = 1;
  int budget = 0;
  int threads = 1;
};

std::string defaults_file(const TargetsFile& tf, const CalibrationResult& r);
std::string record_markdown(const TargetsFile& tf, const CalibrationResult& r, const RunInfo& info);
// Written as <path>.partial and renamed into place when complete.
void write_record_h5(const std::string& path, const TargetsFile& tf, const CalibrationResult& r, const RunInfo& info);

// The macro name of a free parameter's calibrated default: TRUSTSIM_CAL_<section>_<name>.
std::string default_macro(const std::string& dotted);

}  // namespace trustsim::calibrate
