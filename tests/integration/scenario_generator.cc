#include "scenario_generator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace clustersim::test {
namespace {

constexpr int64_t kMicros = 1000000;

// Role names the frameworks draw from: flat roles, a role tree under `eng` (with `eng` itself
// holding frameworks too, so that it has a virtual leaf `eng/.`), and `ops`.
const std::vector<std::string> kRoles = {"web", "batch", "eng", "eng/web", "eng/batch", "ops"};
const std::vector<std::string> kAllocators = {"drf",
                                              "drf",
                                              "drf",
                                              "random",
                                              "fifo",
                                              "locality-drf",
                                              "{name: drf, tie_break: registration}",
                                              "{name: priority, priorities: {web: 2, eng: 1}}"};
const std::vector<std::string> kPlacements = {
    "first-fit",  "first-fit", "best-fit",       "spread",
    "random-fit", "tetris",    "image-locality", "{name: min-cost-flow, max_tasks: 16}"};

}  // namespace

ScenarioGenerator::ScenarioGenerator(uint64_t seed, std::string python_examples, bool traces)
    : seed_(seed), python_examples_(std::move(python_examples)), traces_(traces), rng_(seed) {}

bool ScenarioGenerator::Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

int ScenarioGenerator::Int(int lo, int hi) { return std::uniform_int_distribution(lo, hi)(rng_); }

bool ScenarioGenerator::LateChance(double p) { return std::bernoulli_distribution(p)(late_rng_); }

int ScenarioGenerator::LateInt(int lo, int hi) {
  return std::uniform_int_distribution(lo, hi)(late_rng_);
}

int ScenarioGenerator::LongInt(int lo, int hi) {
  return std::uniform_int_distribution(lo, hi)(long_rng_);
}

std::string ScenarioGenerator::Duration(int lo_s, int hi_s) {
  return std::to_string(Int(lo_s, hi_s)) + "s";
}

std::string ScenarioGenerator::Yaml() {
  // From the seed every time: a second call gives the same document.
  rng_.seed(seed_);
  late_rng_.seed(seed_ ^ 0x5eed1a7e5eed1a7eULL);
  long_rng_.seed(seed_ ^ 0x10e6a11ea5eedULL);
  gpu_agents_ = racks_ = recorded_ = false;
  out_.str("");
  duration_s_ = Int(90, 240);
  long_run_ = LongInt(1, 100) <= 12 && traces_;  // without traces: the documents of old
  if (long_run_) duration_s_ = LongInt(750, 900);
  out_ << "name: random-" << seed_ << "\nseed: " << seed_ << "\nduration: " << duration_s_ << "s\n";
  PlanGroupsAndFrameworks();
  WriteMaster();
  WriteRuntimeAndImages();
  WriteGroups();
  WriteFrameworks();
  DrawFaults();
  WriteMaintenance();
  WriteTrace();  // last, so that the draws above are those of a generator without traces
  WriteFaults();
  out_ << "results: {sample_interval: 10s}\n";
  return out_.str();
}

void ScenarioGenerator::PlanGroupsAndFrameworks() {
  const double mode = std::uniform_real_distribution(0.0, 1.0)(rng_);
  architecture_ = mode < 0.8 ? "two-level" : mode < 0.9 ? "monolithic" : "shared-state";
  groups_.clear();
  const int group_count = Int(1, 4);
  for (int i = 0; i < group_count; ++i) {
    Group g;
    g.name = "g" + std::to_string(i);
    g.windows = i > 0 && Chance(0.5);
    if (g.windows) {
      g.version = Chance(0.5) ? "ltsc2019" : "ltsc2022";
      g.hyperv = g.version == "ltsc2022" && Chance(0.5);
    }
    g.count = Chance(0.15) ? 1 : Int(2, 8);
    g.gpus = !g.windows && Chance(0.2);
    gpu_agents_ = gpu_agents_ || g.gpus;
    groups_.push_back(g);
  }
  frameworks_.clear();
  const int framework_count = Int(1, 5);
  for (int i = 0; i < framework_count; ++i) {
    Framework f;
    f.name = "f" + std::to_string(i);
    if (Chance(0.2)) {
      f.roles = {Pick(kRoles)};
      std::string second = Pick(kRoles);
      if (second != f.roles[0]) f.roles.push_back(second);
    } else {
      f.roles = {Pick(kRoles)};
    }
    frameworks_.push_back(f);
  }
}

