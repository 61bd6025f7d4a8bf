#include "models/task.h"

namespace clustersim::models {

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
    case TaskState::kUnschedulable:
      return "UNSCHEDULABLE";
  }
  return "?";
}

}  // namespace clustersim::models
