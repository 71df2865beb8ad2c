#include "sweep/claims.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "output/output_file.hpp"

namespace trustsim {
namespace {

std::string host_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "host";
  return host[0] ? host : "host";
}

std::string read_small(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s;
  std::getline(in, s);
  return s;
}

double wall_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

double mtime_of(const struct stat& st) {
  return static_cast<double>(st.st_mtim.tv_sec) + 1e-9 * static_cast<double>(st.st_mtim.tv_nsec);
}

bool write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    const auto n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;  // no fsync: a claim a crash left empty is judged by its age alone
}

// Whether process `pid` of this host still runs the program that touched a claim at
// `touched` (seconds since the epoch): not if it is gone, a zombie (killed, its parent not
// yet told), or a newer process that reuses the pid (started after the claim was touched).
bool claimant_alive(long pid, double touched) {
  if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) return false;
  std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat_file, line)) return true;  // no /proc: trust kill()
  const auto close = line.rfind(')');
  if (close == std::string::npos) return true;
  std::istringstream fields(line.substr(close + 2));
  std::string state, skip;
  fields >> state;
  if (state == "Z" || state == "X") return false;
  for (int i = 0; i < 18; ++i) fields >> skip;  // fields 4 to 21
  unsigned long long start_ticks = 0;
  if (!(fields >> start_ticks)) return true;
  std::ifstream proc_stat("/proc/stat");
  double boot = 0;
  for (std::string key; proc_stat >> key;)
    if (key == "btime") {
      proc_stat >> boot;
      break;
    }
  const long ticks = ::sysconf(_SC_CLK_TCK);
  if (boot <= 0 || ticks <= 0) return true;
  const double started = boot + static_cast<double>(start_ticks) / static_cast<double>(ticks);
  return started <= touched + 2;  // boot time is whole seconds
}

// The tokens of this process's books: a claim with this host and pid but none of these
// tokens was left by an earlier process that had the same pid.
std::mutex live_mutex;
std::set<std::string> live_tokens;

}  // namespace

ClaimBook::ClaimBook(double timeout_seconds) : timeout_(timeout_seconds) {
  std::random_device rd;
  std::ostringstream os;
  os << host_name() << " " << ::getpid() << " " << std::hex << rd() << rd();
  token_ = os.str();
  {
    std::lock_guard lock(live_mutex);
    live_tokens.insert(token_);
  }
  heartbeat_ = std::thread([this] { beat(); });
}

ClaimBook::~ClaimBook() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  heartbeat_.join();
  std::vector<std::shared_ptr<Claim>> left;
  {
    std::lock_guard lock(mutex_);
    left = held_;
  }
  for (const auto& c : left) release(c);
  std::lock_guard lock(live_mutex);
  live_tokens.erase(token_);
}

void ClaimBook::beat() {
  // A quarter of the timeout: three beats may be missed (a loaded node, a slow NFS server)
  // before anyone takes the claims over.
  const auto period = std::chrono::duration<double>(std::clamp(timeout_ / 4, 0.05, 120.0));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
    for (const auto& c : held_)
      if (holds(*c)) ::utimensat(AT_FDCWD, c->path.c_str(), nullptr, 0);
  }
}

bool ClaimBook::holds(Claim& claim) const {
  if (claim.lost.load()) return false;
  if (read_small(claim.path) == token_) return true;
  claim.lost = true;
  return false;
}

bool ClaimBook::stale(const std::string& content, double touched) const {
  std::istringstream in(content);
  std::string host;
  long pid = 0;
  if (in >> host >> pid && host == host_name()) {
    if (pid == ::getpid()) {  // this process's, or an earlier process's that had our pid
      std::lock_guard lock(live_mutex);
      return live_tokens.count(content) == 0;
    }
    if (!claimant_alive(pid, touched)) return true;
  }
  return wall_now() - touched > timeout_;
}

std::shared_ptr<Claim> ClaimBook::acquire(const std::string& run_file) {
  const std::string file = run_file + ".claim";
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
      const bool ok = write_all(fd, token_ + "\n");
      const int err = errno;
      ::close(fd);
      if (!ok) {
        ::unlink(file.c_str());
        throw std::runtime_error("cannot claim the run " + run_file + ": " + write_failure_cause(file, err));
      }
      auto claim = std::make_shared<Claim>();
      claim->path = file;
      std::lock_guard lock(mutex_);
      held_.push_back(claim);
      return claim;
    }
    if (errno != EEXIST)
      throw std::runtime_error("cannot claim the run " + run_file + ": " + write_failure_cause(file, errno));
    struct stat seen {};
    if (::lstat(file.c_str(), &seen) != 0) continue;  // released meanwhile: try again
    const std::string content = read_small(file);
    if (!stale(content, mtime_of(seen))) return nullptr;
    // Take it over: move it to a name of ours, so of two takers only one has it, and check
    // that what moved is the stale claim, not a fresh one made since we looked.
    const std::string aside = file + ".stale." + token_.substr(token_.rfind(' ') + 1);
    if (::rename(file.c_str(), aside.c_str()) != 0) continue;
    struct stat moved {};
    const bool same = ::lstat(aside.c_str(), &moved) == 0 && moved.st_ino == seen.st_ino &&
                      moved.st_dev == seen.st_dev && read_small(aside) == content;
    if (!same) {
      if (::link(aside.c_str(), file.c_str()) != 0) {
        // A third process claimed it in between; the holder we moved finds its claim
        // replaced at its next heartbeat and gives the run up.
      }
      ::unlink(aside.c_str());
      return nullptr;
    }
    ::unlink(aside.c_str());
  }
  return nullptr;
}

void ClaimBook::release(const std::shared_ptr<Claim>& claim) {
  if (!claim) return;
  {
    std::lock_guard lock(mutex_);
    held_.erase(std::remove(held_.begin(), held_.end(), claim), held_.end());
  }
  if (read_small(claim->path) == token_) ::unlink(claim->path.c_str());
}

std::string ClaimBook::describe(const std::string& run_file) {
  const std::string file = run_file + ".claim";
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0) return "";
  std::istringstream in(read_small(file));
  std::string host, pid;
  in >> host >> pid;
  std::ostringstream os;
  os << "claimed by " << (host.empty() ? "?" : host) << " pid " << (pid.empty() ? "?" : pid) << ", touched "
     << static_cast<long long>(wall_now() - mtime_of(st)) << " s ago";
  return os.str();
}

}  // namespace trustsim