std::string ScenarioGenerator::FirstAgent(const Group& g) {
  return g.count == 1 ? g.name : g.name + "-0";  // a group of one names its agent after itself
}

std::vector<std::string> ScenarioGenerator::TopLevelRoles() const {
  std::set<std::string> top;
  for (const Framework& f : frameworks_) {
    for (const std::string& role : f.roles) top.insert(role.substr(0, role.find('/')));
  }
  return {top.begin(), top.end()};
}

void ScenarioGenerator::WriteMaster() {
  out_ << "master:\n  architecture: " << architecture_ << "\n";
  if (architecture_ == "shared-state" && Chance(0.5)) {
    out_ << "  shared_state: {conflicts: " << (Chance(0.5) ? "coarse" : "fine")
         << ", commit: " << (Chance(0.5) ? "all-or-nothing" : "incremental") << "}\n";
  }
  out_ << "  allocation_interval: " << Pick(std::vector<std::string>{"1s", "1s", "250ms", "0"})
       << "\n  allocator: ";
  // drf_allocator.py orders flat roles only (it refuses a role tree with a clear error).
  const bool flat = std::none_of(frameworks_.begin(), frameworks_.end(), [](const Framework& f) {
    return std::any_of(f.roles.begin(), f.roles.end(),
                       [](const std::string& r) { return r.find('/') != std::string::npos; });
  });
  if (!python_examples_.empty() && flat && architecture_ == "two-level" && Chance(0.08)) {
    out_ << "{external: [/usr/bin/python3, " << python_examples_ << "/drf_allocator.py]}\n";
  } else {
    out_ << Pick(kAllocators) << "\n";
  }
  if (Chance(0.2)) out_ << "  offer_granularity: cell\n";
  if (Chance(0.2))
    out_ << "  offer_timeout: " << Duration(5, 60) << "\n";
  else if (Chance(0.05))
    out_ << "  offer_timeout: 1s\n";  // rescinds while frameworks decide
  if (Chance(0.2)) out_ << "  cost_model: true\n";
  if (Chance(0.15)) out_ << "  fair_sharing_excluded_resource_names: [gpus]\n";
  if (gpu_agents_ && Chance(0.3)) out_ << "  filter_gpu_resources: false\n";
  if (Chance(0.15)) out_ << "  min_allocatable: [{cpus: 1}, {mem: 512MiB}]\n";
  if (Chance(0.2)) out_ << "  agent_ping_timeout: " << Duration(1, 10) << "\n";
  if (Chance(0.15)) out_ << "  agent_removal_rate_limit: 30/min\n";
  if (Chance(0.15)) out_ << "  reregistration_kills_non_partition_aware: true\n";
  WriteQuotasAndWeights();
}

// Quotas and weights on the roles the frameworks use (quotas on top-level roles only, as Mesos
// 1.11), and a run-time update of either.
void ScenarioGenerator::WriteQuotasAndWeights() {
  const std::vector<std::string> top = TopLevelRoles();
  if (Chance(0.35)) {
    out_ << "  quotas:\n";
    const std::string role = Pick(top);
    out_ << "    " << role << ": {guarantee: {cpus: " << Int(1, 16) << ", mem: " << Int(1, 32)
         << "GiB}";
    if (Chance(0.5)) out_ << ", limit: {cpus: " << Int(16, 40) << "}";
    out_ << "}\n";
  }
  if (Chance(0.3)) out_ << "  role_weights: {" << Pick(top) << ": " << Int(2, 4) << "}\n";
  if (Chance(0.25)) {
    const std::string role = Pick(top);
    out_ << "  updates:\n    - {at: " << Duration(10, duration_s_ - 10) << ", role_weights: {"
         << role << ": " << Int(1, 5) << "}";
    if (Chance(0.5)) {
      out_ << ", quotas: {" << role << ": {guarantee: {cpus: " << Int(1, 8) << "}}}";
    } else if (Chance(0.3)) {
      out_ << ", quotas: {" << role << ": {}}";  // removes its quota, if any
    }
    out_ << "}\n";
  }
}

