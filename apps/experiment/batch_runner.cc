#include "apps/experiment/batch_runner.h"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "apps/config/overrides.h"
#include "apps/runner.h"
#include "apps/scenario.h"

namespace clustersim::apps {
namespace {

RunResult RunOne(const YamlDocument& base, const RunRequest& request) {
  RunResult result;
  YamlDocument doc = base.Clone();
  std::vector<std::string> overrides = request.overrides;
  overrides.push_back(fmt::format("seed={}", request.seed));
  if (auto s = ApplyOverrides(doc, overrides); !s.ok()) {
    result.status = s;
    return result;
  }
  auto scenario = LoadScenario(doc);
  if (!scenario.ok()) {
    result.status = scenario.status();
    return result;
  }
  RunOptions options;
  options.out_dir = request.out_dir;
  options.write_files = !request.out_dir.empty();
  options.progress.enabled = false;  // the batch reports progress, not each run
  auto summary = RunScenario(*scenario, options);
  if (!summary.ok()) {
    result.status = summary.status();
    return result;
  }
  result.summary = std::move(*summary);
  return result;
}

}  // namespace

bool RunWasInterrupted(const RunResult& result) {
  if (!result.status.ok()) return false;
  const auto run = result.summary.find("run");
  if (run == result.summary.end()) return true;  // never started
  const auto interrupted = run->find("interrupted");
  return interrupted != run->end() && interrupted->get<bool>();
}

std::vector<RunResult> RunBatch(const YamlDocument& base, const std::vector<RunRequest>& requests,
                                unsigned jobs, const RunDone& on_done) {
  std::vector<RunResult> results(requests.size());
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, static_cast<unsigned>(std::max<size_t>(1, requests.size())));
  std::atomic<size_t> next{0};
  std::mutex done_mu;
  // Each worker takes the next request when it is free: run times differ by orders of magnitude.
  auto worker = [&] {
    // After Ctrl-C no run starts; the runs in flight stop and come back marked interrupted.
    for (size_t i = next.fetch_add(1); i < requests.size() && !Interrupted();
         i = next.fetch_add(1)) {
      results[i] = RunOne(base, requests[i]);
      if (on_done) {
        std::lock_guard lock(done_mu);
        on_done(i, results[i]);
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace clustersim::apps
