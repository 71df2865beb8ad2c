// The run file (format "trustsim-run"): written as a partial file of this process
// (output_file.hpp) and renamed into place only once complete, so an interrupted run never
// leaves a file that looks finished.
#pragma once

#include <string>
#include <vector>

#include "output/h5file.hpp"
#include "output/output_file.hpp"
#include "output/run_result.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

inline constexpr const char* kRunFormat = "trustsim-run";
// 2.0: dimension scales in every group; charge and docket axes; the mixed_status_citizen group.
// 2.1: series news_stories, announcement_weight and reporting_propensity.
inline constexpr const char* kRunFormatVersion = "2.1";

struct Provenance {
  std::uint64_t seed = 0;
  int threads = 1;
  std::string command_line;  // as typed, shell-quoted (empty when not run from the command line)
};

class RunFile {
 public:
  // Creates the partial file at once, so an unwritable destination fails before any compute
  // (check_output_path comes first).
  explicit RunFile(std::string path);
  RunFile(const RunFile&) = delete;
  RunFile& operator=(const RunFile&) = delete;

  void write(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov);
  void commit();                      // marks complete, closes, renames into place
  void abandon() { out_.abandon(); }  // closes and deletes the partial file

  const std::string& path() const { return out_.path(); }

 private:
  void write_contents(const Scenario& sc, const std::vector<RunResult>& reps, const Provenance& prov);

  OutputFile out_;
};

// docs/output-format.md, generated from the same declarations the writer uses.
std::string output_format_markdown();

}  // namespace trustsim
