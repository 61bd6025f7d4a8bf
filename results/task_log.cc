#include "results/task_log.h"

#include <algorithm>
#include <vector>

#include "results/csv.h"
#include "results/format.h"

namespace clustersim::results {

sim::Result<std::unique_ptr<TaskLog>> TaskLog::Open(const std::string& path,
                                                    models::Cluster& cluster) {
  SIM_ASSIGN_OR_RETURN(OutputFile file, OutputFile::Open(path));
  file.Write(
      "task_id,job_id,framework,os,image,agent,attempts,submit_s,first_launch_s,launch_s,"
      "running_s,end_s,queue_delay_s,pull_s,start_s,state,isolation,reason\n");
  std::unique_ptr<TaskLog> log(new TaskLog(std::move(file), cluster));
  TaskLog* raw = log.get();
  cluster.signals().task_ended.Connect([raw](const models::Task& t, bool final) {
    if (final) raw->Write(t);
  });
  return log;
}

namespace {

// tasks.csv's `reason`: why a final task did not finish normally ("" if it did); run_ended for
// the rows of tasks still live when the run ended. Documented in results/README.md.
std::string_view ReasonField(const models::Task& t) {
  return models::TaskReasonName(models::IsTerminal(t.state) ? t.reason
                                                            : models::TaskReason::kRunEnded);
}

}  // namespace

void TaskLog::Write(const models::Task& t) {
  if (file_.get() == nullptr) return;
  const auto& spec = cluster_.spec();
  const bool launched = !t.first_launch.IsMax();
  const bool ran = !t.running.IsMax();
  line_.clear();
  fmt::format_to(std::back_inserter(line_),
                 "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", t.id, t.job,
                 CsvField(spec.frameworks[t.framework.index()].name), plugins::OsName(t.os),
                 t.has_image ? CsvField(spec.images.images[t.image.index()].name) : "",
                 launched ? CsvField(cluster_.master().agent(t.agent).name) : "", t.attempts,
                 FormatSeconds(t.submitted), FormatSeconds(t.first_launch),
                 FormatSeconds(t.launched), FormatSeconds(t.running), FormatSeconds(t.ended),
                 launched ? FormatSeconds(t.first_launch - t.submitted) : "",
                 launched ? fmt::format("{:.6f}", t.pull_seconds) : "",
                 ran ? fmt::format("{:.6f}", t.start_seconds) : "", models::TaskStateName(t.state),
                 launched ? plugins::IsolationName(t.isolation) : "", ReasonField(t));
  file_.Write(line_);
}

sim::Status TaskLog::Close() {
  if (file_.get() == nullptr) return sim::Status::Ok();
  std::vector<const models::Task*> live;
  cluster_.tasks().ForEachLive(
      [&](models::TaskSlot, const models::Task& t) { live.push_back(&t); });
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (const models::Task* t : live) Write(*t);
  return file_.Commit();
}

}  // namespace clustersim::results
