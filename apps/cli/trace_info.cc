// `clustersim trace-info PATH... --format F`: a quick look at trace files, written by each format
// (models/workload/trace_io/trace_info.h).
#include <fmt/format.h>

#include <cstdio>

#include "apps/cli/command.h"
#include "models/workload/csv/csv_info.h"
#include "models/workload/trace_factory.h"
#include "models/workload/trace_format.h"

namespace clustersim::apps::cli {
namespace {

class TraceInfoCommand : public Command {
 public:
  void AddOptions(CLI::App& trace_info) override {
    trace_info.add_option("paths", files_, "trace files (the table is told by the file name)")
        ->required();
    trace_info
        .add_option("--format", format_,
                    fmt::format("trace format: {}", models::BuiltinTraceFormats().NamesJoined()))
        ->required();
    trace_info.add_option("--columns", columns_,
                          "csv: column roles as in trace.columns, e.g. "
                          "submit_time=1,duration=2,cpus=3,job_id=5,instances=7");
    trace_info.add_flag("--no-header", no_header_, "csv: the files have no header row");
  }

  int Run() override {
    models::TraceInfoOptions options;
    options.csv_header = !no_header_;
    if (!columns_.empty()) {
      auto columns = models::ParseCsvColumns(columns_);
      if (!columns.ok()) return Fail(columns.status());
      options.csv_columns = std::move(*columns);
    }
    auto text = models::TraceInfo(files_, format_, options);
    if (!text.ok()) return Fail(text.status());
    std::fputs(text->c_str(), stdout);
    return 0;
  }

 private:
  std::vector<std::string> files_;
  std::string format_;
  std::string columns_;
  bool no_header_ = false;
};

}  // namespace

std::unique_ptr<Command> NewTraceInfoCommand() { return std::make_unique<TraceInfoCommand>(); }

}  // namespace clustersim::apps::cli
