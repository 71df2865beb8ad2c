// The run file (format "trustsim-run"): written as <path>.partial and renamed into place
// only once complete, so an interrupted run never leaves a file that looks finished.
#pragma once

#include <string>
#include <vector>

#include "output/h5file.hpp"
#include "output/run_result.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

inline constexpr const char* kRunFormat = "trustsim-run";
inline constexpr const char* kRunFormatVersion = "1.0";

struct Provenance {
  std::uint64_t seed = 0;
  int threads = 1;
};

class RunFile {
 public:
  // Creates <path>.partial at once, so an unwritable destination fails before any compute.
  explicit RunFile(std::string path);
  ~RunFile();  // abandons the partial file unless committed
  RunFile(const RunFile&) = delete;
  RunFile& operator=(const RunFile&) = delete;

  void write(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov);
  void commit();   // marks complete, closes, renames into place
  void abandon();  // closes and deletes the partial file

  const std::string& path() const { return path_; }

 private:
  void write_contents(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov);

  std::string path_, partial_;
  h5::Handle file_;
  bool done_ = false;
};

// docs/output-format.md, generated from the same declarations the writer uses.
std::string output_format_markdown();

}  // namespace trustsim
