#pragma once

#include <cstdint>
#include <span>

#include "scheduler_plugins/api/cluster_view.h"
#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/time.h"

namespace clustersim::plugins {

struct OfferView {
  OfferId id;
  AgentId agent;
  Resources resources;  // as offered
  // The agent's scheduled maintenance (Mesos's Offer.unavailability): a window from
  // unavailable_start lasting unavailable_duration. Max: none scheduled / for ever.
  sim::Time unavailable_start = sim::Time::Max();
  sim::Time unavailable_duration = sim::Time::Max();
};

struct TaskView {
  Resources resources;
  Os os = Os::kLinux;
  OsVersion image_version = OsVersion::kNone;
  ImageId image;
  bool has_image = false;
  // Tasks with equal shape have identical requirements (resources, OS, image, constraints): if one
  // cannot be placed in this round, no later one of the same shape can either.
  uint32_t shape = 0;
};

// One decision round of a framework: the offers it holds now and its pending tasks in queue
// order. The context owns feasibility (resources left in each offer, OS and image compatibility,
// the task's constraints — feasibility.h's rules — and max_tasks_per_offer) so that every
// placement policy applies the same rules; policies only choose among feasible pairs.
class PlacementContext {
 public:
  virtual ~PlacementContext() = default;
  virtual const ClusterView& cluster() const = 0;
  // The round's offers and pending tasks: fixed for the round (Place does not change them), so a
  // policy may keep the spans for the whole of Place.
  virtual std::span<const OfferView> offers() const = 0;
  virtual std::span<const TaskView> tasks() const = 0;
  // Resources still unclaimed in offer `offer_index` this round.
  virtual const Resources& remaining(size_t offer_index) const = 0;
  // Whether task `task_index` may go to offer `offer_index` given what was placed so far. O(1)
  // amortised (constraints with per-agent counts are kept incrementally).
  virtual bool CanPlace(size_t task_index, size_t offer_index) const = 0;
  // Claims the resources. Precondition: CanPlace(task_index, offer_index).
  virtual void Place(size_t task_index, size_t offer_index) = 0;
  // True once no offer can take any more tasks (lets policies stop scanning early).
  virtual bool Exhausted() const = 0;

  // --- What CanPlace decides with (API version 8) ----------------------------------------------
  // For a policy that decides out of process (scheduler_plugins/external/) and must apply the same
  // rules there. Beside remaining() and the task's OS and image (feasibility.h's CanRun):
  // The framework's limits: tasks per offer in one round, its tasks per agent (0: none).
  virtual int max_tasks_per_offer() const { return 0; }
  virtual int max_tasks_per_agent() const { return 0; }
  // Whether offer `o`'s agent carries every attribute the framework's constraints require.
  virtual bool attributes_match(size_t o) const { return true; }
  // The memory a container costs on offer `o`'s agent beyond its task's own (Hyper-V's VM), MiB.
  virtual double mem_overhead_mib(size_t o) const { return 0; }
  // The framework's tasks on offer `o`'s agent now, those placed this round included.
  virtual uint32_t tasks_on_agent(size_t o) const { return 0; }
  // Tasks placed into offer `o` this round.
  virtual uint32_t placed_in(size_t o) const { return 0; }
  // Whether CanPlace also applies job constraints (a trace's different-machine tasks): described by
  // task_job, task_different_machine and job_tally below.
  virtual bool has_job_constraints() const { return false; }
  // Adds `t` of simulated time to the round's decision time (the framework answers that much
  // later): how an external policy with `charge_wall_time` charges the wall time it took. The
  // default ignores it. (API version 9.)
  virtual void ChargeDecisionTime(sim::Time t) {}
  // Task t's id, unique over the run and the same from round to round while it waits: for a
  // policy that keeps the queue between rounds (an external policy's queue deltas). The default
  // numbers the round's tasks, which keeps no identity. (API version 9.)
  virtual uint64_t task_id(size_t t) const { return t; }
  // How long the master should filter offer o's agent for this framework after the answer (Mesos's
  // Filters.refuse_seconds on the decline, or on the accept's unused rest): instead of the
  // framework's `refuse_seconds`. The default ignores it. (API version 9.)
  virtual void SetRefuse(size_t o, sim::Time refuse) {}
  // Suppress offers after this round's answer (Mesos's SUPPRESS call), even with tasks pending;
  // the framework revives when new work arrives (a task submitted or retried). The default
  // ignores it. (API version 9.)
  virtual void Suppress() {}
  // With has_job_constraints(), what CanPlace's job rule reads (a trace's different-machine
  // tasks): task t's job and whether it must not share a machine with its job's other tasks, and
  // the tally of `job` on offer o's agent now, this round's placements included — its tasks there
  // and how many of them are different-machine ones. A task that must be alone may go where its
  // job has no task; any other task where its job has no different-machine task. (API version 9.)
  struct JobTally {
    uint32_t tasks = 0;
    uint32_t different_machine = 0;
  };
  virtual uint64_t task_job(size_t t) const { return 0; }
  virtual bool task_different_machine(size_t t) const { return false; }
  virtual JobTally job_tally(size_t o, uint64_t job) const { return {}; }
};

// Framework side: which offered agents get which pending tasks.
class PlacementPolicy {
 public:
  virtual ~PlacementPolicy() = default;
  // Calls ctx.Place for the tasks it launches this round; tasks it leaves wait for later offers.
  virtual void Place(PlacementContext& ctx) = 0;
};

}  // namespace clustersim::plugins
