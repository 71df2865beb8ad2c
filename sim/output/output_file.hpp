// Writing a finished result safely, for `run -o`, `merge -o` and a sweep's own files:
//   - the destination is checked before any compute: it may be a new name or a regular file,
//     never a folder, a device, a FIFO, a socket, an input of the command, or a file of a sweep;
//   - the data go to a partial file beside it whose name no other process uses
//     (<path>.partial.<host>.<pid>), created exclusively, so never through a symlink and
//     never over another process's partial file;
//   - only a complete, closed and synced file is renamed over the destination.
// Errors say the cause in a user's words: disk full, read-only, permission, name too long.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "output/h5file.hpp"

namespace trustsim {

struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws OutputError when `path` may not be written (see above). `inputs` are the files the
// command reads: the output must not be one of them.
void check_output_path(const std::string& path, const std::vector<std::string>& inputs = {});

// The partial file this process uses for `path`.
std::string partial_path(const std::string& path);

// Why writing in `path`'s folder failed with `err` (an errno), in a user's words; when `err`
// is 0 (HDF5 does not keep it), what the file system says: full, read-only, not writable,
// a file size limit. Empty when nothing is known.
std::string write_failure_cause(const std::string& path, int err);

// Deletes the partial files in `folder` of this host's processes that no longer run
// (killed with SIGKILL); theirs only, never a partial file another process is writing.
// With `stem`, only those of <folder>/<stem>.
void clean_dead_partials(const std::string& folder, const std::string& stem = "");

// An HDF5 file being written to partial_path(path), renamed to `path` by commit().
class OutputFile {
 public:
  // Creates the partial file at once, so an unwritable destination fails before any compute;
  // with `clean`, first deletes partial files of this host's dead processes for the same path
  // (a sweep cleans its runs folder once instead: clean_dead_partials).
  explicit OutputFile(std::string path, bool clean = true);
  ~OutputFile();  // abandons the partial file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  hid_t id() const { return file_.id(); }
  const std::string& path() const { return path_; }
  const std::string& partial() const { return partial_; }

  // Closes (checked), syncs, renames into place and syncs the folder. Without `sync` (a
  // sweep's run files, whose checksum finds a file a crash left half-written) no fsync: it
  // would cost a sweep's small runs more than the rest of their storing.
  void commit(bool sync = true);
  void abandon() noexcept;  // closes and deletes the partial file
  // An OutputError for a write that failed with `what`, naming the file and the cause.
  OutputError failure(const std::string& what) const;

 private:
  std::string path_, partial_;
  h5::Handle file_;
  bool done_ = false;
};

}  // namespace trustsim
