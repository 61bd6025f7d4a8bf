#include "apps/plot.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "results/metric_catalogue_text.h"
#include "results/output_file.h"

namespace clustersim::apps {

sim::Result<int> RunPlot(const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  const fs::path script = self.parent_path() / "clustersim-plot.py";
  if (ec || !fs::exists(script)) {
    return sim::Status::Error("plot: cannot find clustersim-plot.py beside the binary");
  }
  // Debian's python, not whatever python3 is first on PATH: matplotlib comes from Debian.
  const char* python = "/usr/bin/python3";
  if (!fs::exists(python)) {
    return sim::Status::Error(
        "plot: /usr/bin/python3 is missing (apt-get install python3-matplotlib)");
  }
  // The titles and units of the plots come from this binary's metric catalogue, so the script
  // keeps no copy of its own.
  const fs::path catalogue =
      fs::temp_directory_path(ec) / ("clustersim-catalogue-" + std::to_string(getpid()) + ".json");
  if (ec) return sim::Status::Error("plot: no temporary folder for the metric catalogue");
  SIM_RETURN_IF_ERROR(
      results::WriteFileAtomically(catalogue.string(), results::CatalogueJson().dump() + "\n"));
  const pid_t pid = fork();
  if (pid < 0) {
    fs::remove(catalogue, ec);
    return sim::Status::Error("plot: cannot start python");
  }
  if (pid == 0) {
    const std::string s = script.string(), c = catalogue.string();
    execl(python, python, s.c_str(), "--catalogue", c.c_str(), out_dir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  fs::remove(catalogue, ec);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace clustersim::apps
