#include "models/task.h"

#include "sim/random.h"

namespace clustersim::models {

uint64_t TaskSourceKey(std::string_view framework, TaskSource source) {
  return sim::CombineKey(sim::NameKey(framework), static_cast<uint64_t>(source));
}

std::string_view TaskStateName(TaskState s) {
  switch (s) {
    case TaskState::kPending:
      return "PENDING";
    case TaskState::kStaging:
      return "STAGING";
    case TaskState::kStarting:
      return "STARTING";
    case TaskState::kRunning:
      return "RUNNING";
    case TaskState::kFinished:
      return "FINISHED";
    case TaskState::kFailed:
      return "FAILED";
    case TaskState::kKilled:
      return "KILLED";
    case TaskState::kLost:
      return "LOST";
    case TaskState::kUnreachable:
      return "UNREACHABLE";
    case TaskState::kUnschedulable:
      return "UNSCHEDULABLE";
  }
  return "?";
}

std::string_view TaskReasonName(TaskReason r) {
  switch (r) {
    case TaskReason::kNone:
      return "";
    case TaskReason::kNoAgents:
      return "no_agents";
    case TaskReason::kConstraintUnmet:
      return "constraint_unmet";
    case TaskReason::kNoMatchingOs:
      return "no_matching_os";
    case TaskReason::kImageIncompatible:
      return "image_incompatible";
    case TaskReason::kTooLarge:
      return "too_large";
    case TaskReason::kPullTimeout:
      return "pull_timeout";
    case TaskReason::kImageStoreFull:
      return "image_store_full";
    case TaskReason::kExecutorRegistrationTimeout:
      return "executor_registration_timeout";
    case TaskReason::kTraceFailed:
      return "trace_failed";
    case TaskReason::kAgentFailed:
      return "agent_failed";
    case TaskReason::kAgentRemoved:
      return "agent_removed";
    case TaskReason::kTraceLost:
      return "trace_lost";
    case TaskReason::kSlaveDisconnected:
      return "slave_disconnected";
    case TaskReason::kSlaveRemoved:
      return "slave_removed";
    case TaskReason::kEstimateExceeded:
      return "estimate_exceeded";
    case TaskReason::kPreempted:
      return "preempted";
    case TaskReason::kTraceKilled:
      return "trace_killed";
    case TaskReason::kSuperseded:
      return "superseded";
    case TaskReason::kSlaveDraining:
      return "slave_draining";
    case TaskReason::kJobAbandoned:
      return "job_abandoned";
    case TaskReason::kMovedForMaintenance:
      return "moved_for_maintenance";
    case TaskReason::kRunEnded:
      return "run_ended";
    case TaskReason::kInvalidOffers:
      return "invalid_offers";
    case TaskReason::kFrameworkRemoved:
      return "framework_removed";
    case TaskReason::kReconciliation:
      return "reconciliation";
  }
  return "?";
}

}  // namespace clustersim::models
