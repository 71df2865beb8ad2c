// trustsim_bench: times one replicate of a scenario, phase by phase, and prints JSON.
// Usage: trustsim_bench SCENARIO RESIDENTS DAYS THREADS
#include <sys/resource.h>
#include <tbb/global_control.h>

#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <string>

#include "engine/simulation.hpp"
#include "output/run_file.hpp"
#include "scenario/loader.hpp"

using namespace trustsim;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s SCENARIO RESIDENTS DAYS THREADS\n", argv[0]);
    return 2;
  }
  const std::string residents = argv[2], days = argv[3];
  const int threads = std::stoi(argv[4]);
  const long long n = std::stoll(residents);
  Scenario sc =
      load_scenario(argv[1], {"population.residents=" + residents, "simulation.days=" + days, "simulation.replicates=1",
                              "population.neighbourhoods=" + std::to_string(std::max(10LL, n / 2500))});
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  const auto t0 = Clock::now();
  Simulation sim(sc, replicate_seed(1, 0));
  const double build = since(t0);
  const auto t1 = Clock::now();
  std::vector<RunResult> results;
  results.push_back(sim.run());
  const double simulate = since(t1);
  const auto t2 = Clock::now();
  const std::string path = "/tmp/trustsim_bench_" + std::to_string(getpid()) + ".h5";
  {
    RunFile file(path);
    file.write(sc, results, Provenance{1, threads, "trustsim_bench"});
    file.commit();
  }
  const double write = since(t2);
  std::remove(path.c_str());
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double total = build + simulate + write;
  std::printf(
      "{\"residents\": %lld, \"days\": %s, \"threads\": %d, \"build_s\": %.4f, \"simulate_s\": %.4f, \"write_s\": "
      "%.4f, "
      "\"total_s\": %.4f, \"resident_days_per_s\": %.4e, \"peak_rss_bytes\": %ld, \"bytes_per_resident\": %.1f, "
      "\"ties\": %zu}\n",
      n, days.c_str(), threads, build, simulate, write, total, static_cast<double>(n) * std::stod(days) / total,
      usage.ru_maxrss * 1024L, static_cast<double>(usage.ru_maxrss) * 1024.0 / static_cast<double>(n),
      sim.population().ties.column.size());
  return 0;
}
