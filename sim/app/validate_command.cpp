// `trustsim validate FILES...`: check scenario files and report every problem in each.
#include <iostream>

#include "app/commands.hpp"
#include "scenario/loader.hpp"

namespace trustsim::app {

void add_validate_command(CLI::App& app, int& exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* validate = app.add_subcommand("validate", "Check scenario files; report every problem");
  validate->add_option("files", *files, "Scenario YAML files")->required();
  validate->callback([files, &exit_code] {
    int bad = 0;
    for (const auto& f : *files) {
      try {
        load_scenario(f);
        std::cout << f << ": ok\n";
      } catch (const InvalidInput& e) {
        std::cerr << e.what();
        ++bad;
      }
    }
    exit_code = bad ? kExitInvalid : kExitOk;
  });
}

}  // namespace trustsim::app
