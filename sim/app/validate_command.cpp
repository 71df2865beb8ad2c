// `trustsim validate FILES...`: check scenario and sweep files and report every problem in
// each. A file is a sweep when its top level has `scenarios:` or `design:` (keys no
// scenario has); a sweep is checked whole, its base scenarios and every design point too.
#include <yaml-cpp/yaml.h>

#include <iostream>

#include "app/commands.hpp"
#include "scenario/loader.hpp"
#include "sweep/sweep.hpp"

namespace trustsim::app {
namespace {

bool looks_like_sweep(const std::string& path) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    return root.IsMap() && (root["scenarios"] || root["design"]);
  } catch (const std::exception&) {
    return false;  // unreadable or not YAML: the scenario loader reports it, located
  }
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* validate = app.add_subcommand("validate", "Check scenario and sweep files; report every problem");
  validate->add_option("files", *files, "Scenario or sweep YAML files")->required();
  validate->callback([files, &exit_code] {
    int bad = 0;
    for (const auto& f : *files) {
      try {
        if (looks_like_sweep(f)) {
          const SweepSpec sw = load_sweep(f);
          std::cout << f << ": ok (sweep '" << sw.name << "': " << sw.run_count() << " runs)\n";
        } else {
          load_scenario(f);
          std::cout << f << ": ok\n";
        }
      } catch (const InvalidInput& e) {
        std::cerr << e.what();
        ++bad;
      }
    }
    exit_code = bad ? kExitInvalid : kExitOk;
  });
}

}  // namespace trustsim::app
