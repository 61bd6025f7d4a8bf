#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/workload/trace_source.h"

namespace clustersim::models {

// Several replays of one trace run side by side, started in order: machines first, so that the
// machines present at time 0 are registered before the jobs of time 0. Report entries with the same
// key are added up; sections are concatenated; the run ends where the first part that decides it
// says (a recorded replay ends with its table).
class JoinedReplay final : public TraceSource {
 public:
  explicit JoinedReplay(std::vector<std::unique_ptr<TraceSource>> parts)
      : parts_(std::move(parts)) {}
  // The only part itself when there is one.
  static std::unique_ptr<TraceSource> Of(std::vector<std::unique_ptr<TraceSource>> parts);

  void Start(const TraceHost& host) override;
  std::optional<sim::Time> RunEnd() const override;
  std::vector<std::pair<std::string, double>> Report() const override;
  std::vector<Section> Sections() const override;

 private:
  std::vector<std::unique_ptr<TraceSource>> parts_;
};

}  // namespace clustersim::models
