#include "engine/runner.hpp"

#include <tbb/parallel_for.h>

#include <optional>

#include "engine/simulation.hpp"

namespace trustsim {

std::vector<RunResult> run_replicates(const Scenario& sc,
                                      const std::function<void(std::int64_t, std::int64_t)>& on_progress,
                                      const std::atomic<bool>* cancel) {
  const int R = static_cast<int>(sc.params.simulation.replicates);
  const std::int64_t total = static_cast<std::int64_t>(R) * sc.days();
  std::atomic<std::int64_t> done{0};
  std::vector<std::optional<RunResult>> results(static_cast<std::size_t>(R));
  // Each replicate owns its seed, so running them side by side changes no number.
  // Cancellation is caught in the task and rethrown after the loop: an exception leaving a
  // task cancels the task group, and TBB then silently cuts short the nested parallel loops
  // of the replicates still running (a half-built city, then a crash).
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(0, R, [&](int r) {
    try {
      Simulation sim(sc, replicate_seed(static_cast<std::uint64_t>(sc.params.simulation.seed), r));
      results[static_cast<std::size_t>(r)].emplace(sim.run(
          [&](int) {
            const auto d = done.fetch_add(1, std::memory_order_relaxed) + 1;
            if (on_progress) on_progress(d, total);
          },
          cancel));
    } catch (const Cancelled&) { cancelled = true; }
  });
  if (cancelled) throw Cancelled();
  std::vector<RunResult> out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(*r));
  return out;
}

}  // namespace trustsim
