// What one replicate produces: daily series, the detention table, neighbourhood snapshots.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "output/series.hpp"

namespace trustsim {

// Sizes of the axes of one run (replicate and day excluded).
struct AxisSizes {
  int jurisdictions = 1;
  int size(Axis a) const;
};

// Daily series of one replicate: per series, days x (product of its axes), row-major.
class SeriesBuffers {
 public:
  SeriesBuffers(int days, AxisSizes sizes);
  double& at(SeriesId id, int day, std::initializer_list<int> index) {
    return data_[static_cast<std::size_t>(id)][offset(id, day, index)];
  }
  double at(SeriesId id, int day, std::initializer_list<int> index) const {
    return data_[static_cast<std::size_t>(id)][offset(id, day, index)];
  }
  void add(SeriesId id, int day, std::initializer_list<int> index, double v = 1.0) { at(id, day, index) += v; }
  const std::vector<double>& data(SeriesId id) const { return data_[static_cast<std::size_t>(id)]; }
  std::vector<std::size_t> shape(SeriesId id) const;  // without the day axis
  int days() const { return days_; }
  const AxisSizes& sizes() const { return sizes_; }

 private:
  int days_;
  AxisSizes sizes_;
  std::vector<std::vector<double>> data_;
  std::vector<std::vector<std::size_t>> strides_;
  std::vector<std::size_t> per_day_;
  std::size_t offset(SeriesId id, int day, std::initializer_list<int> index) const;
};

enum class Outcome : std::int64_t { pending = 0, removed = 1, released = 2 };

struct DetentionRow {
  std::int64_t day, resident, household, neighbourhood, jurisdiction, pathway, charge, status, record;
  std::int64_t outcome = 0, outcome_day = -1;
};

struct Snapshots {
  std::vector<std::int64_t> days;
  std::vector<double> trust_mean, fear_mean, reporting_rate;  // snapshots x neighbourhoods
};

struct NeighbourhoodInfo {
  std::vector<std::int64_t> jurisdiction, residents;
  std::vector<double> x, y, immigrant_origin_share;
};

struct RunResult {
  explicit RunResult(int days, AxisSizes sizes) : series(days, sizes) {}
  SeriesBuffers series;
  NeighbourhoodInfo neighbourhoods;
  std::vector<DetentionRow> detentions;
  Snapshots snapshots;
};

}  // namespace trustsim
