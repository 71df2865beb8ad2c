// Merging a sweep's run files into one HDF5 file (format "trustsim-sweep"), with the
// sensitivity indices of a Sobol design. docs/sweeps.md describes the layout.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "sweep/executor.hpp"

namespace trustsim {

inline constexpr const char* kSweepFormat = "trustsim-sweep";
inline constexpr const char* kSweepFormatVersion = "1.0";

struct MergeOptions {
  bool allow_missing = false;  // write the file with missing runs marked, instead of refusing
  std::string command_line;    // recorded in the merged file (provenance)
};

// Thrown when runs are missing or foreign; the message lists them.
struct MergeRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads every run of the sweep recorded in `outdir` and writes `output` atomically (never
// over the sweep's own files: output_file.hpp). Returns the status it found.
// `on_run(done, total)` reports reading progress; `cancel` stops it (Cancelled), leaving no file.
SweepStatus merge_sweep(const std::string& outdir, const std::string& output, const MergeOptions& options,
                        const std::function<void(std::int64_t, std::int64_t)>& on_run = {},
                        const std::atomic<bool>* cancel = nullptr);

}  // namespace trustsim