void ScenarioGenerator::WriteRuntimeAndImages() {
  if (Chance(0.3)) {
    out_ << "runtime:\n  executor_registration_timeout: " << (Chance(0.5) ? "10s" : "10m") << "\n";
    if (Chance(0.3)) out_ << "  pull_timeout: " << Duration(5, 120) << "\n";
    if (Chance(0.5)) {
      // Rebuilds the images above their bases (w19app's app layer too); a second one replaces
      // the first one's delta.
      out_ << "  image_updates:\n    - {at: " << Duration(0, 60)
           << ", os: windows, layer: {digest: kb1, download: 100MB}}\n";
      if (Chance(0.5)) {
        out_ << "    - {at: " << Duration(61, 120)
             << ", os: windows, version: ltsc2019, layer: {digest: kb2, download: 90MB}}\n";
      }
    }
  }
  out_ << "layers:\n"
          "  base: {download: 30MB}\n"
          "  app: {download: 50MB, disk: 120MB}\n"
          "  core19: {download: 800MB, disk: 2GB}\n"
          "  core22: {download: 700MB, disk: 2GB}\n"
          "  wapp: {download: 60MB, disk: 150MB}\n"
          "images:\n"
          "  - {name: lin, os: linux, layers: [base, app]}\n"
          "  - {name: lin2, os: linux, layers: [base]}\n"
          "  - {name: w19, os: windows, version: ltsc2019, layers: [core19]}\n"
          "  - {name: w22, os: windows, version: ltsc2022, layers: [core22]}\n"
          "  - {name: w19app, os: windows, version: ltsc2019, layers: [core19, wapp]}\n";
}

void ScenarioGenerator::WriteGroups() {
  out_ << "cluster:\n  groups:\n";
  for (const Group& g : groups_) WriteGroup(g);
}

void ScenarioGenerator::WriteGroup(const Group& g) {
  out_ << "    - name: " << g.name << "\n      count: " << g.count
       << "\n      os: " << (g.windows ? "windows" : "linux") << "\n";
  if (g.windows) {
    out_ << "      version: " << g.version
         << "\n      isolation: " << (g.hyperv ? "hyperv" : "process") << "\n";
  }
  const int cpus = Pick(std::vector<int>{2, 4, 8, 16});
  out_ << "      resources: {cpus: " << cpus << ", mem: " << cpus * Int(1, 4) << "GiB, disk: 50GiB"
       << (g.gpus ? ", gpus: 2" : "") << "}\n";
  if (Chance(0.25)) {
    out_ << "      racks: " << Int(1, 3) << "\n";
    racks_ = true;
  }
  if (Chance(0.2)) {
    out_ << "      reservations: {" << Pick(TopLevelRoles()) << ": {cpus: " << cpus / 2
         << ", mem: 1GiB}}\n";
  }
  if (Chance(0.3)) out_ << "      image_store: " << Int(1, 4) << "GiB\n";
  if (Chance(0.3)) out_ << "      pull_bandwidth: " << Int(10, 200) << "MB/s\n";
  if (Chance(0.2)) out_ << "      preloaded_images: [" << (g.windows ? "w19" : "lin") << "]\n";
  if (Chance(0.2)) {
    out_ << "      failures: {mtbf: " << Duration(60, 600) << ", mttr: " << Duration(5, 120)
         << ", kind: " << (Chance(0.5) ? "crash" : "partition") << "}\n";
  }
}

void ScenarioGenerator::WriteFrameworks() {
  out_ << "frameworks:\n";
  for (const Framework& f : frameworks_) WriteFramework(f);
}

