// scenarios/windows-patch-day.yaml (issue 15 item 5, acceptance 3): every Windows host is patched
// in its window, and no task attempt runs on a host inside its window — checked over every attempt
// of the run from the event log, with the windows read from the same log (MACHINE_DOWN to
// MACHINE_UP), not restated here.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using json = nlohmann::json;

TEST(PatchDayTest, NoAttemptRunsOnAHostInsideItsWindow) {
  const std::string dir = TempDir("patch-day");
  const CliResult run = RunCli({"run", SourcePath("scenarios/windows-patch-day.yaml"), "--out", dir,
                                "--quiet", "--no-progress", "--events"},
                               120);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const CliResult events = RunCli({"events", dir + "/events.binpb", "--jsonl"}, 120);
  ASSERT_EQ(events.exit_code, 0) << events.err;

  struct Attempt {
    std::string agent;
    double launch = 0, end = 0;
  };
  std::map<std::string, std::pair<double, double>> windows;  // agent -> [down, up)
  std::map<uint64_t, Attempt> open;                          // task -> its running attempt
  std::vector<Attempt> attempts;
  double last_time = 0;
  std::istringstream lines(events.out);
  for (std::string line; std::getline(lines, line);) {
    const json e = json::parse(line);
    const std::string kind = e["kind"];
    const double t = e["time_s"];
    last_time = t;
    if (kind == "MACHINE_DOWN") {
      EXPECT_EQ(windows.count(e["agent"]), 0u) << "patched twice: " << e["agent"];
      windows[e["agent"]] = {t, 1e300};
    } else if (kind == "MACHINE_UP") {
      windows.at(e["agent"]).second = t;
    } else if (kind == "TASK_LAUNCHED" || kind == "TASK_RECOVERED") {
      open[e["task_id"]] = Attempt{e["agent"], t, 0};
    } else if (kind == "TASK_ENDED") {
      auto it = open.find(e["task_id"]);
      if (it == open.end()) continue;  // ended before its launch (never placed)
      it->second.end = t;
      attempts.push_back(it->second);
      open.erase(it);
    }
  }
  for (auto& [task, a] : open) {  // still running when the run ended
    a.end = last_time;
    attempts.push_back(a);
  }
  // Every Windows host (32) went down once, and came back.
  ASSERT_EQ(windows.size(), 32u);
  for (const auto& [agent, w] : windows) {
    EXPECT_EQ(agent.rfind("win", 0), 0u) << agent;
    EXPECT_LT(w.second, 1e300) << agent << " never came back";
    EXPECT_NEAR(w.second - w.first, 300.0, 1e-6) << agent;  // the 5 min reboot
  }
  size_t on_patched_hosts = 0;
  for (const Attempt& a : attempts) {
    auto w = windows.find(a.agent);
    if (w == windows.end()) continue;
    ++on_patched_hosts;
    EXPECT_FALSE(a.launch < w->second.second && a.end > w->second.first)
        << "an attempt on " << a.agent << " from " << a.launch << " to " << a.end
        << " overlaps its window [" << w->second.first << ", " << w->second.second << ")";
  }
  EXPECT_GT(attempts.size(), 1000u);
  EXPECT_GT(on_patched_hosts, 500u);

  // The servicing layer: every Windows host pulled it again (230 or 270 MB each).
  const json s = json::parse(ReadFile(dir + "/summary.json"));
  EXPECT_GT(s["pulls"]["downloaded_mib"].get<double>(), 32 * 219.0);
  // The maintenance-aware services moved ahead of the windows; the batch framework did not.
  for (const json& f : s["frameworks"]) {
    if (f["name"] == "windows-services") {
      EXPECT_GT(f["inverse_offers"]["accepted"], 0);
    }
    if (f["name"] == "windows-batch") {
      EXPECT_EQ(f["inverse_offers"]["accepted"], 0);
    }
  }
}

// drain.prepull with the release landing just before the patching (25 min): hosts that had not
// pulled the servicing layer yet when their drain began fetch it then; with the release at the
// start of the day every host has it from its own launches first, and nothing is pre-pulled.
TEST(PatchDayTest, PrePullDuringTheDrainFetchesTheLayerHostsLack) {
  auto prepulled = [](const std::vector<std::string>& sets) {
    const std::string dir = TempDir("patch-day-prepull");
    std::vector<std::string> args = {"run",     SourcePath("scenarios/windows-patch-day.yaml"),
                                     "--out",   dir,
                                     "--quiet", "--no-progress"};
    for (const std::string& s : sets) {
      args.push_back("--set");
      args.push_back(s);
    }
    const CliResult run = RunCli(args, 120);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    const json s = json::parse(ReadFile(dir + "/summary.json"));
    return s["pulls"].value("prepulled_images", 0);
  };
  const std::vector<std::string> late = {"runtime.image_updates[0].at=25m",
                                         "runtime.image_updates[1].at=25m"};
  std::vector<std::string> late_prepull = late;
  late_prepull.push_back("maintenance[0].drain.prepull=true");
  const int with = prepulled(late_prepull);
  EXPECT_GT(with, 0);
  EXPECT_LE(with, 32);  // one servicing update per host's image at most (one image per host)
  EXPECT_EQ(prepulled(late), 0);
  EXPECT_EQ(prepulled({"maintenance[0].drain.prepull=true"}), 0);
}

}  // namespace
}  // namespace clustersim::test
