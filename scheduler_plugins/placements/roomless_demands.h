#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scheduler_plugins/api/os.h"
#include "scheduler_plugins/api/placement_policy.h"

namespace clustersim::plugins {

// A round's memo of the demands that no offer has room for, per task platform (image OS and
// base version). Offers only shrink within a round, so a task whose resources contain such a
// demand (as much or more of every kind) has room in none of the offers its image can run on
// either, and a policy can pass it over without asking each offer.
//
// Shape memos (PlaceByScore's `unplaceable`) catch repeats of one shape; this catches the larger
// tasks of a queue whose tasks all differ in size (sampled cpus and mem: one shape per task),
// where a round over a long backlog otherwise asks every offer about every task, O(tasks ×
// offers) CanPlace calls that fail once the offers are nearly full — or, on a mixed cluster,
// because half the offers are of the other OS.
//
// Usage, per task: `Platform& p = memo.For(task)`; skip the task if `p.Covers(demand)`; ask
// CanPlace only of offers where `p.MayFit(o, demand)` (a necessary condition of CanPlace); if
// none did, `p.Add(demand)`.
class RoomlessDemands {
 public:
  // At most this many minimal demands are kept per platform: each Covers is a few vector compares
  // per kept demand, far less than one pass over the offers.
  static constexpr size_t kMaxKept = 64;

  class Platform {
   public:
    // Whether offer `o` has room for `demand` and can run this platform's images for the
    // framework (OS, base version and isolation: CanRun; the framework's required attributes).
    // The agent is looked up only once some demand fits the offer by size (a cache miss each, and
    // most offers of a big cluster take no task), then remembered.
    bool MayFit(size_t o, const Resources& demand) {
      return ctx_->remaining(o).Contains(demand) && RunsOn(o);
    }
    // Whether `demand` is at least a kept roomless demand in every kind.
    bool Covers(const Resources& demand) const {
      for (const Resources& kept : minimal_) {
        if (demand.Contains(kept)) return true;
      }
      return false;
    }
    // Records that MayFit(o, demand) is false for every offer o.
    void Add(const Resources& demand) {
      if (Covers(demand)) return;
      std::erase_if(minimal_, [&](const Resources& kept) { return kept.Contains(demand); });
      if (minimal_.size() < kMaxKept) minimal_.push_back(demand);
    }

    // Whether offer `o`'s agent can run this platform's images for the framework, whatever its
    // room (remembered as MayFit does).
    bool RunsOn(size_t o) {
      uint8_t& runs = runs_on_[o];
      if (runs == kUnknown) runs = Runs(o) ? kYes : kNo;
      return runs == kYes;
    }

    size_t kept() const { return minimal_.size(); }

   private:
    friend class RoomlessDemands;
    Platform(const PlacementContext& ctx, Os os, OsVersion image_version)
        : ctx_(&ctx), os_(os), image_version_(image_version), runs_on_(ctx.offers().size()) {}
    bool Runs(size_t o) const {
      const AgentInfo& agent = ctx_->cluster().agent(ctx_->offers()[o].agent);
      return ctx_->attributes_match(o) &&
             CanRun(agent.os, agent.os_version, agent.isolation, os_, image_version_);
    }

    static constexpr uint8_t kUnknown = 0, kYes = 1, kNo = 2;
    const PlacementContext* ctx_;
    Os os_;
    OsVersion image_version_;
    std::vector<uint8_t> runs_on_;  // per offer: kUnknown until first asked
    std::vector<Resources> minimal_;
  };

  explicit RoomlessDemands(const PlacementContext& ctx) : ctx_(ctx) {}

  // The memo for `task`'s platform (created on first use). Valid until the next call to For.
  Platform& For(const TaskView& task) { return platforms_[IndexOf(task)]; }
  // The index of `task`'s platform among platform(0) .. platform(platforms() - 1), in order of
  // first use; stable for the memo's life.
  size_t IndexOf(const TaskView& task) {
    for (size_t i = 0; i < platforms_.size(); ++i) {
      const Platform& p = platforms_[i];
      if (p.os_ == task.os && p.image_version_ == task.image_version) return i;
    }
    platforms_.push_back(Platform(ctx_, task.os, task.image_version));
    return platforms_.size() - 1;
  }
  Platform& platform(size_t i) { return platforms_[i]; }
  size_t platforms() const { return platforms_.size(); }

 private:
  const PlacementContext& ctx_;
  std::vector<Platform> platforms_;  // a handful
};

}  // namespace clustersim::plugins
