#include "apps/experiment/mpi.h"

#include <cstdlib>
#include <cstring>

#include "apps/runner.h"

#ifdef CLUSTERSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace clustersim::apps {

#ifdef CLUSTERSIM_HAVE_MPI
namespace {

constexpr int kTagReady = 1;   // worker -> rank 0: [request index or -1][status][payload]
constexpr int kTagAssign = 2;  // rank 0 -> worker: {cell, seed, request index}, or index -1 = stop

// A worker's report: which request, ok or not, and the summary JSON or the error message.
std::string EncodeResult(int64_t index, const RunResult& r) {
  std::string out(sizeof(int64_t) + 1, '\0');
  std::memcpy(out.data(), &index, sizeof index);
  out[sizeof index] = r.status.ok() ? 1 : 0;
  out += r.status.ok() ? r.summary.dump() : r.status.message();
  return out;
}

}  // namespace

MpiJob MpiStart(int* argc, char*** argv) {
  MpiJob job;
  // Only when an MPI launcher started us: a plain `clustersim sweep` never touches MPI.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr &&
      std::getenv("PMIX_RANK") == nullptr) {
    return job;
  }
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &job.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &job.size);
  job.active = job.size > 1;
  if (!job.active) MPI_Finalize();
  return job;
}

void MpiFinish(const MpiJob& job) {
  if (job.active) MPI_Finalize();
}

void MpiCoordinate(const MpiJob& job, const std::vector<RunRequest>& requests,
                   const RunDone& on_done) {
  size_t next = 0;
  int stopped = 0;
  while (stopped < job.size - 1) {
    MPI_Status status;
    MPI_Probe(MPI_ANY_SOURCE, kTagReady, MPI_COMM_WORLD, &status);
    int bytes = 0;
    MPI_Get_count(&status, MPI_CHAR, &bytes);
    std::string message(static_cast<size_t>(bytes), '\0');
    MPI_Recv(message.data(), bytes, MPI_CHAR, status.MPI_SOURCE, kTagReady, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    int64_t done_index = -1;
    std::memcpy(&done_index, message.data(), sizeof done_index);
    if (done_index >= 0) {
      RunResult result;
      const std::string payload = message.substr(sizeof done_index + 1);
      if (message[sizeof done_index] == 1) {
        result.summary = nlohmann::ordered_json::parse(payload);
      } else {
        result.status = sim::Status::Error(payload);
      }
      on_done(static_cast<size_t>(done_index), result);
    }
    int64_t assign[3] = {-1, 0, 0};
    // After SIGINT/SIGTERM (mpirun forwards them as SIGTERM) each worker is told to stop as it
    // reports; its interrupted run is not recorded.
    if (next < requests.size() && !Interrupted()) {
      assign[0] = static_cast<int64_t>(next);
      assign[1] = static_cast<int64_t>(requests[next].cell);
      assign[2] = static_cast<int64_t>(requests[next].seed);
      ++next;
    } else {
      ++stopped;
    }
    MPI_Send(assign, 3, MPI_INT64_T, status.MPI_SOURCE, kTagAssign, MPI_COMM_WORLD);
  }
}

void MpiWork(const MpiJob& job, const YamlDocument& base,
             const std::function<RunRequest(size_t, uint64_t)>& make_request) {
  std::string report = EncodeResult(-1, RunResult{});
  for (;;) {
    MPI_Send(report.data(), static_cast<int>(report.size()), MPI_CHAR, 0, kTagReady,
             MPI_COMM_WORLD);
    int64_t assign[3];
    MPI_Recv(assign, 3, MPI_INT64_T, 0, kTagAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (assign[0] < 0) return;
    const RunRequest request =
        make_request(static_cast<size_t>(assign[1]), static_cast<uint64_t>(assign[2]));
    auto results = RunBatch(base, {request}, 1);
    report = EncodeResult(assign[0], results[0]);
  }
}

#else  // !CLUSTERSIM_HAVE_MPI

MpiJob MpiStart(int*, char***) { return MpiJob{}; }
void MpiFinish(const MpiJob&) {}
void MpiCoordinate(const MpiJob&, const std::vector<RunRequest>&, const RunDone&) {}
void MpiWork(const MpiJob&, const YamlDocument&,
             const std::function<RunRequest(size_t, uint64_t)>&) {}

#endif

}  // namespace clustersim::apps