void ScenarioGenerator::WriteFramework(const Framework& f) {
  out_ << "  - name: " << f.name << "\n";
  if (f.roles.size() == 1 && Chance(0.8)) {
    out_ << "    role: " << f.roles[0] << "\n";
  } else {
    out_ << "    roles: [";
    for (size_t r = 0; r < f.roles.size(); ++r) out_ << (r ? ", " : "") << f.roles[r];
    out_ << "]\n";
  }
  if (!python_examples_.empty() && architecture_ == "two-level" && Chance(0.05)) {
    out_ << "    placement: {external: [/usr/bin/python3, " << python_examples_
         << "/first_fit.py]}\n";
  } else {
    out_ << "    placement: " << Pick(kPlacements) << "\n";
  }
  if (Chance(0.3)) out_ << "    refuse_seconds: " << (Chance(0.5) ? "0s" : "30s") << "\n";
  if (Chance(0.3)) out_ << "    suppress_when_idle: false\n";
  if (Chance(0.2)) out_ << "    max_tasks_per_offer: " << Int(1, 4) << "\n";
  if (Chance(0.3)) out_ << "    max_retries: " << Int(0, 5) << "\n";
  if (Chance(0.3)) out_ << "    partition_aware: true\n";
  if (Chance(0.3)) out_ << "    checkpoint: false\n";
  if (LateChance(0.3)) {
    static const std::vector<std::string> kTimeouts = {"0s", "20s", "2m", "inf"};
    out_ << "    failover_timeout: " << kTimeouts[static_cast<size_t>(LateInt(0, 3))] << "\n";
  }
  if (LateChance(0.25)) {  // a killed task exits before its grace period ends, or at once
    out_ << "    sigterm_exit: " << (LateChance(0.3) ? 0 : LateInt(1, 8)) << "s\n";
  }
  if (Chance(0.2)) out_ << "    retry_backoff: none\n";
  if (Chance(0.3))
    out_ << "    maintenance: " << (Chance(0.5) ? "accept" : "{response: accept, ahead: 1m}")
         << "\n";
  if (Chance(0.3)) {
    out_ << "    decision_time: {per_offer: "
         << (Chance(0.2) ? "2s" : std::to_string(Int(0, 500)) + "us")
         << ", per_task: " << Int(0, 2000) << "us, per_job: " << Int(0, 20) << "ms}\n";
  }
  if (gpu_agents_ && Chance(0.5)) out_ << "    capabilities: [gpu_resources]\n";
  if (Chance(0.15)) out_ << "    min_allocatable: [{cpus: 2, mem: 1GiB}, {gpus: 1}]\n";
  if (Chance(0.4)) WriteOfferConstraints(f);
  WriteWorkload();
}

// An OS constraint (or an isolation/version regex) for every role, or by role.
void ScenarioGenerator::WriteOfferConstraints(const Framework& f) {
  auto groups_text = [&] {
    switch (Int(0, 3)) {
      case 0:
        return std::string("[[{attribute: os, equals: linux}]]");
      case 1:
        return std::string("[[{attribute: os, equals: windows}]]");
      case 2:
        return std::string(
            "[[{attribute: os, equals: windows}, {attribute: isolation, equals: hyperv}], "
            "[{attribute: os_version, not_exists: true}]]");
      default:
        return std::string(
            "[[{attribute: rack, exists: true}], [{attribute: os_version, "
            "matches: 'ltsc20(19|22)'}]]");
    }
  };
  if (f.roles.size() == 1 || Chance(0.5)) {
    out_ << "    offer_constraints: " << groups_text() << "\n";
    return;
  }
  out_ << "    offer_constraints: {" << f.roles[0] << ": " << groups_text() << "}\n";
}

