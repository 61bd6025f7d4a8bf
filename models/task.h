#pragma once

#include <cstdint>
#include <string_view>

#include "scheduler_plugins/api/ids.h"
#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/resources.h"
#include "sim/event_queue.h"
#include "sim/time.h"

namespace clustersim::models {

using plugins::AgentId;
using plugins::FrameworkId;
using plugins::ImageId;

// Mesos task states, plus the two a task has before and instead of a launch.
enum class TaskState : uint8_t {
  kPending,   // queued in its framework
  kStaging,   // launched; agent pulling the image
  kStarting,  // image ready; container starting
  kRunning,
  kFinished,  // terminal
  kFailed,    // terminal (after retries)
  kKilled,    // terminal
  kLost,      // terminal (after retries)
  // Terminal (after retries): its agent became unreachable and its framework is partition-aware.
  // Mesos keeps TASK_UNREACHABLE non-terminal; here the framework relaunches the task elsewhere
  // like a LOST one, and a container that comes back with its agent is recovered only while the
  // task waits for that relaunch (Master: agent_lifecycle.cc).
  kUnreachable,
  kUnschedulable,  // terminal: no agent in the cluster could ever run it
};

std::string_view TaskStateName(TaskState s);

// Why a task did not finish normally: the reason vocabulary of tasks.csv's `reason` column and
// summary.json's tasks.by_reason (documented, state by state, in results/README.md). Closed:
// later models add values here (and to that table); they never rename or reuse one.
enum class TaskReason : uint8_t {
  kNone,  // finished normally, or still live
  // UNSCHEDULABLE: the first of these rules that rules out every agent (Cluster::Unschedulable).
  kNoAgents,           // the cluster had no agent when the task was submitted
  kConstraintUnmet,    // no agent carries the attributes its framework's constraints require
  kNoMatchingOs,       // no agent (of those carrying them) runs its OS
  kImageIncompatible,  // agents of its OS exist, but none can run its image's base version there
  kTooLarge,           // agents could run its image, but none has room for it
  // FAILED
  kPullTimeout,     // its image pull took longer than runtime.pull_timeout
  kImageStoreFull,  // its image does not fit the agent's image store
  // launch -> RUNNING (pull, extraction, start) took longer than the agent's
  // executor_registration_timeout (Mesos's REASON_EXECUTOR_REGISTRATION_TIMEOUT)
  kExecutorRegistrationTimeout,
  kTraceFailed,  // a recorded trace says it failed
  // LOST
  kAgentFailed,   // its agent's host crashed and came back before the master noticed
  kAgentRemoved,  // a trace removed its agent
  kTraceLost,     // a recorded trace says it was lost
  // LOST: its framework does not checkpoint and its agent's connection broke (Mesos's
  // REASON_SLAVE_DISCONNECTED, master.cpp:10575-10623)
  kSlaveDisconnected,
  // LOST or UNREACHABLE: its agent missed max_agent_ping_timeouts pings and was marked
  // unreachable (Mesos's REASON_SLAVE_REMOVED, master.cpp:10974-10987)
  kSlaveRemoved,
  // KILLED
  kEstimateExceeded,  // it ran past its runtime estimate (SWF)
  kPreempted,         // a recorded trace says it was evicted (Google EVICT)
  kTraceKilled,       // a recorded trace says it was killed or cancelled
  kSuperseded,        // a recorded trace submitted or scheduled it again while it was running
  // Its agent was drained (DRAIN_AGENT): killed with its kill grace period (Mesos's
  // REASON_SLAVE_DRAINING, slave.cpp:6058-6088); its framework relaunches it.
  kSlaveDraining,
  // Its framework accepted an inverse offer for the agent and moved it off before the maintenance
  // window (frameworks[].maintenance: accept); relaunched elsewhere.
  kMovedForMaintenance,
  // UNSCHEDULABLE: its job was abandoned by a monolithic or shared-state scheduler after more
  // than 100 attempts that placed nothing of it, or more than 1,000 in all (the released Omega
  // simulator's rule, OmegaSimulation.scala:262-264).
  kJobAbandoned,
  // PENDING, STAGING, STARTING, RUNNING: written to tasks.csv when the run ends (never stored).
  kRunEnded,
  // LOST: launched on an offer that was rescinded while its framework decided (Mesos's
  // REASON_INVALID_OFFERS, master.cpp:3966-4011); the attempt never reached the agent.
  kInvalidOffers,
  // KILLED: its framework's scheduler stayed disconnected past its failover_timeout and the
  // master removed the framework (Mesos's REASON_FRAMEWORK_REMOVED, master.cpp:10422-10436).
  kFrameworkRemoved,
  // LOST or UNREACHABLE: a master failover left the new leader without this task, and the
  // framework's reconciliation ended it (Mesos's REASON_RECONCILIATION, master.cpp:9057-9100): a
  // launch the old leader sent a cut-off agent, which the agent ignores once it follows the new
  // leader (slave.cpp:2173-2178), ends LOST when the agent reregisters (TASK_GONE to a
  // partition-aware framework, recorded as LOST here); every task of an agent that never
  // reregisters ends UNREACHABLE (partition-aware) or LOST at the new leader's
  // agent_reregister_timeout (the master itself sends no update then, master.cpp:8697-8706).
  kReconciliation,
};
inline constexpr int kTaskReasonCount = static_cast<int>(TaskReason::kReconciliation) + 1;
inline constexpr int kTaskStateCount = static_cast<int>(TaskState::kUnschedulable) + 1;

// snake_case, as tasks.csv and summary.json write it; "" for kNone.
std::string_view TaskReasonName(TaskReason r);
inline bool IsTerminal(TaskState s) { return s >= TaskState::kFinished; }
inline bool IsActive(TaskState s) { return s >= TaskState::kStaging && s <= TaskState::kRunning; }
// Whether the attempt that just ended held resources on an agent: not an UNSCHEDULABLE task, nor a
// launch the master dropped for its invalid offer.
inline bool AttemptHeldResources(TaskState s, TaskReason r) {
  return s != TaskState::kUnschedulable && r != TaskReason::kInvalidOffers;
}

// Where a framework's tasks come from, the first part of their Task::draw_key after the
// framework's name. The values are part of the keys' definition: changing one changes results.
enum class TaskSource : uint64_t { kInitialJobs = 0, kArrivals = 1, kTrace = 2 };
// NameKey(framework) combined with the source: the key a source's numbers are combined into.
uint64_t TaskSourceKey(std::string_view framework, TaskSource source);

// Index into TaskTable. Reused after the task is written out and dropped, so memory follows the
// number of live tasks rather than the length of the run.
using TaskSlot = plugins::DenseId<struct TaskSlotTag>;
inline constexpr TaskSlot kNoTask{UINT32_MAX};

struct Task {
  uint64_t id = 0;  // unique over the run, in submission order
  // Its identity for the draws keyed per task (sim::KeyedStreams: its attempts' container start
  // latencies), from where its source numbered it: its framework's name and a synthetic job's
  // stream, number and task index, or its position among the framework's trace tasks. Not `id`,
  // which every task submitted before it, of any framework, shifts.
  uint64_t draw_key = 0;
  uint64_t job = 0;
  uint32_t job_tasks = 0;  // tasks in its job (0: unknown, no job completion time is measured)
  // Google 2011's different-machine restriction: never on an agent where another active task of
  // its job (same framework) is.
  bool different_machine = false;
  bool placement_counted = false;  // counted in its framework's per-agent tallies while active
  bool shape_by_job = false;       // its shape id tells its job apart (ShapeTable)
  bool has_job_ordinal = false;    // job_ordinal is set (a recorded launch has none)
  FrameworkId framework;
  // The framework's subscription (one per role; Offer::subscription) it is allocated to while
  // active: that of the offer it was launched on, so its resources count to the offer's role.
  FrameworkId subscription;
  plugins::Resources resources;  // as requested
  plugins::Resources allocated;  // as charged on the agent (request + runtime overhead)
  plugins::Os os = plugins::Os::kLinux;
  plugins::OsVersion image_version = plugins::OsVersion::kNone;
  ImageId image;  // as submitted
  // The image its last launch runs: `image` with the servicing updates published by the launch
  // (ImageCatalog::Current). Older attempts keep theirs.
  ImageId run_image;
  bool has_image = false;
  bool image_pinned = false;  // its layers are pinned in the agent's store
  bool service = false;
  // Placed by a recorded trace replay on its recorded agent: never retried by its framework.
  bool trace_recorded = false;
  // False when a trace gives no submit time inside its window (recorded replay of a task submitted
  // before it): `submitted` is then the launch time and the task has no queue delay.
  bool submit_known = true;
  plugins::Isolation isolation = plugins::Isolation::kDocker;  // of the agent it runs on
  // Two-level: its job's number in its framework's TwoLevelJobWaits, when has_job_ordinal (both in
  // padding: Task stays 328 bytes).
  uint32_t job_ordinal = 0;
  sim::Time duration;  // run time once RUNNING (ignored for services)
  // The state it ends in when `duration` is up: FINISHED, or a trace's recorded outcome (an SWF
  // job killed at its estimate ends KILLED; a recorded Alibaba instance its status). A FAILED or
  // LOST one is retried like any failure (framework.cc) unless trace_recorded.
  uint32_t shape = 0;  // tasks of a framework with equal requirements share a shape

