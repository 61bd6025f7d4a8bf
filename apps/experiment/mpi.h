#pragma once

#include <functional>
#include <vector>

#include "apps/experiment/batch_runner.h"

namespace clustersim::apps {

// Spreading an experiment (sweep, compare) over the ranks of an MPI job (`mpirun -n K clustersim
// sweep FILE`, or srun). Rank 0 coordinates and writes the files exactly as the local mode does;
// ranks 1..K-1 run cells, each asking for the next run when it is done (run times differ by orders
// of magnitude, so static partitioning would leave ranks idle).
struct MpiJob {
  bool active = false;  // built with MPI and started by an MPI launcher with more than one rank
  int rank = 0;
  int size = 1;
};

// Initialises MPI if this process was started by an MPI launcher; otherwise does nothing.
MpiJob MpiStart(int* argc, char*** argv);
void MpiFinish(const MpiJob& job);

// MpiStart on construction (without the command line: MPI does not need it), MpiFinish on
// destruction; for the commands that run experiments.
class ScopedMpi {
 public:
  ScopedMpi() : job_(MpiStart(nullptr, nullptr)) {}
  ~ScopedMpi() { MpiFinish(job_); }
  ScopedMpi(const ScopedMpi&) = delete;
  ScopedMpi& operator=(const ScopedMpi&) = delete;
  const MpiJob& job() const { return job_; }

 private:
  MpiJob job_;
};

// Rank 0: hands out requests and calls on_done(i, result) as results arrive.
void MpiCoordinate(const MpiJob& job, const std::vector<RunRequest>& requests,
                   const RunDone& on_done);
// Ranks > 0: runs what rank 0 hands out; `make_request(cell, seed)` rebuilds a request.
void MpiWork(const MpiJob& job, const YamlDocument& base,
             const std::function<RunRequest(size_t cell, uint64_t seed)>& make_request);

}  // namespace clustersim::apps
