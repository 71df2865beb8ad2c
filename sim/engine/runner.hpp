// Running a scenario's replicates, in parallel, with progress and cancellation.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "output/run_result.hpp"
#include "scenario/scenario.hpp"

namespace trustsim {

// `on_progress(days_done, days_total)` may be called from any worker thread.
std::vector<RunResult> run_replicates(const Scenario& scenario,
                                      const std::function<void(std::int64_t, std::int64_t)>& on_progress = {},
                                      const std::atomic<bool>* cancel = nullptr);

}  // namespace trustsim
