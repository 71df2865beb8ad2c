// netCDF-4 conventions on top of h5file.hpp, so that netCDF tools and
// `xarray.open_dataset(path, engine="h5netcdf", group=G)` read each group as labelled arrays
// with no trustsim code: every dimension of a group is a dataset of its labels, marked as an
// HDF5 dimension scale (a "coordinate variable"); every other dataset has a scale attached
// to each of its axes; every dataset says its units and meaning.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trustsim::h5 {

// Labels along one dimension: text, integers or reals (one of them).
struct Dimension {
  std::string name, units, meaning;
  std::vector<std::string> text;
  std::vector<std::int64_t> integers;
  std::vector<double> reals;
  std::size_t size() const;
  // 0, 1, ..., n-1: a dimension whose positions are its labels (replicate, row).
  static Dimension positions(const std::string& name, std::size_t n, const std::string& meaning);
};

// The dimension's labels as dataset `d.name` of `group`, marked as the scale of the
// dimension `d.name`, with its units and meaning.
void write_dimension(hid_t group, const Dimension& d);

// Attaches the scales `dims` of `group` (one per axis, in order) to `dataset`; throws when
// a scale is missing or its length differs from the axis's.
void attach_dimensions(hid_t group, const std::string& dataset, const std::vector<std::string>& dims);

// The `units` and `meaning` attributes of a dataset ("" units: a dimensionless count, an
// index or a text).
void describe(hid_t group, const std::string& dataset, const std::string& units, const std::string& meaning);

// A column of codes 0..n-1 naming `names`: CF's flag_values and flag_meanings attributes
// (names with spaces joined by '_'), so a table says what its codes mean.
void describe_codes(hid_t group, const std::string& dataset, const std::vector<std::string>& names);

}  // namespace trustsim::h5
