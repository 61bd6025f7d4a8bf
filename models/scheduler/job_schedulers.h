#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <tuple>
#include <vector>

#include "models/spec.h"
#include "scheduler_plugins/api/ids.h"

namespace clustersim::models {

// What the frameworks of a monolithic or shared-state cell share (issue 16), beside the cell
// itself (CellState, through the master):
// - monolithic: the one scheduler. A framework with a job to place asks for a turn; turns go to
//   the job that joined a queue first (submitted, or back from a retry delay: the released
//   simulator's one pendingQueue), one at a time, so jobs of every framework wait in one FIFO
//   while each keeps its own decision time (the Omega paper's
//   multi-path monolithic scheduler; give every framework the same decision_time for single-path);
// - shared-state: per agent, how many transactions committed claims to it, which coarse-grained
//   conflict detection compares every claim on that agent against the count the scheduler's copy
//   was taken at: the Omega paper's rule (§5.3, any change to the machine since the copy),
//   bumped by commits only, as the released simulator's per-machine sequence numbers (a task
//   ending does not count). The released code bumps its number per task and chains it across one
//   job's claims on a machine (CoreClusterSimulation.scala:517-523, 631-636, 914-929), so a job's
//   later task there may commit after an earlier one conflicted, and a failed all-or-nothing
//   commit keeps the bumps of the claims it applied before rolling back (:861-883, 638-640):
//   neither is reproduced (scenarios/README.md, "Sources and deliberate differences").
class JobSchedulers {
 public:
  JobSchedulers(Architecture architecture, SharedStateSpec shared_state)
      : architecture_(architecture), shared_state_(shared_state) {}

  Architecture architecture() const { return architecture_; }
  const SharedStateSpec& shared_state() const { return shared_state_; }

  // --- Monolithic: the scheduler's turns --------------------------------------------------------
  // A job's place in the one queue: taken when it joins its framework's queue (submitted, or back
  // after job_retry_delay), increasing.
  uint64_t NextTicket() { return next_ticket_++; }
  // `start` is called when the framework's turn comes (at once if the scheduler is free): turns go
  // in the order of the tickets of the frameworks' head jobs. The framework calls EndTurn when its
  // attempt is over. One request per framework at a time.
  void RequestTurn(uint32_t framework, uint64_t head_ticket, std::function<void()> start) {
    if (starters_.size() <= framework) starters_.resize(framework + 1);
    starters_[framework] = std::move(start);
    waiting_.emplace(head_ticket, framework);
    if (!busy_) GrantNext();
  }
  void EndTurn() {
    busy_ = false;
    GrantNext();
  }

  // --- Shared-state: per-agent commit sequence numbers ----------------------------------------
  uint64_t sequence(plugins::AgentId agent) const {
    return agent.index() < sequence_.size() ? sequence_[agent.index()] : 0;
  }
  void Committed(plugins::AgentId agent) {
    if (sequence_.size() <= agent.index()) sequence_.resize(agent.index() + 1, 0);
    ++sequence_[agent.index()];
  }

 private:
  void GrantNext() {
    if (waiting_.empty()) return;
    const uint32_t framework = std::get<1>(waiting_.top());
    waiting_.pop();
    busy_ = true;
    starters_[framework]();
  }

  Architecture architecture_;
  SharedStateSpec shared_state_;
  bool busy_ = false;
  uint64_t next_ticket_ = 0;
  using Waiting = std::tuple<uint64_t, uint32_t>;
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> waiting_;
  std::vector<std::function<void()>> starters_;
  std::vector<uint64_t> sequence_;
};

}  // namespace clustersim::models
