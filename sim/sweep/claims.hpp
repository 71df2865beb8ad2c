// Claims on a sweep's runs, so processes sharing an output folder (Slurm array tasks, two
// users, a restarted job beside a live one) never compute or write the same run. A claim is
// a file <run>.h5.claim created with O_CREAT|O_EXCL (atomic on local file systems and on
// NFSv3+ and Lustre, with no HDF5 or fcntl locking involved) holding "host pid token".
// Its holder touches it every timeout/4 (a heartbeat). A claim is stale, and may be taken
// over, when its holder is a process of this host that no longer runs, or when it has not
// been touched for `timeout` seconds (a node that died). Taking over renames the stale claim
// to a name of the taker's own, so of two takers only one succeeds; a holder that finds its
// claim gone or replaced (its heartbeat checks) gives up the run without writing it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace trustsim {

inline constexpr double kDefaultClaimTimeout = 600;  // seconds

struct Claim {
  std::string path;               // the claim file
  std::atomic<bool> lost{false};  // set when another process has taken it over
};

class ClaimBook {
 public:
  explicit ClaimBook(double timeout_seconds = kDefaultClaimTimeout);
  ~ClaimBook();  // stops the heartbeat and releases every claim still held
  ClaimBook(const ClaimBook&) = delete;
  ClaimBook& operator=(const ClaimBook&) = delete;

  // Claims the run written to `run_file`: the claim, or null when a live process holds it.
  // Throws std::runtime_error when the claim cannot be created (read-only folder, full disk).
  std::shared_ptr<Claim> acquire(const std::string& run_file);
  // Deletes the claim file if it is still this process's.
  void release(const std::shared_ptr<Claim>& claim);
  // True while the claim file still holds this process's token (and marks the claim lost
  // when it does not).
  bool holds(Claim& claim) const;

  // Who holds the claim on `run_file`, as "host pid, touched N s ago", or empty.
  static std::string describe(const std::string& run_file);

 private:
  double timeout_;
  std::string token_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Claim>> held_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread heartbeat_;
  void beat();
  bool stale(const std::string& content, double touched) const;  // touched: the claim's mtime
};

}  // namespace trustsim