void ScenarioGenerator::WriteWorkload() {
  out_ << "    workload:\n";
  if (Chance(0.7)) out_ << "      initial_jobs: " << Int(0, 12) << "\n";
  if (Chance(0.7)) {
    out_ << "      arrival: " << (Chance(0.7) ? "poisson" : "fixed")
         << "\n      rate: " << Int(1, 20) << "/min\n";
    if (Chance(0.2)) out_ << "      stop: " << Duration(30, duration_s_) << "\n";
    if (Chance(0.2)) out_ << "      max_jobs: " << Int(1, 20) << "\n";
  }
  out_ << "      tasks_per_job: "
       << (Chance(0.5) ? std::to_string(Int(1, 6)) : "{dist: uniform, min: 1, max: 8}") << "\n";
  switch (Int(0, 3)) {
    case 0:
      out_ << "      duration: service\n";
      break;
    case 1:
      out_ << "      duration: " << Duration(5, 120) << "\n";
      break;
    case 2:
      out_ << "      duration: {dist: lognormal, median: 30s, p99: 5m}\n";
      break;
    default:
      out_ << "      duration: {dist: exponential, mean: 40s}\n";
      break;
  }
  out_ << "      resources: {cpus: {dist: uniform, min: 0.5, max: " << Int(1, 6)
       << "}, mem: {dist: lognormal, median: 1GiB, p99: " << Int(2, 12) << "GiB}"
       << (gpu_agents_ && Chance(0.2) ? ", gpus: 1" : "") << "}\n";
  const double windows = Pick(std::vector<double>{0, 0, 0.5, 1});
  if (windows > 0) out_ << "      windows_fraction: " << windows << "\n";
  out_ << "      images: [lin, lin2, w19, w22, w19app]\n";
  const bool per_agent = Chance(0.3), on_rack = racks_ && Chance(0.15);
  if (per_agent || on_rack) {
    out_ << "      constraints: {";
    if (per_agent) out_ << "max_tasks_per_agent: " << Int(1, 3) << (on_rack ? ", " : "");
    if (on_rack) out_ << "attributes: {rack: r0}";
    out_ << "}\n";
  }
}

// Drawn here (the draws in their old place), written after the trace (WriteTrace decides
// whether it is a recorded replay, which a framework_disconnect cannot apply to).
void ScenarioGenerator::DrawFaults() {
  fault_entries_.clear();
  disconnect_entry_.clear();
  if (Chance(0.4) || long_run_) {
    std::ostringstream entries;
    DrawAgentAndMasterFaults(entries);
    fault_entries_ = entries.str();
  }
  if (architecture_ == "two-level" && LateChance(0.2)) {
    const Framework& f =
        frameworks_[static_cast<size_t>(LateInt(0, static_cast<int>(frameworks_.size()) - 1))];
    std::ostringstream entry;
    entry << "  - {kind: framework_disconnect, framework: " << f.name
          << ", at: " << LateInt(5, duration_s_) << "s";
    if (LateChance(0.7)) entry << ", duration: " << LateInt(1, 90) << "s";
    if (LateChance(0.3)) entry << ", every: " << LateInt(20, 60) << "s";
    entry << "}\n";
    disconnect_entry_ = entry.str();
  }
}

void ScenarioGenerator::WriteFaults() {
  const std::string disconnect = recorded_ ? "" : disconnect_entry_;
  if (fault_entries_.empty() && disconnect.empty()) return;
  out_ << "faults:\n" << fault_entries_ << disconnect;
}

void ScenarioGenerator::DrawAgentAndMasterFaults(std::ostringstream& out) {
  const Group& g = Pick(groups_);
  const std::string target = Chance(0.3)             ? "agents: [" + FirstAgent(g) + "]"
                             : racks_ && Chance(0.3) ? "rack: r0"
                                                     : "group: " + g.name + ", count: 1";
  out << "  - {kind: agent_crash, at: " << Duration(5, duration_s_) << ", " << target
      << ", duration: " << Duration(5, 120) << "}\n";
  if (Chance(0.5)) {
    out << "  - {kind: agent_partition, at: " << Duration(5, duration_s_)
        << ", fraction: 0.5, duration: " << Duration(5, 150) << "}\n";
  }
  if (Chance(0.4)) {
    out << "  - {kind: agent_partition, at: 10s, every: 40s, count: 1, duration: "
        << Duration(3, 60) << "}\n";
  }
  if (Chance(0.4) || long_run_) {
    // A long run's failover comes early enough for its deadline to fall inside the run; its
    // reregistration window is often longer than the deadline (late agents).
    const std::string at =
        long_run_ ? std::to_string(LongInt(10, 120)) + "s" : Duration(10, duration_s_);
    out << "  - {kind: master_failover, at: " << at << ", election: " << Duration(1, 15)
        << ", reregistration_window: ";
    if (long_run_ && LongInt(1, 10) <= 6) {
      out << LongInt(11, 14) << "m}\n";
    } else {
      out << Duration(1, 20) << "}\n";
    }
  }
}

