#include "models/workload/trace_join.h"

#include <algorithm>

namespace clustersim::models {

std::unique_ptr<TraceSource> JoinedReplay::Of(std::vector<std::unique_ptr<TraceSource>> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  return std::make_unique<JoinedReplay>(std::move(parts));
}

void JoinedReplay::Start(const TraceHost& host) {
  for (auto& part : parts_) part->Start(host);
}

std::optional<sim::Time> JoinedReplay::RunEnd() const {
  for (const auto& part : parts_) {
    if (auto end = part->RunEnd()) return end;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, double>> JoinedReplay::Report() const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& part : parts_) {
    for (const auto& [key, value] : part->Report()) {
      // `key` captured by name: clang 14 cannot capture a structured binding (C++20's P1091).
      auto it = std::find_if(out.begin(), out.end(),
                             [&key = key](const auto& e) { return e.first == key; });
      if (it == out.end()) {
        out.emplace_back(key, value);
      } else {
        it->second += value;
      }
    }
  }
  return out;
}

std::vector<TraceSource::Section> JoinedReplay::Sections() const {
  std::vector<Section> out;
  for (const auto& part : parts_) {
    for (Section& section : part->Sections()) out.push_back(std::move(section));
  }
  return out;
}

}  // namespace clustersim::models