  TaskState end_state = TaskState::kFinished;
  TaskReason end_reason = TaskReason::kNone;  // with end_state
  TaskState state = TaskState::kPending;
  TaskReason reason = TaskReason::kNone;  // why it is in `state` (kNone unless it ended badly)
  uint16_t attempts =
      0;  // launches so far (wide: it keys attempts, and drains relaunch without bound)
  // Attempts that ended FAILED, LOST or UNREACHABLE: what max_retries and the retry backoff count
  // (a kill for a drain or a maintenance move is not a failure).
  uint8_t failures = 0;
  AgentId agent;
  // The offer its last launch took (OfferId 0, no offer, for a trace's recorded launch): lets the
  // event log join TASK_LAUNCHED to its offer (results/proto/events.proto).
  plugins::OfferId offer;
  sim::Time submitted;
  sim::Time queued;  // last (re)entry into the pending queue
  sim::Time first_launch = sim::Time::Max();
  sim::Time launched = sim::Time::Max();  // last launch
  // When the last launch reached its agent: `launched`, or later when a partition held it (TCP
  // delivers it at the heal). The agent's timeouts (executor registration, pull) count from it,
  // as a Mesos agent arms them when it gets the task.
  sim::Time delivered = sim::Time::Max();
  sim::Time started = sim::Time::Max();  // last STARTING
  sim::Time running = sim::Time::Max();  // last RUNNING
  sim::Time ended = sim::Time::Max();
  double pull_seconds = 0;  // last attempt: STAGING -> STARTING
  // Last attempt: MiB its image lacked on the agent at launch (what its pull had to download).
  double pull_missing_mib = 0;
  double start_seconds = 0;  // last attempt: STARTING -> RUNNING
  sim::EventId timer;        // the one pending lifecycle event (pull timeout, start, finish)
  uint32_t pull_job = ~0u;   // index of the agent-side pull in progress
  uint32_t agent_pos = 0;    // position in its agent's task list (O(1) removal)
};

}  // namespace clustersim::models
