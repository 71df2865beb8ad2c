// `trustsim schema` and `trustsim output-format`: the reference pages, generated from the
// same declarations the program uses (docs/parameters.md, docs/output-format.md).
#include <iostream>

#include "app/commands.hpp"
#include "output/run_file.hpp"
#include "params/registry.hpp"

namespace trustsim::app {

void add_reference_commands(CLI::App& app, int& exit_code) {
  auto markdown = std::make_shared<bool>(false);
  auto* schema =
      app.add_subcommand("schema", "Print every parameter: name, type, unit, default, range, meaning, source");
  schema->add_flag("--markdown", *markdown, "As the Markdown page docs/parameters.md");
  schema->callback([markdown, &exit_code] {
    std::cout << (*markdown ? parameters_markdown() : schema_text());
    exit_code = kExitOk;
  });

  auto* format = app.add_subcommand("output-format", "Print the output file format (docs/output-format.md)");
  format->callback([&exit_code] {
    std::cout << output_format_markdown();
    exit_code = kExitOk;
  });
}

}  // namespace trustsim::app
