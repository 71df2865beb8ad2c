// The data of a merged sweep file, dataset by dataset as bytes, for comparing two merges:
// everything but the wall-clock times (the one field that differs between repetitions).
#pragma once

#include <hdf5.h>

#include <map>
#include <string>

#include "output/h5file.hpp"

namespace trustsim::test {

inline std::map<std::string, std::string> merged_data(const std::string& path) {
  std::map<std::string, std::string> out;
  h5::Handle f = h5::open_file(path, false);
  for (const char* group : {"runs", "outputs", "design", "summary_series", "sensitivity", "axes"}) {
    if (!h5::exists(f.id(), group)) continue;
    h5::Handle g(H5Gopen2(f.id(), group, H5P_DEFAULT), H5Gclose, "open group");
    hsize_t n = 0;
    H5Gget_num_objs(g.id(), &n);
    for (hsize_t i = 0; i < n; ++i) {
      char name[256];
      H5Gget_objname_by_idx(g.id(), i, name, sizeof name);
      const std::string key = std::string(group) + "/" + name;
      if (key == "runs/wall_seconds") continue;
      h5::Handle ds(H5Dopen2(g.id(), name, H5P_DEFAULT), H5Dclose, "open");
      h5::Handle type(H5Dget_type(ds.id()), H5Tclose, "type");
      if (H5Tget_class(type.id()) == H5T_STRING) {
        for (const auto& s : h5::read_strings(g.id(), name)) out[key] += s + '\x1f';
      } else {
        auto v = h5::read_doubles(g.id(), name);
        out[key] = std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
      }
    }
  }
  return out;
}

}  // namespace trustsim::test
