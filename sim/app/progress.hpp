// Progress on stderr: a bar with days per second and time left on a terminal, a short line
// a minute otherwise (a batch job's log), nothing with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace trustsim {

class Progress {
 public:
  // `unit` names what is counted ("days", "runs").
  Progress(std::string label, bool quiet, std::string unit = "days");
  void update(std::int64_t done, std::int64_t total);  // thread-safe
  void finish();

 private:
  std::string label_, unit_;
  bool quiet_, tty_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_, last_;
  std::int64_t done_ = 0, total_ = 0;
  void draw(bool final);
};

}  // namespace trustsim
