#include "results/task_log.h"

#include <algorithm>
#include <vector>

#include "results/csv.h"
#include "results/format.h"

namespace clustersim::results {

const char* TaskLog::Header() {
  return "task_id,job_id,framework,role,os,image,image_version,"
         "request_cpus,request_mem_mib,request_disk_mib,request_gpus,"
         "agent,group,host_version,isolation,attempts,"
         "submit_s,first_launch_s,launch_s,running_s,end_s,"
         "queue_delay_s,pull_s,start_s,start_latency_s,state,reason\n";
}

TaskLog::TaskLog(OutputFile file, models::Cluster& cluster)
    : file_(std::move(file)), cluster_(cluster) {
  const models::ScenarioSpec& spec = cluster.spec();
  for (const auto& fw : spec.frameworks) {
    framework_fields_.push_back(CsvField(fw.name));
  }
  for (const auto& image : spec.images.images) image_fields_.push_back(CsvField(image.name));
  for (const auto& group : spec.groups) group_fields_.push_back(CsvField(group.name));
}

const std::string& TaskLog::RoleField(plugins::FrameworkId subscription) {
  const models::Master& master = cluster_.master();
  while (role_fields_.size() <= subscription.index()) {
    const plugins::FrameworkId next(static_cast<uint32_t>(role_fields_.size()));
    role_fields_.push_back(CsvField(master.role(master.framework(next).role).name));
  }
  return role_fields_[subscription.index()];
}

sim::Result<std::unique_ptr<TaskLog>> TaskLog::Open(const std::string& path,
                                                    models::Cluster& cluster) {
  SIM_ASSIGN_OR_RETURN(OutputFile file, OutputFile::Open(path));
  file.Write(Header());
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

// A Windows base version's name; empty for none (Linux, or a task without an image).
std::string_view VersionField(plugins::OsVersion v) {
  return v == plugins::OsVersion::kNone ? std::string_view() : plugins::OsVersionName(v);
}

// `to - from` in seconds when the last attempt reached `to` (a time of an earlier attempt, before
// the last launch, does not count): empty while not known, e.g. the pull of a task still STAGING.
void AppendSpan(std::string& out, sim::Time from, sim::Time to) {
  out += ',';
  if (from.IsMax() || to.IsMax() || to < from) return;
  AppendSeconds(out, to - from);
}

void AppendTime(std::string& out, sim::Time t) {
  out += ',';
  AppendSeconds(out, t);
}

}  // namespace

const std::string& TaskLog::AgentField(models::AgentId agent) {
  if (agent_fields_.size() <= agent.index()) agent_fields_.resize(agent.index() + 1);
  std::string& field = agent_fields_[agent.index()];
  if (field.empty()) field = CsvField(cluster_.master().agent(agent).name);
  return field;
}

void TaskLog::Write(const models::Task& t) {
  if (file_.get() == nullptr) return;
  const bool launched = !t.first_launch.IsMax();
  std::string& l = line_;
  l.clear();
  auto out = std::back_inserter(l);
  // Identity.
  fmt::format_to(out, "{},{},", t.id, t.job);
  l += framework_fields_[t.framework.index()];
  l += ',';
  // Until launched a task is allocated to no role: it shows its framework's first.
  l += RoleField(launched ? t.subscription : cluster_.master().subscriptions(t.framework).front());
  l += ',';
  l += plugins::OsName(t.os);
  l += ',';
  if (t.has_image) l += image_fields_[t.image.index()];
  l += ',';
  l += VersionField(t.image_version);
  // Request.
  for (int kind : {plugins::kCpus, plugins::kMem, plugins::kDisk, plugins::kGpus}) {
    l += ',';
    AppendFixedPoint(l, t.resources.Raw(kind), plugins::Resources::kScale);
  }
  // Placement (of the last launch).
  l += ',';
  if (launched) {
    const plugins::AgentInfo& agent = cluster_.master().agent(t.agent);
    l += AgentField(t.agent);
    l += ',';
    const uint32_t group = cluster_.agent_group(t.agent);
    if (group < group_fields_.size()) l += group_fields_[group];
    l += ',';
    l += VersionField(agent.os_version);
    l += ',';
    l += plugins::IsolationName(t.isolation);
  } else {
    l += ",,,";  // group, host_version, isolation
  }
  fmt::format_to(out, ",{}", t.attempts);
  // Times.
  AppendTime(l, t.submitted);
  AppendTime(l, t.first_launch);
  AppendTime(l, t.launched);
  AppendTime(l, t.running >= t.launched ? t.running : sim::Time::Max());
  // `ended` also marks an attempt that is retried: a live task has no end yet.
  AppendTime(l, models::IsTerminal(t.state) ? t.ended : sim::Time::Max());
  AppendSpan(l, t.submit_known ? t.submitted : sim::Time::Max(), t.first_launch);
  AppendSpan(l, t.launched, t.started);
  AppendSpan(l, t.started >= t.launched ? t.started : sim::Time::Max(), t.running);
  AppendSpan(l, t.launched, t.running);
  // Outcome.
  l += ',';
  l += models::TaskStateName(t.state);
  l += ',';
  l += ReasonField(t);
  l += '\n';
  file_.Write(l);
}

sim::Status TaskLog::Close(const CloseProgress& progress) {
  if (file_.get() == nullptr) return sim::Status::Ok();
  std::vector<const models::Task*> live;
  cluster_.tasks().ForEachLive(
      [&](models::TaskSlot, const models::Task& t) { live.push_back(&t); });
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (size_t i = 0; i < live.size(); ++i) {
    Write(*live[i]);
    if (progress && (i + 1) % kProgressEvery == 0) progress(i + 1, live.size());
  }
  return file_.Commit();
}

}  // namespace clustersim::results
