// The data of a merged sweep file, dataset by dataset as bytes, for comparing two merges:
// every dataset the file holds (whatever groups a newer format adds) but the wall-clock
// times, the one field that differs between repetitions.
#pragma once

#include <hdf5.h>

#include <map>
#include <string>
#include <vector>

#include "output/h5file.hpp"

namespace trustsim::test {

inline std::map<std::string, std::string> merged_data(const std::string& path) {
  std::map<std::string, std::string> out;
  h5::Handle f = h5::open_file(path, false);
  std::vector<std::string> names;
  H5Ovisit(
      f.id(), H5_INDEX_NAME, H5_ITER_INC,
      [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
        if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  for (const auto& key : names) {
    if (key == "runs/wall_seconds") continue;
    h5::Handle ds(H5Dopen2(f.id(), key.c_str(), H5P_DEFAULT), H5Dclose, "open");
    h5::Handle type(H5Dget_type(ds.id()), H5Tclose, "type");
    if (H5Tget_class(type.id()) == H5T_STRING) {
      for (const auto& s : h5::read_strings(f.id(), key)) out[key] += s + '\x1f';
    } else {
      auto v = h5::read_doubles(f.id(), key);
      out[key] = std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
    }
  }
  return out;
}

}  // namespace trustsim::test
