#include "models/workload/trace_io/warn_once.h"

#include <cstdio>
#include <mutex>
#include <unordered_set>

namespace clustersim::models {

bool WarnOnce(const std::string& line) {
  static std::mutex mutex;
  static std::unordered_set<std::string> printed;
  const std::lock_guard lock(mutex);
  if (!printed.insert(line).second) return false;
  std::fprintf(stderr, "%s\n", line.c_str());
  return true;
}

}  // namespace clustersim::models
