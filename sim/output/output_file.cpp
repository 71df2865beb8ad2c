#include "output/output_file.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <csignal>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace trustsim {
namespace fs = std::filesystem;

namespace {

std::string folder_of(const std::string& path) {
  const std::string folder = fs::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

// This host's name up to its first dot, at most 32 characters: enough to tell the nodes of
// a cluster apart in a shared folder, short enough to leave room for the file's own name.
std::string short_host() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "host";
  std::string h(host);
  h = h.substr(0, h.find('.'));
  if (h.size() > 32) h.resize(32);
  return h.empty() ? "host" : h;
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The format attribute of an HDF5 file, or empty if it is not one or has none.
std::string hdf5_format(const std::string& path) {
  try {
    h5::Handle f = h5::open_file(path, false);
    return h5::get_string_attribute(f.id(), "format");
  } catch (const h5::Error&) { return ""; }
}

void sync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) throw OutputError("cannot open " + path + " to sync it: " + std::strerror(errno));
  const int rc = ::fsync(fd), err = errno;
  ::close(fd);
  // Some file systems cannot sync a directory (EINVAL); the file itself must sync.
  if (rc != 0 && !(directory && err == EINVAL))
    throw OutputError("cannot write " + path + ": " + write_failure_cause(path, err));
}

}  // namespace

std::string partial_path(const std::string& path) {
  return path + ".partial." + short_host() + "." + std::to_string(::getpid());
}

void clean_dead_partials(const std::string& folder, const std::string& stem) {
  const std::string marker = ".partial." + short_host() + ".";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    const auto at = name.rfind(marker);
    if (at == std::string::npos || (!stem.empty() && name.compare(0, at, stem) != 0)) continue;
    const std::string digits = name.substr(at + marker.size());
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) ::unlink(e.path().c_str());
  }
}

std::string write_failure_cause(const std::string& path, int err) {
  const std::string folder = folder_of(path);
  switch (err) {
    case 0: break;
    case ENOSPC: return "the disk holding " + folder + " is full";
    case EDQUOT: return "the disk quota for " + folder + " is used up";
    case EROFS: return folder + " is on a read-only file system";
    case EACCES:
    case EPERM: return "no permission to write in " + folder;
    case ENAMETOOLONG: return "the name is too long for the file system";
    case ENOENT: return "the folder " + folder + " does not exist";
    case ENOTDIR: return "a part of " + folder + " is not a folder";
    case EFBIG: {
      rlimit fsize{};
      if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY)
        return "files are limited to " + std::to_string(static_cast<unsigned long long>(fsize.rlim_cur)) +
               " bytes (ulimit -f)";
      return "the file is too large for the file system";
    }
    default: return std::strerror(err);
  }
  // HDF5 does not keep errno: ask the file system what may stop a write.
  std::string cause;
  auto add = [&cause](const std::string& s) { cause += (cause.empty() ? "" : "; ") + s; };
  struct statvfs vfs {};
  if (statvfs(folder.c_str(), &vfs) == 0) {
    if (vfs.f_flag & ST_RDONLY) add(folder + " is on a read-only file system");
    const double free_bytes = static_cast<double>(vfs.f_bavail) * static_cast<double>(vfs.f_frsize);
    if (free_bytes < 16.0 * 1024 * 1024)
      add("the disk holding " + folder + " is full (" + std::to_string(static_cast<long long>(free_bytes)) +
          " bytes free)");
  }
  if (::access(folder.c_str(), W_OK) != 0 && errno == EACCES) add("no permission to write in " + folder);
  rlimit fsize{};
  if (getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY)
    add("files are limited to " + std::to_string(static_cast<unsigned long long>(fsize.rlim_cur)) +
        " bytes (ulimit -f)");
  return cause;
}

