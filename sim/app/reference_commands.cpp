// `trustsim schema [NAME] [--json | --markdown]` and `trustsim output-format`: the reference
// pages, generated from the same declarations the program uses (docs/parameters.md,
// docs/output-format.md); --json for programs (params/schema.hpp).
#include <iostream>

#include "app/commands.hpp"
#include "output/run_file.hpp"
#include "params/schema.hpp"

namespace trustsim::app {

void add_reference_commands(CLI::App& app, int& exit_code) {
  struct Options {
    std::string name;
    bool markdown = false, json = false;
  };
  auto o = std::make_shared<Options>();
  auto* schema = app.add_subcommand(
      "schema", "Print parameters: name, type, unit, default, range, meaning, source (all, or what NAME names)");
  schema->add_option("name", o->name, "A parameter (policy.detainers), a section (policy) or a policy preset");
  auto* md = schema->add_flag("--markdown", o->markdown, "Everything, as the Markdown page docs/parameters.md");
  schema->add_flag("--json", o->json, "As JSON, for programs (format trustsim-schema)")->excludes(md);
  schema->callback([o, &exit_code] {
    if (o->markdown) {
      if (!o->name.empty()) throw CLI::ValidationError("--markdown", "prints the whole page; give no NAME");
      std::cout << parameters_markdown();
      exit_code = kExitOk;
      return;
    }
    const SchemaSelection sel = select_schema(o->name);
    if (sel.empty()) {
      const std::string hint = nearest(o->name, schema_names());
      std::cerr << "trustsim schema: '" << o->name << "' is no parameter, section or policy preset"
                << (hint.empty() ? "" : " (did you mean '" + hint + "'?)") << "\n";
      exit_code = kExitInvalid;
      return;
    }
    std::cout << (o->json ? schema_json(sel) : schema_text(sel));
    exit_code = kExitOk;
  });

  auto* format = app.add_subcommand("output-format", "Print the output file format (docs/output-format.md)");
  format->callback([&exit_code] {
    std::cout << output_format_markdown();
    exit_code = kExitOk;
  });
}

}  // namespace trustsim::app
