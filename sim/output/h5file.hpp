// Thin RAII wrappers over the HDF5 C API: handles close themselves, errors throw.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace trustsim::h5 {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what);
  Handle(Handle&& o) noexcept : id_(o.id_), close_(o.close_) { o.id_ = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset();    // closes, ignoring errors (for unwinding)
  herr_t close();  // closes and returns the library's status (for a file whose last write must succeed)
  hid_t id() const { return id_; }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

Handle create_file(const std::string& path);            // truncates
Handle create_file_exclusive(const std::string& path);  // fails if anything has the name (a symlink too)
Handle open_file(const std::string& path, bool writable);
Handle create_group(hid_t parent, const std::string& name);

void set_attribute(hid_t obj, const std::string& name, const std::string& value);
void set_attribute(hid_t obj, const std::string& name, std::int64_t value);
std::string get_string_attribute(hid_t obj, const std::string& name);
std::int64_t get_int_attribute(hid_t obj, const std::string& name);
void set_double_attribute(hid_t obj, const std::string& name, double value);
double get_double_attribute(hid_t obj, const std::string& name);

// N-dimensional datasets, chunked and compressed when large enough.
void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<double>& data);
void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<std::int64_t>& data);
void write(hid_t parent, const std::string& name, const std::vector<std::size_t>& dims,
           const std::vector<std::uint64_t>& data);
void write_strings(hid_t parent, const std::string& name, const std::vector<std::string>& values);
void write_string(hid_t parent, const std::string& name, const std::string& value);  // scalar

std::vector<std::size_t> dims_of(hid_t parent, const std::string& name);
std::vector<double> read_doubles(hid_t parent, const std::string& name);
std::vector<std::int64_t> read_ints(hid_t parent, const std::string& name);
std::vector<std::uint64_t> read_uints(hid_t parent, const std::string& name);
std::string read_string(hid_t parent, const std::string& name);
std::vector<std::string> read_strings(hid_t parent, const std::string& name);
bool exists(hid_t parent, const std::string& path);
bool attribute_exists(hid_t obj, const std::string& name);

// A 64-bit hash of every dataset under `file` (names, types, shapes and values, in name
// order; attributes are not included), followed by `extra`: a checksum that does not need
// to know which datasets a file holds. Integers and floats are hashed as stored
// (little-endian), strings as their bytes. Any single changed 8-byte word changes it.
std::uint64_t content_hash(hid_t file, const std::string& extra);

}  // namespace trustsim::h5
