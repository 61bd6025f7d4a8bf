#pragma once

// A TraceHost for reader tests: a real simulator, and every call recorded with its time. Agents
// get dense ids; submitted tasks are counted per job (not stored, so whole traces fit).

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "models/spec.h"
#include "models/workload/trace_source.h"
#include "sim/simulator.h"

namespace clustersim::test {

// Capabilities these replays do not use (durations, gangs, recorded launches) fail the run.
class FakeTraceHost final : public models::TraceAgents,
                            public models::TraceSubmit,
                            public models::TraceTaskDurations,
                            public models::TraceGangs,
                            public models::TraceRecorded,
                            public models::TraceErrors {
 public:
  struct AgentCall {
    enum Kind { kAdd, kDown, kUp } kind;
    sim::Time at;
    uint32_t agent;
    plugins::AgentInfo info;  // for kAdd
  };
  struct JobSeen {
    sim::Time first_submit;
    uint64_t instances = 0;
    models::Task sample;   // the first instance
    size_t framework = 0;  // of the first instance
  };

  explicit FakeTraceHost(const models::ScenarioSpec& spec) : spec_(spec), sim_(spec.seed) {}

  // What a replay's Start takes: every capability of this host.
  operator models::TraceHost() {
    return models::TraceHost{sim_, spec_, *this, signals_, *this, *this, *this, *this, *this};
  }
  sim::Simulator& simulator() { return sim_; }
  const models::ScenarioSpec& spec() const { return spec_; }
  plugins::AgentId AddAgent(plugins::AgentInfo info, int) override {
    const plugins::AgentId id(static_cast<uint32_t>(agents_++));
    calls.push_back(
        {AgentCall::kAdd, sim_.Now(), static_cast<uint32_t>(id.index()), std::move(info)});
    return id;
  }
  void AgentDown(plugins::AgentId agent) override {
    calls.push_back({AgentCall::kDown, sim_.Now(), static_cast<uint32_t>(agent.index()), {}});
  }
  void AgentUp(plugins::AgentId agent) override {
    calls.push_back({AgentCall::kUp, sim_.Now(), static_cast<uint32_t>(agent.index()), {}});
  }
  void Submit(size_t framework, models::Task task) override {
    ++submitted;
    auto [it, inserted] = jobs.try_emplace(task.job);
    if (inserted) {
      it->second.first_submit = sim_.Now();
      it->second.sample = task;
      it->second.framework = framework;
      job_order.push_back(task.job);
    }
    ++it->second.instances;
  }
  uint64_t NewJobId() override { return next_job_++; }
  void UpdateAgent(plugins::AgentId, const plugins::Resources&) override {
    Unexpected("UpdateAgent");
  }
  models::TraceTask SubmitTracked(size_t, models::Task) override {
    Unexpected("SubmitTracked");
    return {};
  }
  bool SetTaskDuration(models::TraceTask, sim::Time) override {
    Unexpected("SetTaskDuration");
    return false;
  }
  void UseBatchQueue(size_t, models::BatchPolicy) override { Unexpected("UseBatchQueue"); }
  models::BatchStats QueueStats(size_t) const override { return {}; }
  void SubmitGang(size_t, models::Task, uint32_t, sim::Time) override { Unexpected("SubmitGang"); }
  models::TraceTask LaunchRecorded(size_t, models::Task, plugins::AgentId) override {
    Unexpected("LaunchRecorded");
    return {};
  }
  bool TakesRecordedLaunch(plugins::AgentId) const override { return true; }
  bool EndRecorded(models::TraceTask, models::TaskState, models::TaskReason) override {
    Unexpected("EndRecorded");
    return false;
  }
  double OvercommitMachineSeconds() const override { return 0; }
  void Fail(sim::Status error) override {
    if (failure.ok()) failure = std::move(error);
    sim_.RequestStop();
  }

  size_t Count(AgentCall::Kind kind) const {
    size_t n = 0;
    for (const AgentCall& c : calls) n += c.kind == kind;
    return n;
  }

  std::vector<AgentCall> calls;
  std::map<uint64_t, JobSeen> jobs;
  std::vector<uint64_t> job_order;
  uint64_t submitted = 0;
  sim::Status failure;

 private:
  void Unexpected(const char* call) {
    Fail(sim::Status::Error(std::string("FakeTraceHost: unexpected ") + call));
  }

  const models::ScenarioSpec& spec_;
  models::ClusterSignals signals_;
  sim::Simulator sim_;
  size_t agents_ = 0;
  uint64_t next_job_ = 1;
};

// A scratch folder for one test, removed at the end.
class TempFiles {
 public:
  TempFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("clustersim_trace_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_++));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

 private:
  static inline int next_ = 0;
  std::filesystem::path dir_;
};

inline std::string SharedTrace(const std::string& relative) {
  return std::string(CLUSTERSIM_SOURCE_DIR) + "/../shared/traces/" + relative;
}

}  // namespace clustersim::test
