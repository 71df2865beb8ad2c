// What a sweep keeps of each run, city-wide: scalar outputs over the run's final window
// (for tables, heatmaps and sensitivity indices) and summary series in periods of days
// (for trajectories). Declared once here; the merged file and docs/sweeps.md follow it.
#pragma once

#include <string>
#include <vector>

#include "output/run_result.hpp"

namespace trustsim {

struct OutputSpec {
  std::string name;  // e.g. "reporting_rate.undocumented.violent"
  std::string units;
  std::string meaning;
};
const std::vector<OutputSpec>& output_specs();
int find_output(const std::string& name);  // index into output_specs(), or -1

struct SummarySeriesSpec {
  std::string name;
  std::vector<std::string> dims;  // after (run, period)
  std::vector<std::size_t> shape;
  std::string units, meaning;
  std::size_t inner() const;  // product of shape
};
const std::vector<SummarySeriesSpec>& summary_series_specs();

struct RunSummary {
  std::vector<double> outputs;              // output_specs() order; NaN where undefined
  std::vector<std::vector<double>> series;  // summary_series_specs() order; periods x inner
};

int period_count(int days, int period_days);
RunSummary summarise(const RunResult& run, int period_days, int window_days);

}  // namespace trustsim
