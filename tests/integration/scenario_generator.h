#pragma once

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace clustersim::test {

// Random but valid scenarios that combine the features a hand-written test rarely puts together:
// a mixed Windows/Linux cell with reservations, GPUs and seeded agent failures; flat roles, role
// trees and multi-role frameworks; quotas, weights and their run-time updates; offer constraints
// and per-framework min_allocatable; every allocator, placement and architecture; faults, master
// failovers, maintenance windows with drains, servicing image updates, the cost model, and a
// google2011 or alibaba2018 replay (demand or recorded) of generated machine and task tables. Small
// (at most ~30 agents, a few simulated minutes), so that a run takes well under a second; a few
// run 12-15 minutes with a master failover early on (LongRun), so that what happens at the new
// leader's 10-minute agent_reregister_timeout is inside the run. The same seed gives the same
// document.
class ScenarioGenerator {
 public:
  // With `python_examples` (the repository's python/examples), a few scenarios also decide
  // offers or placements in Python (drf_allocator.py, first_fit.py through /usr/bin/python3).
  // Without `traces`, no google2011 replay is drawn: the documents of the generator before it
  // drew them (seeds that found bugs then).
  explicit ScenarioGenerator(uint64_t seed, std::string python_examples = "", bool traces = true);
  std::string Yaml();
  // Files the scenario names beside it (a generated google2011 trace), by relative name: write
  // them into the scenario's folder. Complete after Yaml().
  const std::vector<std::pair<std::string, std::string>>& Files() const { return files_; }

 private:
  struct Group {
    std::string name;
    bool windows = false;
    std::string version;  // Windows only
    bool hyperv = false;
    int count = 0;
    bool gpus = false;
  };
  struct Framework {
    std::string name;
    std::vector<std::string> roles;
  };

  bool Chance(double p);
  int Int(int lo, int hi);  // inclusive
  // Draws for keys added after many seeds were hunted (from session 29 on): a stream of their
  // own, so each seed's document keeps every line it had and only gains the new keys.
  bool LateChance(double p);
  int LateInt(int lo, int hi);  // inclusive
  // Long runs (from session 32 on) draw from a third stream: a seed that is not one keeps its
  // document byte for byte.
  int LongInt(int lo, int hi);  // inclusive
  template <typename T>
  const T& Pick(const std::vector<T>& from) {
    return from[static_cast<size_t>(Int(0, static_cast<int>(from.size()) - 1))];
  }
  std::string Duration(int lo_s, int hi_s);

  void PlanGroupsAndFrameworks();
  void WriteMaster();
  void WriteQuotasAndWeights();
  void WriteRuntimeAndImages();
  void WriteGroups();
  void WriteGroup(const Group& g);
  void WriteFrameworks();
  void WriteFramework(const Framework& f);
  void WriteOfferConstraints(const Framework& f);
  void WriteWorkload();
  void DrawFaults();
  void DrawAgentAndMasterFaults(std::ostringstream& out);
  void WriteFaults();
  void WriteMaintenance();
  void WriteTrace();
  void WriteGoogleTrace();
  std::string MachineEvents(int machines);
  std::string TaskEvents(int machines);
  void WriteAlibabaTrace();
  std::string MachineMeta(int machines);
  // batch_task rows, and batch_instance rows of their instances on machines m_1..m_machines.
  std::pair<std::string, std::string> BatchTasksAndInstances(int machines);
  std::vector<std::string> TopLevelRoles() const;
  static std::string FirstAgent(const Group& g);

  uint64_t seed_;
  std::string python_examples_;
  bool traces_ = true;
  std::mt19937_64 rng_;
  std::mt19937_64 late_rng_;
  std::mt19937_64 long_rng_;
  // A 12-15 minute run with a master failover in its first two minutes, some of whose agents
  // come back only after the leader's 10-minute deadline, faults and maintenance windows on top.
  bool long_run_ = false;
  std::ostringstream out_;
  std::string architecture_ = "two-level";
  bool gpu_agents_ = false;
  bool racks_ = false;  // some group has racks: r0 exists
  std::vector<Group> groups_;
  std::vector<Framework> frameworks_;
  int duration_s_ = 180;
  std::string fault_entries_;     // DrawFaults: agent and master faults
  std::string disconnect_entry_;  // DrawFaults: a framework_disconnect, unless recorded
  bool recorded_ = false;
  std::vector<std::pair<std::string, std::string>> files_;
};

// The seeds a property test runs: 1..default_count, or what the environment variable `name` says
// (N: 1..N; A-B: A..B, for a hunt that carries on where the last stopped). A value it cannot read
// ends the program with a message rather than running the default quietly.
std::pair<int, int> SeedRange(const char* name, int default_count);

}  // namespace clustersim::test
