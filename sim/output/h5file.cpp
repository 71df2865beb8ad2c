#include "output/h5file.hpp"

#include <algorithm>
#include <cstring>

namespace trustsim::h5 {

Handle::Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
  if (id < 0) throw Error("HDF5: cannot " + what);
}

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    close_ = o.close_;
    o.id_ = -1;
  }
  return *this;
}

void Handle::reset() { close(); }

herr_t Handle::close() {
  herr_t status = 0;
  if (id_ >= 0 && close_) status = close_(id_);
  id_ = -1;
  return status;
}

namespace {

// HDF5 prints its own error stack by default; we report errors ourselves.
// H5dont_atexit (before any other HDF5 call): HDF5 1.10 closes still-open files at exit, and
// crashes (SIGSEGV in H5F__close_cb) on a file whose close already failed, as on a full disk;
// every file here is closed or abandoned explicitly, so nothing is left for exit to do.
// HDF5 built thread-safe (Debian's is) keeps this setting per thread: every thread that
// opens or creates a file turns the printing off for itself first (a sweep's worker threads
// printed 40-line error stacks on a read-only folder).
struct Quiet {
  Quiet() {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
} quiet;

void quiet_this_thread() {
  thread_local bool done = false;
  if (!done) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  done = true;
}

Handle string_type() {
  Handle t(H5Tcopy(H5T_C_S1), H5Tclose, "copy string type");
  H5Tset_size(t.id(), H5T_VARIABLE);
  H5Tset_cset(t.id(), H5T_CSET_UTF8);
  return t;
}

template <class T>
void write_array(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims, const T* data,
                 hid_t mem_type, hid_t file_type) {
  std::vector<hsize_t> d(dims.begin(), dims.end());
  Handle space(H5Screate_simple(static_cast<int>(d.size()), d.data(), nullptr), H5Sclose,
               "create dataspace for " + name);
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create property list");
  std::size_t total = 1;
  for (auto v : dims) total *= v;
  if (total >= 1024 && !d.empty()) {
    // Chunks of about 64k elements, whole along the last axes (one day of one replicate and more).
    std::vector<hsize_t> chunk(d.size(), 1);
    hsize_t size = 1;
    for (std::size_t k = d.size(); k-- > 0;) {
      chunk[k] = std::max<hsize_t>(1, std::min<hsize_t>(d[k], 65536 / size));
      size *= chunk[k];
    }
    H5Pset_chunk(plist.id(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_shuffle(plist.id());
    H5Pset_deflate(plist.id(), 4);
  }
  Handle ds(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT, plist.id(), H5P_DEFAULT), H5Dclose,
            "create dataset " + name);
  if (total > 0 && H5Dwrite(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    throw Error("HDF5: cannot write " + name);
}

}  // namespace

Handle create_file(const std::string& path) {
  quiet_this_thread();
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create " + path);
}

Handle create_file_exclusive(const std::string& path) {
  quiet_this_thread();
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose, "create " + path);
}

Handle open_file(const std::string& path, bool writable) {
  quiet_this_thread();
  return Handle(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

void set_attribute(hid_t obj, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle attr(H5Acreate2(obj, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  const char* p = value.c_str();
  if (H5Awrite(attr.id(), type.id(), &p) < 0) throw Error("HDF5: cannot write attribute " + name);
}

void set_attribute(hid_t obj, const std::string& name, std::int64_t value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  if (H5Awrite(attr.id(), H5T_NATIVE_INT64, &value) < 0) throw Error("HDF5: cannot write attribute " + name);
}

std::string get_string_attribute(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  Handle type = string_type();
  char* p = nullptr;
  if (H5Aread(attr.id(), type.id(), &p) < 0) throw Error("HDF5: cannot read attribute " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

std::int64_t get_int_attribute(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  std::int64_t v = 0;
  if (H5Aread(attr.id(), H5T_NATIVE_INT64, &v) < 0) throw Error("HDF5: cannot read attribute " + name);
  return v;
}

void set_double_attribute(hid_t obj, const std::string& name, double value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Handle attr(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  if (H5Awrite(attr.id(), H5T_NATIVE_DOUBLE, &value) < 0) throw Error("HDF5: cannot write attribute " + name);
}

double get_double_attribute(hid_t obj, const std::string& name) {
  Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
  double v = 0;
  if (H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &v) < 0) throw Error("HDF5: cannot read attribute " + name);
  return v;
}

void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<std::uint64_t>& data) {
  write_array(parent, name, dims, data.data(), H5T_NATIVE_UINT64, H5T_STD_U64LE);
}

void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<double>& data) {
  write_array(parent, name, dims, data.data(), H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}

void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<std::int64_t>& data) {
  write_array(parent, name, dims, data.data(), H5T_NATIVE_INT64, H5T_STD_I64LE);
}

void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  Handle type = string_type();
  write_array(parent, name, {values.size()}, ptrs.data(), type.id(), type.id());
}

void write_string(hid_t parent, const std::string& name, const std::string& value) {
  Handle type = string_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create scalar space");
  Handle ds(H5Dcreate2(parent, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose,
            "create " + name);
  const char* p = value.c_str();
  if (H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0) throw Error("HDF5: cannot write " + name);
}

std::vector<std::size_t> dims_of(hid_t parent, const std::string& name) {
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  Handle space(H5Dget_space(ds.id()), H5Sclose, "get space of " + name);
  int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.id(), d.data(), nullptr);
  return {d.begin(), d.end()};
}

namespace {
template <class T>
std::vector<T> read_array(hid_t parent, const std::string& name, hid_t mem_type) {
  std::size_t total = 1;
  for (auto v : dims_of(parent, name)) total *= v;
  std::vector<T> out(total);
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  if (total > 0 && H5Dread(ds.id(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()) < 0)
    throw Error("HDF5: cannot read " + name);
  return out;
}
}  // namespace

std::vector<double> read_doubles(hid_t parent, const std::string& name) {
  return read_array<double>(parent, name, H5T_NATIVE_DOUBLE);
}
std::vector<std::int64_t> read_ints(hid_t parent, const std::string& name) {
  return read_array<std::int64_t>(parent, name, H5T_NATIVE_INT64);
}
std::vector<std::uint64_t> read_uints(hid_t parent, const std::string& name) {
  return read_array<std::uint64_t>(parent, name, H5T_NATIVE_UINT64);
}

std::vector<std::string> read_strings(hid_t parent, const std::string& name) {
  Handle type = string_type();
  auto ptrs = read_array<char*>(parent, name, type.id());
  std::vector<std::string> out;
  for (char* p : ptrs) {
    out.emplace_back(p ? p : "");
    H5free_memory(p);
  }
  return out;
}

std::string read_string(hid_t parent, const std::string& name) {
  Handle type = string_type();
  Handle ds(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  char* p = nullptr;
  if (H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) < 0) throw Error("HDF5: cannot read " + name);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

bool exists(hid_t parent, const std::string& path) { return H5Lexists(parent, path.c_str(), H5P_DEFAULT) > 0; }
bool attribute_exists(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

namespace {

// Each 8-byte word goes through a bijection of the state ((h ^ w) * odd, then a rotation),
// so one changed word always changes the result; the final mix spreads it over every bit.
struct Hasher {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL;
  void word(std::uint64_t w) {
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h = (h << 31) | (h >> 33);
  }
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    word(n);
    for (std::size_t i = 0; i < n; i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, std::min<std::size_t>(8, n - i));
      word(w);
    }
  }
  void text(const std::string& s) { bytes(s.data(), s.size()); }
  std::uint64_t final() const {
    std::uint64_t z = h;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

herr_t collect_dataset(hid_t, const char* name, const H5O_info_t* info, void* out) {
  if (info->type == H5O_TYPE_DATASET) static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

void hash_dataset(Hasher& hash, hid_t file, const std::string& name) {
  Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  Handle type(H5Dget_type(ds.id()), H5Tclose, "get the type of " + name);
  const H5T_class_t cls = H5Tget_class(type.id());
  hash.text(name);
  hash.word(static_cast<std::uint64_t>(cls));
  const auto dims = dims_of(file, name);
  for (auto d : dims) hash.word(d);
  if (cls == H5T_STRING) {
    for (const auto& s : read_strings(file, name)) hash.text(s);
    return;
  }
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw Error("HDF5: cannot checksum " + name + " (not numbers or text)");
  std::size_t total = 1;
  for (auto d : dims) total *= d;
  // As stored in the file (little-endian), whatever this machine's order.
  Handle mem(H5Tcopy(type.id()), H5Tclose, "copy the type of " + name);
  const std::size_t size = H5Tget_size(mem.id());
  std::vector<unsigned char> buf(total * size);
  hash.word(size);
  if (total > 0 && H5Dread(ds.id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buf.data()) < 0)
    throw Error("HDF5: cannot read " + name);
  hash.bytes(buf.data(), buf.size());
}

}  // namespace

std::uint64_t content_hash(hid_t file, const std::string& extra) {
  std::vector<std::string> names;
  if (H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &names, H5O_INFO_BASIC) < 0)
    throw Error("HDF5: cannot list the datasets");
  std::sort(names.begin(), names.end());
  Hasher hash;
  for (const auto& n : names) hash_dataset(hash, file, n);
  hash.text(extra);
  return hash.final();
}

}  // namespace trustsim::h5
