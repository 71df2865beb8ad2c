// `trustsim help [COMMAND]`, `trustsim version`, and the answer to a mistyped command.
#include <algorithm>
#include <iostream>

#include "app/commands.hpp"
#include "core/build_info.hpp"
#include "params/registry.hpp"

namespace trustsim::app {
namespace {

std::vector<std::string> command_names(CLI::App& app) {
  std::vector<std::string> out;
  for (const auto* sub : app.get_subcommands({})) out.push_back(sub->get_name());
  return out;
}

}  // namespace

bool report_unknown_command(CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  const std::string word = argv[1];
  const auto names = command_names(app);
  if (std::find(names.begin(), names.end(), word) != names.end()) return false;
  const std::string hint = nearest(word, names);
  std::cerr << "trustsim: unknown command '" << word << "'" << (hint.empty() ? "" : " (did you mean '" + hint + "'?)")
            << "\ncommands:";
  for (const auto& n : names) std::cerr << " " << n;
  std::cerr << "\nrun `trustsim help` for what each does, `trustsim help COMMAND` for its options\n";
  return true;
}

void add_help_commands(CLI::App& app, int& exit_code) {
  auto topic = std::make_shared<std::string>();
  auto* help = app.add_subcommand("help", "Print this help, or a command's options (help COMMAND)");
  help->add_option("command", *topic, "A command");
  help->callback([&app, topic, &exit_code] {
    if (topic->empty()) {  // app.help() would give the selected subcommand's, this one's
      std::cout << app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal);
      exit_code = kExitOk;
      return;
    }
    for (auto* sub : app.get_subcommands({}))
      if (sub->get_name() == *topic) {
        std::cout << sub->help(app.get_name());
        exit_code = kExitOk;
        return;
      }
    const std::string hint = nearest(*topic, command_names(app));
    std::cerr << "trustsim help: unknown command '" << *topic << "'"
              << (hint.empty() ? "" : " (did you mean '" + hint + "'?)") << "\n";
    exit_code = kExitInvalid;
  });

  auto* version = app.add_subcommand("version", "Print the version and the git revision it was built from");
  version->callback([&exit_code] {
    std::cout << "trustsim " << TRUSTSIM_VERSION << " (" << git_revision() << ")\n";
    exit_code = kExitOk;
  });
}

}  // namespace trustsim::app
