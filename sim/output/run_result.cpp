#include "output/run_result.hpp"

#include <cassert>

#include "core/types.hpp"

namespace trustsim {

int AxisSizes::size(Axis a) const {
  switch (a) {
    case Axis::jurisdiction: return jurisdictions;
    case Axis::group: return kGroupsWithOverlay;
    case Axis::crime_type: return kCrimeTypes;
    case Axis::pathway: return kPathways;
    case Axis::record: return kRecords;
    case Axis::status: return kStatuses;
    case Axis::task: return kTasks;
    case Axis::quantile: return static_cast<int>(kQuantiles.size());
    case Axis::operation: return static_cast<int>(kOperationNames.size());
    case Axis::charge: return kCharges;
    case Axis::docket: return kDockets;
    default: return 1;
  }
}

SeriesBuffers::SeriesBuffers(int days, AxisSizes sizes) : days_(days), sizes_(sizes) {
  for (const auto& spec : series_specs()) {
    std::vector<std::size_t> strides(spec.axes.size());
    std::size_t n = 1;
    for (std::size_t k = spec.axes.size(); k-- > 0;) {
      strides[k] = n;
      n *= static_cast<std::size_t>(sizes.size(spec.axes[k]));
    }
    strides_.push_back(strides);
    per_day_.push_back(n);
    data_.emplace_back(n * static_cast<std::size_t>(days), 0.0);
  }
}

std::size_t SeriesBuffers::offset(SeriesId id, int day, std::initializer_list<int> index) const {
  const auto s = static_cast<std::size_t>(id);
  assert(index.size() == strides_[s].size());
  std::size_t at = per_day_[s] * static_cast<std::size_t>(day), k = 0;
  for (int v : index) at += strides_[s][k++] * static_cast<std::size_t>(v);
  return at;
}

std::vector<std::size_t> SeriesBuffers::shape(SeriesId id) const {
  std::vector<std::size_t> out;
  for (Axis a : series_specs()[static_cast<std::size_t>(id)].axes)
    out.push_back(static_cast<std::size_t>(sizes_.size(a)));
  return out;
}

}  // namespace trustsim
