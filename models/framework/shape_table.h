#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>

#include "models/task.h"
#include "sim/check.h"

namespace clustersim::models {

// Numbers tasks by their requirements (resources, OS, OS version, image) so that a placement
// policy can skip every task like one that found no room (TaskView::shape). Equal requirements
// get equal ids and different ones different ids among the tasks alive at a time; an id is
// forgotten with its last task, so memory follows the live tasks, not the run: a trace or a
// continuous size distribution makes nearly every task a shape of its own.
class ShapeTable {
 public:
  struct Key {
    std::array<int64_t, plugins::kMaxResourceKinds> resources{};
    int64_t os = 0;
    int64_t image_version = 0;
    int64_t image = -1;
    // Where a job's tasks may go depends on where its different-machine tasks are: once a
    // framework has such tasks, a shape is also its job's.
    int64_t job = -1;
    bool different_machine = false;  // with `job`: constrained and unconstrained tasks differ
    bool operator==(const Key&) const = default;
  };
  static Key KeyOf(const Task& task) {
    Key key;
    for (int k = 0; k < plugins::kMaxResourceKinds; ++k) key.resources[k] = task.resources.Raw(k);
    key.os = static_cast<int64_t>(task.os);
    key.image_version = static_cast<int64_t>(task.image_version);
    key.image = task.has_image ? static_cast<int64_t>(task.image.value) : -1;
    key.job = task.shape_by_job ? static_cast<int64_t>(task.job) : -1;
    key.different_machine = task.shape_by_job && task.different_machine;
    return key;
  }

  // The task's shape id, counting it as one more live task of that shape. `by_job`: tasks of
  // different jobs never share a shape (remembered in the task, for Release).
  uint32_t Acquire(Task& task, bool by_job = false) {
    task.shape_by_job = by_job;
    auto [it, inserted] = shapes_.try_emplace(KeyOf(task), Entry{next_id_, 0});
    if (inserted) ++next_id_;
    ++it->second.live;
    return it->second.id;
  }
  // One live task of the task's shape fewer; Acquire must have counted it.
  void Release(const Task& task) {
    auto it = shapes_.find(KeyOf(task));
    SIM_CHECK_MSG(it != shapes_.end() && it->second.live > 0, "a task's shape released twice");
    if (--it->second.live == 0) shapes_.erase(it);
  }
  size_t live_shapes() const { return shapes_.size(); }

 private:
  struct Entry {
    uint32_t id;
    uint32_t live;
  };
  struct Hash {
    size_t operator()(const Key& k) const {
      uint64_t h = 0x9e3779b97f4a7c15ULL;
      auto mix = [&h](int64_t v) {
        h ^= static_cast<uint64_t>(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      };
      for (int64_t v : k.resources) mix(v);
      mix(k.os);
      mix(k.image_version);
      mix(k.image);
      mix(k.job);
      mix(k.different_machine ? 1 : 0);
      return static_cast<size_t>(h);
    }
  };
  std::unordered_map<Key, Entry, Hash> shapes_;
  uint32_t next_id_ = 0;
};

}  // namespace clustersim::models
