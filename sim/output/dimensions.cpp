#include "output/dimensions.hpp"

#include <hdf5_hl.h>

#include "output/h5file.hpp"

namespace trustsim::h5 {
namespace {

Handle open_dataset(hid_t group, const std::string& name) {
  return Handle(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
}

}  // namespace

std::size_t Dimension::size() const {
  return !text.empty() ? text.size() : !integers.empty() ? integers.size() : reals.size();
}

Dimension Dimension::positions(const std::string& name, std::size_t n, const std::string& meaning) {
  Dimension d{name, "", meaning, {}, {}, {}};
  d.integers.resize(n);
  for (std::size_t i = 0; i < n; ++i) d.integers[i] = static_cast<std::int64_t>(i);
  return d;
}

void write_dimension(hid_t group, const Dimension& d) {
  if (!d.text.empty())
    write_strings(group, d.name, d.text);
  else if (!d.reals.empty())
    write(group, d.name, {d.reals.size()}, d.reals);
  else
    write(group, d.name, {d.integers.size()}, d.integers);  // also an empty dimension
  const Handle ds = open_dataset(group, d.name);
  if (H5DSset_scale(ds.id(), d.name.c_str()) < 0) throw Error("HDF5: cannot make " + d.name + " a dimension scale");
  describe(group, d.name, d.units, d.meaning);
}

void attach_dimensions(hid_t group, const std::string& dataset, const std::vector<std::string>& dims) {
  const Handle ds = open_dataset(group, dataset);
  const auto shape = dims_of(group, dataset);
  if (shape.size() != dims.size())
    throw Error("HDF5: " + dataset + " has " + std::to_string(shape.size()) + " axes, " + std::to_string(dims.size()) +
                " dimensions named");
  for (std::size_t axis = 0; axis < dims.size(); ++axis) {
    if (!exists(group, dims[axis])) throw Error("HDF5: no dimension " + dims[axis] + " for " + dataset);
    if (dims_of(group, dims[axis]) != std::vector<std::size_t>{shape[axis]})
      throw Error("HDF5: dimension " + dims[axis] + " does not match axis " + std::to_string(axis) + " of " + dataset);
    const Handle scale = open_dataset(group, dims[axis]);
    if (H5DSattach_scale(ds.id(), scale.id(), static_cast<unsigned>(axis)) < 0)
      throw Error("HDF5: cannot attach dimension " + dims[axis] + " to " + dataset);
  }
}

void describe(hid_t group, const std::string& dataset, const std::string& units, const std::string& meaning) {
  const Handle ds = open_dataset(group, dataset);
  set_attribute(ds.id(), "units", units);
  set_attribute(ds.id(), "meaning", meaning);
}

void describe_codes(hid_t group, const std::string& dataset, const std::vector<std::string>& names) {
  const Handle ds = open_dataset(group, dataset);
  std::vector<std::int64_t> values(names.size());
  std::string meanings;
  for (std::size_t i = 0; i < names.size(); ++i) {
    values[i] = static_cast<std::int64_t>(i);
    std::string n = names[i];
    for (char& c : n)
      if (c == ' ') c = '_';
    meanings += (i ? " " : "") + n;
  }
  const hsize_t n = values.size();
  const Handle space(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), H5Sclose, "create flag space");
  const Handle attr(H5Acreate2(ds.id(), "flag_values", H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                    "create flag_values of " + dataset);
  if (n && H5Awrite(attr.id(), H5T_NATIVE_INT64, values.data()) < 0)
    throw Error("HDF5: cannot write flag_values of " + dataset);
  set_attribute(ds.id(), "flag_meanings", meanings);
}

}  // namespace trustsim::h5