// Windows on distinct groups (an agent may be in one window only): drained or not, rolling or
// not, back or never back.
void ScenarioGenerator::WriteMaintenance() {
  if (!Chance(0.35) && !long_run_) return;
  out_ << "maintenance:\n";
  const size_t windows = std::min<size_t>(groups_.size(), static_cast<size_t>(Int(1, 2)));
  for (size_t w = 0; w < windows; ++w) {
    const Group& g = groups_[w];
    const bool one_machine = Chance(0.3);
    if (one_machine) {
      out_ << "  - {machines: [" << FirstAgent(g) << "], start: " << Duration(5, duration_s_);
    } else {
      out_ << "  - {groups: [" << g.name << "], start: " << Duration(5, duration_s_);
    }
    const bool finite = Chance(0.8);
    if (finite) out_ << ", duration: " << Duration(10, 90);
    if (finite && !one_machine && g.count > 1 && Chance(0.5))
      out_ << ", batch: " << Int(1, g.count) << ", gap: 5s";
    if (Chance(0.5)) {
      out_ << ", drain: {before: " << Duration(1, 60) << ", max_grace_period: " << Duration(0, 10)
           << "}";
    }
    out_ << "}\n";
  }
}

// A trace replay beside the generated cell, in demand or recorded mode: machines that join (some
// before the window, some during it), leave, come back (and, in google2011, are resized); tasks
// submitted, scheduled on those machines (or on one that is down or unknown), resubmitted, ended
// every way or never.
void ScenarioGenerator::WriteTrace() {
  files_.clear();
  if (!traces_) return;
  // Nothing draws after the trace, so the alibaba2018 draw, made only where no google2011 trace
  // was drawn, leaves the google2011 documents as they were before alibaba2018 joined.
  if (Chance(0.25)) {
    recorded_ = Chance(0.5);
    WriteGoogleTrace();
  } else if (Chance(0.2)) {
    recorded_ = Chance(0.5);
    WriteAlibabaTrace();
  }
}

void ScenarioGenerator::WriteGoogleTrace() {
  const int machines = Int(1, 8);
  files_.emplace_back("machine_events.csv", MachineEvents(machines));
  files_.emplace_back("task_events.csv", TaskEvents(machines));
  out_ << "trace:\n  format: google2011\n  mode: " << (recorded_ ? "recorded" : "demand")
       << "\n  paths: {machine_events: machine_events.csv, task_events: task_events.csv}\n"
       << "  machine_size: {cpus: 16, mem: 32GiB}\n";
  const size_t n = frameworks_.size();
  switch (Int(0, 3)) {
    case 0:
      out_ << "  map_to_frameworks: all\n";
      break;
    case 1:
      out_ << "  map_to_frameworks: user\n";
      break;
    case 2:
      out_ << "  map_to_frameworks: scheduling_class\n";
      break;
    default:
      if (n > 1) {
        out_ << "  map_to_frameworks: {by: priority_band, priority_edges: [";
        for (size_t e = 1; e < n; ++e) out_ << (e > 1 ? ", " : "") << e * 11 / n;
        out_ << "]}\n";
      }
      break;
  }
  if (Chance(0.5)) {
    out_ << "  os: {windows_machines: " << Pick(std::vector<std::string>{"0", "0.3", "1"})
         << ", windows_tasks: " << Pick(std::vector<std::string>{"0", "0.3", "1"})
         << ", windows_images: [w19, w22], linux_images: [lin]}\n";
  }
  if (Chance(0.3)) out_ << "  machine_remove: " << (Chance(0.5) ? "crash" : "removed") << "\n";
  if (!recorded_ && Chance(0.3)) out_ << "  lookahead: " << Duration(1, 60) << "\n";
  if (recorded_ || Chance(0.3)) out_ << "  duration: " << duration_s_ << "s\n";
}