void check_output_path(const std::string& path, const std::vector<std::string>& inputs) {
  if (path.empty()) throw OutputError("the output name is empty: give a file name, e.g. -o out.h5");
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name == "." || name == "..")
    throw OutputError("the output " + path + " names a folder: give a file name, e.g. " +
                      (fs::path(path) / "out.h5").string());
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    // A symlink would be replaced by the new file, the link gone and its target left as it
    // was: as root, `-o /dev/stdout` replaced the system's link with a regular file.
    if (S_ISLNK(st.st_mode)) {
      std::error_code ec;
      const auto target = fs::read_symlink(path, ec);
      throw OutputError("the output " + path + " is a symbolic link" + (ec ? "" : " to " + target.string()) +
                        ": trustsim only ever replaces regular files; give the target's name or remove the link");
    }
    if (!S_ISREG(st.st_mode))
      throw OutputError("the output " + path + " is " + kind_of(st.st_mode) +
                        ": trustsim only ever replaces regular files; give a file name" +
                        (S_ISDIR(st.st_mode) ? ", e.g. " + (fs::path(path) / "out.h5").string() : std::string()));
    for (const auto& in : inputs) {
      struct stat is {};
      if (::stat(in.c_str(), &is) == 0 && is.st_dev == st.st_dev && is.st_ino == st.st_ino)
        throw OutputError("the output " + path + " is the input " + in + ": choose another output name");
    }
    const std::string format = hdf5_format(path);
    if (format == "trustsim-sweep-definition" || format == "trustsim-sweep-run")
      throw OutputError("the output " + path + " is a file of a sweep's output folder (a '" + format +
                        "' file): choose a name outside the sweep's definition and runs");
  }
  // The partial name is the longest this path gets; refuse now what the file system would
  // refuse at the end.
  const std::string partial = fs::path(partial_path(path)).filename().string();
  long name_max = ::pathconf(folder_of(path).c_str(), _PC_NAME_MAX);
  if (name_max <= 0) name_max = 255;
  if (static_cast<long>(partial.size()) > name_max)
    throw OutputError("the output name " + name + " is too long for the file system: it is written first as " +
                      partial + " (" + std::to_string(partial.size()) + " characters; at most " +
                      std::to_string(name_max) + ")");
}

OutputFile::OutputFile(std::string path, bool clean) : path_(std::move(path)), partial_(partial_path(path_)) {
  if (clean) clean_dead_partials(folder_of(path_), fs::path(path_).filename().string());
  // A partial file of ours from an earlier process with this pid can only be stale; the
  // exclusive create then refuses anything that appears in between, a symlink included.
  ::unlink(partial_.c_str());
  const int fd = ::open(partial_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw OutputError("cannot write the output file " + path_ + ": " + write_failure_cause(partial_, errno));
  ::close(fd);
  ::unlink(partial_.c_str());
  try {
    file_ = h5::create_file_exclusive(partial_);
  } catch (const h5::Error& e) { throw failure(e.what()); }
}

OutputFile::~OutputFile() {
  if (!done_) abandon();
}

void OutputFile::abandon() noexcept {
  file_.reset();
  ::unlink(partial_.c_str());
  done_ = true;
}

OutputError OutputFile::failure(const std::string& what) const {
  const std::string cause = write_failure_cause(partial_, 0);
  return OutputError("cannot write the output file " + path_ + " (as " + fs::path(partial_).filename().string() +
                     "): " + what + (cause.empty() ? "" : "; " + cause));
}

void OutputFile::commit(bool sync) {
  if (H5Fflush(file_.id(), H5F_SCOPE_GLOBAL) < 0) throw failure("HDF5 cannot flush it");
  if (file_.close() < 0) throw failure("HDF5 cannot close it");
  if (sync) sync_path(partial_, false);
  // The destination may have become something else since the check.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw OutputError("the output " + path_ + " is now " + kind_of(st.st_mode) + ": not replaced");
  if (::rename(partial_.c_str(), path_.c_str()) != 0)
    throw OutputError("cannot move " + partial_ + " to " + path_ + ": " + write_failure_cause(path_, errno));
  done_ = true;
  if (sync) sync_path(folder_of(path_), true);
}

}  // namespace trustsim
