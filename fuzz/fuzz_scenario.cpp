// libFuzzer target for the scenario loader (load_scenario_text); the checks are in
// scenario_oracle.hpp, shared with the replay of saved inputs in the C++ tests.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scenario_oracle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string problem =
      trustsim::fuzz::check_scenario_input(std::string(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_scenario: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