std::string ScenarioGenerator::MachineEvents(int machines) {
  struct Row {
    int64_t time;
    int machine, type;
    std::string capacity;
  };
  std::vector<Row> rows;
  auto capacity = [&] {
    return Pick(std::vector<std::string>{"0.25,0.25", "0.5,0.5", "1,1", "0.5,", ","});
  };
  const int64_t end = int64_t{duration_s_} * kMicros;
  for (int m = 1; m <= machines; ++m) {
    int64_t t = Chance(0.7) ? 0 : Int(1, duration_s_ - 1) * kMicros;
    rows.push_back({t, m, 0, capacity()});
    while (Chance(0.4)) {
      t += Int(1, 60) * kMicros;
      if (t >= end) break;
      const int type = Chance(0.5) ? 1 : 2;  // REMOVE, then a later ADD; or UPDATE
      rows.push_back({t, m, type, type == 2 ? capacity() : ","});
      if (type == 1 && Chance(0.6)) {
        t += Int(1, 60) * kMicros;
        rows.push_back({t, m, 0, capacity()});
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.time < b.time; });
  std::ostringstream text;
  for (const Row& r : rows) {
    text << r.time << "," << r.machine << "," << r.type << ",platform," << r.capacity << "\n";
  }
  return text.str();
}

std::string ScenarioGenerator::TaskEvents(int machines) {
  struct Row {
    int64_t time;
    int job, index, machine, type, user, sched, priority;
  };
  std::vector<Row> rows;
  const int jobs = Int(1, 12);
  for (int j = 1; j <= jobs; ++j) {
    const int user = Int(0, 3), sched = Int(0, 3), priority = Int(0, 11);
    const int tasks = Int(1, 6);
    const int64_t submit = Chance(0.2) ? 0 : Int(1, duration_s_) * kMicros;
    for (int i = 0; i < tasks; ++i) {
      int64_t t = submit;
      for (int attempt = 0; attempt < 2; ++attempt) {
        rows.push_back({t, j, i, 0, 0, user, sched, priority});
        if (Chance(0.1)) break;  // never scheduled
        t += Int(0, 30) * kMicros;
        const int machine = Int(1, machines + (Chance(0.1) ? 1 : 0));  // maybe no such machine
        rows.push_back({t, j, i, machine, 1, user, sched, priority});
        if (Chance(0.2)) break;  // runs until the replay ends
        t += Int(1, 90) * kMicros;
        const int end_type = Int(2, 6);  // EVICT, FAIL, FINISH, KILL, LOST
        rows.push_back({t, j, i, machine, end_type, user, sched, priority});
        if (end_type != 2 || !Chance(0.5)) break;  // an evicted task is resubmitted
        t += Int(0, 10) * kMicros;
      }
    }
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.time < b.time; });
  std::ostringstream text;
  for (const Row& r : rows) {
    text << r.time << ",," << r.job << "," << r.index << ",";
    if (r.type != 0) text << r.machine;
    text << "," << r.type << ",user" << r.user << "," << r.sched << "," << r.priority
         << ",0.05,0.04,0.001," << (r.job % 3 == 0 ? 1 : 0) << "\n";
  }
  return text.str();
}

// Alibaba cluster-trace-v2018: machine_meta grouped by machine (status snapshots in seconds),
// batch_task jobs whose task names encode a DAG, batch_instance rows for the recorded mode (and,
// in demand mode, their recorded durations).
void ScenarioGenerator::WriteAlibabaTrace() {
  const int machines = Int(1, 6);
  const bool with_meta = recorded_ || Chance(0.7);
  const bool with_tasks = recorded_ || !with_meta || Chance(0.7);
  const bool with_instances = recorded_ || (with_tasks && Chance(0.5));
  out_ << "trace:\n  format: alibaba2018\n  mode: " << (recorded_ ? "recorded" : "demand")
       << "\n  paths: {";
  const char* sep = "";
  if (with_meta) {
    files_.emplace_back("machine_meta.csv", MachineMeta(machines));
    out_ << "machine_meta: machine_meta.csv";
    sep = ", ";
  }
  const auto [tasks, instances] = BatchTasksAndInstances(machines);
  if (with_tasks) {
    files_.emplace_back("batch_task.csv", tasks);
    out_ << sep << "batch_task: batch_task.csv";
  }
  if (with_instances) {
    files_.emplace_back("batch_instance.csv", instances);
    out_ << ", batch_instance: batch_instance.csv";
  }
  out_ << "}\n  machine_size: {cpus: 16, mem: 32GiB}\n";
  if (Chance(0.3)) out_ << "  machine_remove: " << (Chance(0.5) ? "crash" : "removed") << "\n";
  if (Chance(0.5)) {
    out_ << "  os: {windows_machines: " << Pick(std::vector<std::string>{"0", "0.3", "1"})
         << ", windows_tasks: " << Pick(std::vector<std::string>{"0", "0.3", "1"})
         << ", windows_images: [w19, w22], linux_images: [lin]}\n";
  }
  if (recorded_ || Chance(0.3)) out_ << "  duration: " << duration_s_ << "s\n";
}

