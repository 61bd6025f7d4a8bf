// `clustersim metrics`: the metric catalogue (results/metric_catalogue.h), the one list of
// summary.json's fields that compare and sweep columns, plots and results/README.md take their
// names, titles and units from.
#include <cstdio>

#include "apps/cli/command.h"
#include "results/metric_catalogue_text.h"

namespace clustersim::apps::cli {
namespace {

class MetricsCommand : public Command {
 public:
  void AddOptions(CLI::App& command) override {
    auto* json = command.add_flag("--json", json_,
                                  "the catalogue as JSON (what clustersim plot hands plot.py)");
    command.add_flag("--markdown", markdown_, "the catalogue as results/README.md's table")
        ->excludes(json);
  }

  int Run() override {
    const std::string text = json_       ? results::CatalogueJson().dump(2) + "\n"
                             : markdown_ ? results::CatalogueMarkdown()
                                         : results::CatalogueText();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }

 private:
  bool json_ = false;
  bool markdown_ = false;
};

}  // namespace

std::unique_ptr<Command> NewMetricsCommand() { return std::make_unique<MetricsCommand>(); }

}  // namespace clustersim::apps::cli
