// chamber info FILE.arr: the degeneracy report (general position or not, and why).
#include "arrangement/arr_io.hpp"
#include "arrangement/count.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct InfoOptions {
  std::string file;
  std::size_t examples = 10;
  CommonOptions common;
};

int run_info(const InfoOptions& options) {
  ArrFile file = read_arr_file(options.file);
  DegeneracyReport report = arrangement_info(file, options.examples, make_run_control(options.common));
  if (options.common.json) {
    nlohmann::json out = to_json(report);
    out["file"] = options.file;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << options.file << '\n' << to_text(report);
  }
  return 0;
}

}  // namespace

Command add_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* command = app.add_subcommand("info", "Degeneracy report: general position or not, and why");
  command->add_option("FILE", options->file, "Arrangement file (.arr)")->required();
  command->add_option("--examples", options->examples, "How many examples to list per kind of degeneracy");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_info(*options); }};
}

}  // namespace chamber::cli
