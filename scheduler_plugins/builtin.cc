#include "scheduler_plugins/builtin.h"

#include <map>
#include <memory>
#include <string>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/allocators/fifo.h"
#include "scheduler_plugins/allocators/locality_drf.h"
#include "scheduler_plugins/allocators/random.h"
#include "scheduler_plugins/api/quota.h"
#include "scheduler_plugins/api/registry.h"
#include "scheduler_plugins/external/external_allocator.h"
#include "scheduler_plugins/external/external_placement.h"
#include "scheduler_plugins/placements/best_fit.h"
#include "scheduler_plugins/placements/first_fit.h"
#include "scheduler_plugins/placements/image_locality.h"
#include "scheduler_plugins/placements/min_cost_flow.h"
#include "scheduler_plugins/placements/random_fit.h"
#include "scheduler_plugins/placements/spread.h"
#include "scheduler_plugins/placements/tetris.h"

namespace clustersim::plugins {
namespace {

using AllocatorResult = sim::Result<std::unique_ptr<AllocatorPolicy>>;
using PlacementResult = sim::Result<std::unique_ptr<PlacementPolicy>>;

// A factory for a policy that takes no parameters.
template <typename Policy, typename Base>
sim::Result<std::unique_ptr<Base>> Plain(PolicyParams&, const PolicyEnv&) {
  return std::unique_ptr<Base>(std::make_unique<Policy>());
}

// priority: {name: priority, priorities: {prod: 10, batch: 1}, default_priority: 0}
AllocatorResult MakePriority(PolicyParams& params, const PolicyEnv&) {
  std::map<std::string, double> priorities;
  SIM_ASSIGN_OR_RETURN(PolicyParams * map, params.Map("priorities"));
  if (map != nullptr) {
    for (const std::string& role : map->Keys()) {
      SIM_ASSIGN_OR_RETURN(priorities[role], map->Number(role, 0, -1e9, 1e9));
    }
  }
  SIM_ASSIGN_OR_RETURN(const double default_priority,
                       params.Number("default_priority", 0, -1e9, 1e9));
  SIM_ASSIGN_OR_RETURN(const DrfTieBreak tie_break, ParseDrfTieBreak(params));
  return std::unique_ptr<AllocatorPolicy>(
      std::make_unique<DrfAllocator>(std::move(priorities), default_priority, tie_break));
}

// {external: [python3, sched.py], timeout: 60s}: placement decided by another process over
// scheduler_plugins/external/protocol.proto (issue 17); `external` may be one string, split as a
// shell would (without one). {socket: PATH} instead connects to a process listening there (one
// that started this simulator: python/clustersim/env.py).
struct ExternalCommand {
  std::vector<std::string> argv;
  std::string socket;
  std::chrono::milliseconds timeout{0};
  bool charge_wall_time = false;
  std::string shared;  // a process shared by the keys that name it
};

sim::Result<ExternalCommand> ParseExternal(PolicyParams& params) {
  ExternalCommand c;
  SIM_ASSIGN_OR_RETURN(c.argv, params.Strings("external", {}));
  SIM_ASSIGN_OR_RETURN(c.socket, params.String("socket", ""));
  if (c.argv.empty() == c.socket.empty()) {
    return params.Error("external", "a command [program, arg, ...], or instead `socket: PATH`");
  }
  SIM_ASSIGN_OR_RETURN(const sim::Time timeout,
                       params.Duration("timeout", sim::Time::Seconds(60), sim::Time::Millis(1)));
  c.timeout = std::chrono::milliseconds(timeout.micros() / 1000);
  // Opt-in: the answer's wall time becomes simulated decision time, so the run is no longer
  // deterministic (summary.json run.nondeterministic says so).
  SIM_ASSIGN_OR_RETURN(const std::string charge, params.String("charge_wall_time", "false"));
  if (charge != "true" && charge != "false")
    return params.Error("charge_wall_time", "true or false");
  c.charge_wall_time = charge == "true";
  SIM_ASSIGN_OR_RETURN(c.shared, params.String("shared", ""));
  return c;
}

PlacementResult MakeExternal(PolicyParams& params, const PolicyEnv& env) {
  SIM_ASSIGN_OR_RETURN(ExternalCommand c, ParseExternal(params));
  return std::unique_ptr<PlacementPolicy>(std::make_unique<external::ExternalPlacement>(
      std::move(c.argv), std::move(c.socket), c.timeout, env.owner, c.charge_wall_time,
      std::move(c.shared)));
}

// master.allocator: {external: [...], timeout: 60s} or {socket: PATH}: the offer order decided
// by another process, one AllocationCycle and one AllocationOrder per cycle.
AllocatorResult MakeExternalAllocator(PolicyParams& params, const PolicyEnv&) {
  SIM_ASSIGN_OR_RETURN(ExternalCommand c, ParseExternal(params));
  return std::unique_ptr<AllocatorPolicy>(std::make_unique<external::ExternalAllocator>(
      std::move(c.argv), std::move(c.socket), c.timeout, c.charge_wall_time, std::move(c.shared)));
}

// drf: {name: drf, tie_break: mesos | registration}
AllocatorResult MakeDrf(PolicyParams& params, const PolicyEnv&) {
  SIM_ASSIGN_OR_RETURN(const DrfTieBreak tie_break, ParseDrfTieBreak(params));
  return std::unique_ptr<AllocatorPolicy>(std::make_unique<DrfAllocator>(tie_break));
}

// drf-quota: {name: drf-quota, quotas: {role: {guarantee: {cpus: 10, mem: 20GiB}, limit: {...}}}}
// An alias kept for old scenarios: quota is the master's (master.quotas, Mesos's two-stage cycle
// in models/master), so the policy is plain DRF. The quotas are validated here; the scenario
// loader hands them to the master (apps/scenario.cc), which enforces them.
AllocatorResult MakeDrfQuota(PolicyParams& params, const PolicyEnv&) {
  SIM_RETURN_IF_ERROR(ParseRoleQuotas(params).status());
  SIM_ASSIGN_OR_RETURN(const DrfTieBreak tie_break, ParseDrfTieBreak(params));
  return std::unique_ptr<AllocatorPolicy>(std::make_unique<DrfAllocator>(tie_break));
}

AllocatorResult MakeLocalityDrf(PolicyParams& params, const PolicyEnv&) {
  SIM_ASSIGN_OR_RETURN(const double slack, params.Number("share_slack", 0.25, 0, 1e9));
  SIM_ASSIGN_OR_RETURN(const DrfTieBreak tie_break, ParseDrfTieBreak(params));
  return std::unique_ptr<AllocatorPolicy>(std::make_unique<LocalityDrfAllocator>(slack, tie_break));
}

PlacementResult MakeMinCostFlow(PolicyParams& params, const PolicyEnv&) {
  MinCostFlowOptions o;
  SIM_ASSIGN_OR_RETURN(o.load_cost_s, params.Number("load_cost_s", o.load_cost_s, 0, 1e6));
  SIM_ASSIGN_OR_RETURN(o.unscheduled_cost_s,
                       params.Number("unscheduled_cost_s", o.unscheduled_cost_s, 1, 1e9));
  SIM_ASSIGN_OR_RETURN(o.default_bandwidth_mibps,
                       params.Number("default_bandwidth_mibps", o.default_bandwidth_mibps, 0, 1e9));
  SIM_ASSIGN_OR_RETURN(o.default_extract_mibps,
                       params.Number("default_extract_mibps", o.default_extract_mibps, 0, 1e9));
  SIM_ASSIGN_OR_RETURN(const double max_tasks, params.Number("max_tasks", o.max_tasks, 1, 1e6));
  SIM_ASSIGN_OR_RETURN(const double max_solves, params.Number("max_solves", o.max_solves, 1, 100));
  if (max_tasks != static_cast<int>(max_tasks)) return params.Error("max_tasks", "an integer");
  if (max_solves != static_cast<int>(max_solves)) return params.Error("max_solves", "an integer");
  o.max_tasks = static_cast<int>(max_tasks);
  o.max_solves = static_cast<int>(max_solves);
  return std::unique_ptr<PlacementPolicy>(std::make_unique<MinCostFlowPlacement>(o));
}

sim::Status RegisterAll() {
  AllocatorRegistry& a = Allocators();
  SIM_RETURN_IF_ERROR(
      a.Register("drf",
                 "hierarchical weighted Dominant Resource Fairness, ties as Mesos's DRF sorter "
                 "[tie_break: mesos | registration]",
                 MakeDrf));
  SIM_RETURN_IF_ERROR(a.Register(
      "random", "a seeded random order every time: roles weighted, frameworks shuffled (Mesos)",
      [](PolicyParams&, const PolicyEnv& env) -> AllocatorResult {
        return std::unique_ptr<AllocatorPolicy>(std::make_unique<RandomAllocator>(env.rng));
      }));
  SIM_RETURN_IF_ERROR(a.Register(
      "drf-quota",
      "drf, with its legacy `quotas` parameter fed to master.quotas (Mesos's two-stage quota "
      "cycle) [quotas: {role: {guarantee: {..}, limit: {..}}}, tie_break]",
      MakeDrfQuota));
  SIM_RETURN_IF_ERROR(a.Register("fifo",
                                 "frameworks in registration order, first come first served",
                                 Plain<FifoAllocator, AllocatorPolicy>));
  SIM_RETURN_IF_ERROR(a.Register("priority",
                                 "roles by priority (highest first), DRF within a level "
                                 "[priorities: {role: n}, default_priority: 0, tie_break]",
                                 MakePriority));
  SIM_RETURN_IF_ERROR(a.Register(
      "locality-drf",
      "DRF, but each agent goes first to frameworks whose pending work runs there with a warm "
      "image [share_slack: 0.25, tie_break]",
      MakeLocalityDrf));
  SIM_RETURN_IF_ERROR(a.Register("external",
                                 "the offer order decided by another process over "
                                 "protocol.proto: {external: [program, args...], timeout: 60s}",
                                 MakeExternalAllocator));

  PlacementRegistry& p = Placements();
  SIM_RETURN_IF_ERROR(p.Register("external",
                                 "decided by another process over protocol.proto: "
                                 "{external: [program, args...], timeout: 60s}",
                                 MakeExternal));
  SIM_RETURN_IF_ERROR(p.Register("first-fit",
                                 "each task to the first offer that fits, in arrival order",
                                 Plain<FirstFitPlacement, PlacementPolicy>));
  SIM_RETURN_IF_ERROR(p.Register("best-fit",
                                 "each task to the offer it leaves fullest (bin packing by the "
                                 "dominant remaining resource)",
                                 Plain<BestFitPlacement, PlacementPolicy>));
  SIM_RETURN_IF_ERROR(p.Register("spread",
                                 "each task to the emptiest offer (worst fit), fewest tasks first",
                                 Plain<SpreadPlacement, PlacementPolicy>));
  SIM_RETURN_IF_ERROR(p.Register(
      "random-fit",
      "each task to a random offer it fits (draws with replacement; one it does not fit is "
      "dropped for that task), as the Omega simulator's scheduleJob",
      [](PolicyParams&, const PolicyEnv& env) -> PlacementResult {
        return std::unique_ptr<PlacementPolicy>(std::make_unique<RandomFitPlacement>(env.rng));
      }));
  SIM_RETURN_IF_ERROR(p.Register(
      "tetris", "best-aligned (task, offer) pair first: demand · free, normalised (Grandl'14)",
      Plain<TetrisPlacement, PlacementPolicy>));
  SIM_RETURN_IF_ERROR(p.Register("image-locality",
                                 "each task to the offer with the least of its image to download",
                                 Plain<ImageLocalityPlacement, PlacementPolicy>));
  SIM_RETURN_IF_ERROR(p.Register(
      "min-cost-flow",
      "Quincy-style min-cost flow per round (Boost.Graph): start latency + load "
      "[load_cost_s, unscheduled_cost_s, default_bandwidth_mibps, default_extract_mibps, "
      "max_tasks, max_solves]",
      MakeMinCostFlow));
  return sim::Status::Ok();
}

}  // namespace

sim::Status RegisterBuiltinPolicies() {
  static const sim::Status status = RegisterAll();
  return status;
}

}  // namespace clustersim::plugins