std::string ScenarioGenerator::MachineMeta(int machines) {
  std::ostringstream text;
  for (int m = 1; m <= machines; ++m) {
    int t = Chance(0.7) ? 0 : Int(1, duration_s_ - 1);
    const int cpus = Pick(std::vector<int>{4, 8, 16});
    const int mem = Pick(std::vector<int>{25, 50, 100});
    text << "m_" << m << "," << t << ",1,1," << cpus << "," << mem << ",USING\n";
    while (Chance(0.4)) {
      t += Int(1, 60);
      if (t >= duration_s_) break;
      text << "m_" << m << "," << t << ",1,1," << cpus << "," << mem << ","
           << (Chance(0.5) ? "IMPORT_INSTALLING" : "USING") << "\n";
    }
  }
  return text.str();
}

std::pair<std::string, std::string> ScenarioGenerator::BatchTasksAndInstances(int machines) {
  const std::vector<std::string> kStatuses = {"Terminated", "Terminated",  "Failed",
                                              "Cancelled",  "Interrupted", "Running"};
  std::ostringstream tasks, instances;
  int instance_id = 0;
  const int jobs = Int(1, 6);
  for (int j = 1; j <= jobs; ++j) {
    const int job_start = Int(0, duration_s_);
    // M1 -> R2_1 -> J3_1_2 (a chain with a join), or independent tasks.
    const std::vector<std::string> names = Chance(0.6)
                                               ? std::vector<std::string>{"M1", "R2_1", "J3_1_2"}
                                               : std::vector<std::string>{"task_a", "task_b"};
    int t = job_start;
    for (const std::string& name : names) {
      const int count = Int(1, 4);
      const int start = t, end = t + Int(1, 60);
      const std::string status = Pick(kStatuses);
      tasks << name << "," << count << ",j_" << j << ",1," << status << "," << start << ","
            << (status == "Running" ? 0 : end) << "," << Int(50, 400) << "," << Int(1, 30) << "\n";
      for (int i = 0; i < count; ++i) {
        const std::string instance_status = Pick(kStatuses);
        const int i_start = Chance(0.1) ? 0 : start + Int(0, 5);
        const int i_end = instance_status == "Running" ? 0 : i_start + Int(1, 60);
        instances << "i" << ++instance_id << "," << name << ",j_" << j << ",1," << instance_status
                  << "," << i_start << "," << i_end << ",m_"
                  << Int(1, machines + (Chance(0.1) ? 1 : 0)) << ",1,1,,,,\n";
      }
      t = end;
    }
  }
  return {tasks.str(), instances.str()};
}

std::pair<int, int> SeedRange(const char* name, int default_count) {
  const char* text = std::getenv(name);
  if (text == nullptr) return {1, default_count};
  int from = 0, to = 0, used = 0;
  if (std::sscanf(text, "%d-%d%n", &from, &to, &used) == 2 && text[used] == '\0' && 0 < from &&
      from <= to) {
    return {from, to};
  }
  if (std::sscanf(text, "%d%n", &to, &used) == 1 && text[used] == '\0' && to > 0) return {1, to};
  std::fprintf(stderr, "%s=%s: expected N (seeds 1..N) or A-B (seeds A..B, 0 < A <= B)\n", name,
               text);
  std::exit(2);
}

}  // namespace clustersim::test
