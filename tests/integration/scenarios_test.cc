// The shipped scenarios, run by the real binary, against the numbers the issue promises.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "cli_runner.h"
#include "results/csv.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

json RunAndReadSummary(const std::string& scenario, const std::string& out,
                       std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", scenario, "--out", out, "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(ReadFile(out + "/summary.json"));
}

// Ghodsi et al., NSDI'11, section 4. With one agent of <9 CPU, 18 GB> and cycles of one task per
// offer, offers go to the lower dominant share (ties to A, registered first):
//   A <1,4>: 4/18 = 0.222 | B <3,1>: 3/9 = 0.333 | A: 8/18 = 0.444 | B: 6/9 = 0.667 |
//   A: 12/18 = 0.667 — then no CPU is left: A runs 3 tasks, B 2, both shares 2/3.
TEST(ScenariosTest, DrfPaperExample) {
  const std::string out = TempDir("drf");
  const json s = RunAndReadSummary(SourcePath("scenarios/drf-paper.yaml"), out);
  ASSERT_EQ(s["frameworks"].size(), 2u);
  const json& a = s["frameworks"][0];
  const json& b = s["frameworks"][1];
  EXPECT_EQ(a["name"], "A");
  EXPECT_EQ(a["tasks_running_at_end"], 3);
  EXPECT_EQ(b["tasks_running_at_end"], 2);
  EXPECT_NEAR(a["dominant_share_at_end"].get<double>(), 2.0 / 3.0, 1e-6);
  EXPECT_NEAR(b["dominant_share_at_end"].get<double>(), 2.0 / 3.0, 1e-6);
}

// Names are user text: a framework, image or agent name holding a comma or a quote must not shift
// tasks.csv's columns (fields are quoted as RFC 4180 says, and read back whole).
TEST(ScenariosTest, TasksCsvQuotesNamesWithCommasAndQuotes) {
  std::string yaml = ReadFile(SourcePath("scenarios/drf-paper.yaml"));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"name: A\n", "name: \"A, \\\"the first\\\"\"\n"},
           {"name: machine\n", "name: \"rack 1, machine\"\n"}}) {
    const size_t at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  }
  const std::string dir = TempDir("csv-names");
  WriteFile(dir + "/names.yaml", yaml);
  RunAndReadSummary(dir + "/names.yaml", dir + "/out");
  const results::CsvFile tasks = results::ReadCsvFile(dir + "/out/tasks.csv");
  ASSERT_FALSE(tasks.rows.empty());
  const auto column = [&](const std::string& name) {
    return std::find(tasks.header.begin(), tasks.header.end(), name) - tasks.header.begin();
  };
  bool saw_a = false;
  for (const auto& row : tasks.rows) {
    ASSERT_EQ(row.size(), tasks.header.size());
    if (row[column("framework")] != "A, \"the first\"") continue;
    saw_a = true;
    if (!row[column("agent")].empty()) {
      EXPECT_EQ(row[column("agent")], "rack 1, machine");
    }
  }
  EXPECT_TRUE(saw_a);
}

TEST(ScenariosTest, DefaultWindowsStartsSeveralTimesSlowerThanLinux) {
  const std::string out = TempDir("default");
  const json s = RunAndReadSummary("default", out);
  const json& start = s["start_latency_s"]["by_os"];
  ASSERT_GT(start["linux"]["count"].get<uint64_t>(), 1000u);
  ASSERT_GT(start["windows"]["count"].get<uint64_t>(), 1000u);
  EXPECT_GT(start["windows"]["p50"].get<double>(), 3 * start["linux"]["p50"].get<double>());
  // Accounting: every submitted task is in exactly one bucket at the end.
  const json& t = s["tasks"];
  EXPECT_EQ(t["submitted"].get<uint64_t>(),
            t["finished"].get<uint64_t>() + t["failed"].get<uint64_t>() +
                t["lost"].get<uint64_t>() + t["killed"].get<uint64_t>() +
                t["unschedulable"].get<uint64_t>() + t["pending_at_end"].get<uint64_t>() +
                t["running_at_end"].get<uint64_t>());
  // timeseries.csv: one column per header name in every row.
  std::istringstream ts(ReadFile(out + "/timeseries.csv"));
  std::string header, row;
  std::getline(ts, header);
  EXPECT_NE(header.find("share_batch"), std::string::npos) << header;
  while (std::getline(ts, row)) {
    ASSERT_EQ(std::count(row.begin(), row.end(), ','),
              std::count(header.begin(), header.end(), ','));
  }
  EXPECT_GT(s["utilization"]["cpus"].get<double>(), 0.1);
  EXPECT_LT(s["utilization"]["cpus"].get<double>(), 1.0);
}

TEST(ScenariosTest, WindowsColdStartsTakeMinutes) {
  const std::string out = TempDir("cold");
  const json s = RunAndReadSummary(SourcePath("scenarios/windows-cold-start.yaml"), out);
  const json& win = s["start_latency_s"]["by_os"]["windows"];
  const json& linux = s["start_latency_s"]["by_os"]["linux"];
  // The first start on each Windows host downloads ~1.7 GB and extracts ~3.8 GB at ~13 MiB/s.
  EXPECT_GT(win["max"].get<double>(), 240.0);
  EXPECT_LT(linux["max"].get<double>(), 60.0);
  // tasks.csv: the earliest Windows task on every Windows agent waited minutes for its pull.
  // Columns by header name (results/README.md: columns are only ever added).
  const results::CsvFile tasks = results::ReadCsvFile(out + "/tasks.csv");
  const auto col = [&](const std::string& name) {
    const auto it = std::find(tasks.header.begin(), tasks.header.end(), name);
    EXPECT_NE(it, tasks.header.end()) << name;
    return static_cast<size_t>(it - tasks.header.begin());
  };
  const size_t os = col("os"), launch_s = col("launch_s"), agent = col("agent"),
               pull_s = col("pull_s");
  std::map<std::string, std::pair<double, double>> first_by_agent;  // launch, pull
  for (const std::vector<std::string>& f : tasks.rows) {
    ASSERT_EQ(f.size(), tasks.header.size());
    if (f[os] != "windows" || f[launch_s].empty()) continue;
    const double launch = std::stod(f[launch_s]);
    auto [it, inserted] = first_by_agent.try_emplace(f[agent], launch, std::stod(f[pull_s]));
    if (!inserted && launch < it->second.first) it->second = {launch, std::stod(f[pull_s])};
  }
  ASSERT_GE(first_by_agent.size(), 15u);
  for (const auto& [agent, first] : first_by_agent) {
    EXPECT_GT(first.second, 120.0) << agent;
  }
}

// Column index by header name (results/README.md: columns are only ever added).
size_t Column(const results::CsvFile& csv, const std::string& name) {
  const auto it = std::find(csv.header.begin(), csv.header.end(), name);
  EXPECT_NE(it, csv.header.end()) << name;
  return static_cast<size_t>(it - csv.header.begin());
}

// Issue 15 acceptance 2. Under Mesos's stock 1 min executor registration timeout every cold
// Windows start of windows-cold-start.yaml fails; with the shipped 10 min none fails that way.
//
// Which first attempts are cold is derived from the scenario, not from their outcome: no agent
// holds any image at time 0, so when an image is first launched on an agent, that agent must pull
// its Server Core base, and no attempt there can be RUNNING before the base is downloaded and
// extracted: at least 1250 MB / 100 MB/s = 12.5 s plus 2.75 GB / 14 MB/s = 196 s (the smaller,
// ltsc2022 base; the ltsc2019 one takes longer). So every attempt of that image launched on that
// agent within kMinBasePull − 60 s of the pair's first launch would need more than 60 s to
// register: that is the cold start this test counts, from the run's own events.
TEST(ScenariosTest, StockRegistrationTimeoutFailsEveryColdWindowsStart) {
  constexpr double kMinBasePull = 12.5 + 196.0;
  constexpr double kTimeout = 60;
  const std::string dir = TempDir("stock-timeout");
  const json stock =
      RunAndReadSummary(SourcePath("scenarios/windows-cold-start.yaml"), dir + "/stock",
                        {"--set", "runtime.executor_registration_timeout=1m", "--events"});
  const CliResult events = RunCli({"events", "--csv", dir + "/stock/events.binpb"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  WriteFile(dir + "/events.csv", events.out);
  const results::CsvFile ev = results::ReadCsvFile(dir + "/events.csv");
  const size_t kind = Column(ev, "kind"), time = Column(ev, "time_s"), task = Column(ev, "task_id"),
               agent = Column(ev, "agent"), image = Column(ev, "image"), os = Column(ev, "os"),
               reason = Column(ev, "reason");
  struct FirstAttempt {
    double launch = 0;
    std::string agent, image, outcome;  // outcome: "RUNNING", a reason, or "" while live
  };
  std::map<std::string, std::string> image_of;  // task -> image
  std::map<std::string, FirstAttempt> first;    // Windows task -> its first attempt
  std::map<std::pair<std::string, std::string>, double> pair_first_launch;  // (agent, image)
  for (const std::vector<std::string>& e : ev.rows) {
    if (e[kind] == "TASK_SUBMITTED") image_of[e[task]] = e[image];
    if (e[os] != "windows") continue;
    if (e[kind] == "TASK_LAUNCHED") {
      // Any attempt's launch starts the pair's pull; a task's first launch is its first attempt.
      const double t = std::stod(e[time]);
      pair_first_launch.try_emplace({e[agent], image_of[e[task]]}, t);
      if (!first.contains(e[task])) first[e[task]] = {t, e[agent], image_of[e[task]], ""};
    }
    auto it = first.find(e[task]);
    if (it == first.end() || !it->second.outcome.empty()) continue;
    if (e[kind] == "TASK_RUNNING") it->second.outcome = "RUNNING";
    if (e[kind] == "TASK_ENDED") it->second.outcome = e[reason];
  }
  size_t cold = 0, cold_failed = 0, failed_first = 0;
  for (const auto& [id, a] : first) {
    const bool is_cold =
        a.launch < pair_first_launch.at({a.agent, a.image}) + kMinBasePull - kTimeout;
    const bool failed = a.outcome == "executor_registration_timeout";
    cold += is_cold;
    cold_failed += is_cold && failed;
    failed_first += failed;
    if (is_cold) {
      EXPECT_TRUE(failed) << "task " << id << " on " << a.agent << ": " << a.outcome;
    }
  }
  // Every Windows agent ran at least one cold start: 20 agents, 30 (agent, image) pairs (the
  // Hyper-V ltsc2022 hosts run both images).
  EXPECT_EQ(pair_first_launch.size(), 30u);
  EXPECT_GE(cold, pair_first_launch.size());
  EXPECT_EQ(cold_failed, cold);
  // Later first attempts can fail too (the base still extracting): never fewer failures.
  EXPECT_GE(failed_first, cold);
  const json& failed = stock["tasks"]["by_reason"]["failed"];
  ASSERT_TRUE(failed.contains("executor_registration_timeout"));
  EXPECT_GT(stock["tasks"]["retried_attempts"].get<uint64_t>(), failed_first / 2);
  EXPECT_GT(stock["pulls"]["discarded_mib"].get<double>(), 0);

  // The shipped 10 min: the same cluster and workload, no attempt fails for that reason.
  const json shipped =
      RunAndReadSummary(SourcePath("scenarios/windows-cold-start.yaml"), dir + "/shipped");
  EXPECT_FALSE(shipped["tasks"]["by_reason"]["failed"].contains("executor_registration_timeout"));
  EXPECT_EQ(shipped["tasks"]["failed"], 0);
  EXPECT_EQ(shipped["tasks"]["retried_attempts"], 0);
  EXPECT_EQ(shipped["pulls"]["discarded_mib"].get<double>(), 0);
}

// A servicing layer published at 20 min (runtime.image_updates, one digest for every Windows
// image): each Windows host that launches a Windows task after it pulls the layer once (a Hyper-V
// host running both images shares it by digest), and each image it already held before is rebuilt
// on it: its 150 MB app layer comes again (one launched there only after the update pulls its
// rebuilt app layer instead of the old one: no difference). No layer is ever evicted or dropped
// in windows-cold-start (100 GiB stores, the 10 min registration timeout), so the update adds
// exactly that, counted here from tasks.csv.
TEST(ScenariosTest, ServicingUpdateMakesEveryHostPullItsLayer) {
  const std::string dir = TempDir("servicing");
  const std::string scenario = SourcePath("scenarios/windows-cold-start.yaml");
  const json before = RunAndReadSummary(scenario, dir + "/before");
  const json after = RunAndReadSummary(
      scenario, dir + "/after",
      {"--set",
       "runtime.image_updates=[{at: 20m, os: windows, layer: {digest: kb-2026-12, download: "
       "230MB, disk: 500MB}}]"});
  const results::CsvFile tasks = results::ReadCsvFile(dir + "/after/tasks.csv");
  const size_t os = Column(tasks, "os"), launch = Column(tasks, "launch_s"),
               agent = Column(tasks, "agent");
  const size_t image = Column(tasks, "image");
  std::set<std::string> hosts;  // Windows hosts with a launch after the update
  std::set<std::pair<std::string, std::string>> held, relaunched;  // (host, image) before / after
  for (const std::vector<std::string>& t : tasks.rows) {
    if (t[os] != "windows" || t[launch].empty()) continue;
    if (std::stod(t[launch]) >= 1200) {
      hosts.insert(t[agent]);
      relaunched.insert({t[agent], t[image]});
    } else {
      held.insert({t[agent], t[image]});
    }
  }
  size_t rebuilt = 0;
  for (const auto& pair : relaunched) rebuilt += held.count(pair);
  ASSERT_FALSE(hosts.empty());
  ASSERT_GT(rebuilt, 0u);
  const double layer_mib = 230e6 / (1024.0 * 1024.0), app_mib = 150e6 / (1024.0 * 1024.0);
  EXPECT_NEAR(
      after["pulls"]["downloaded_mib"].get<double>() -
          before["pulls"]["downloaded_mib"].get<double>(),
      static_cast<double>(hosts.size()) * layer_mib + static_cast<double>(rebuilt) * app_mib, 1e-6);
  EXPECT_EQ(after["pulls"]["discarded_mib"].get<double>(), 0);
  // The layer (500 MB to extract at 14 MB/s) lengthens the pulls after 20 min.
  EXPECT_GT(after["pull_s"]["by_os"]["windows"]["mean"].get<double>(),
            before["pull_s"]["by_os"]["windows"]["mean"].get<double>());
}

TEST(ScenariosTest, ValidateAcceptsEveryShippedScenario) {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {"scenarios", "scenarios/omega"}) {
    for (const auto& entry : std::filesystem::directory_iterator(SourcePath(dir))) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  EXPECT_GT(files.size(), 15u);
  for (const auto& path : files) {
    const auto entry = std::filesystem::directory_entry(path);
    // No shipped scenario makes a useless run: no warning (config/warnings.h).
    const CliResult r = RunCli({"validate", entry.path().string(), "--fail-on-warning"});
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.err;
    EXPECT_NE(r.out.find(": ok"), std::string::npos);
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  }
}

// Every shipped sweep loads, each of its cells a valid scenario (a cell may be warned about on
// purpose: architectures-windows keeps the default's offer-only keys under every architecture).
TEST(ScenariosTest, ValidateAcceptsEveryShippedSweep) {
  size_t sweeps = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("scenarios/sweeps"))) {
    if (entry.path().extension() != ".yaml") continue;
    ++sweeps;
    const CliResult r = RunCli({"validate", entry.path().string()});
    EXPECT_EQ(r.exit_code, 0) << entry.path() << ": " << r.err;
    EXPECT_NE(r.out.find(": ok (a sweep:"), std::string::npos) << r.out;
  }
  EXPECT_GE(sweeps, 8u);
}

// validate's one-line description: counts in words that agree in number, and for a trace that
// brings its own machines and tasks, no "0 agents" or "about 0 tasks" but where they come from.
TEST(ScenariosTest, ValidateDescribesWhatItCountsAndWhatTheTraceBrings) {
  const CliResult drf = RunCli({"validate", SourcePath("scenarios/drf-paper.yaml")});
  ASSERT_EQ(drf.exit_code, 0) << drf.err;
  EXPECT_NE(drf.out.find(": ok (1 agent in 1 group, 2 frameworks, 1 image; about 40 tasks, 40 "
                         "live at most, model state ~0 MiB ("),
            std::string::npos)
      << drf.out;
  const CliResult swf = RunCli({"validate", SourcePath("scenarios/kth-sp2-easy.yaml")});
  ASSERT_EQ(swf.exit_code, 0) << swf.err;
  EXPECT_NE(swf.out.find(": ok (agents from the trace, 1 framework, 0 images; tasks from the "
                         "trace (`clustersim trace-info FILES --format F` counts them))"),
            std::string::npos)
      << swf.out;
}

TEST(ScenariosTest, EventLogIsReadableFromPython) {
  const std::string out = TempDir("events");
  const json s = RunAndReadSummary(SourcePath("scenarios/drf-paper.yaml"), out, {"--events"});
  ASSERT_TRUE(std::filesystem::exists(out + "/events.binpb"));
  const std::string cmd = "PYTHONPATH=" + std::string(CLUSTERSIM_EVENTS_PY_DIR) +
                          " /usr/bin/python3 " + SourcePath("results/read_events.py") +
                          " --count " + out + "/events.binpb";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256] = {0};
  std::string text;
  while (fgets(buf, sizeof buf, p)) text += buf;
  ASSERT_EQ(pclose(p), 0) << text;
  // 40 submissions and 5 launches at least, plus the offers.
  EXPECT_GT(std::stoi(text), 45) << text;
}

TEST(ScenariosTest, CtrlCFlushesPartialResults) {
  const std::string out = TempDir("sigint");
  const std::string scenario = out + "/long.yaml";
  // The default scenario stretched to a simulated month takes long enough to interrupt.
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    execl(CLUSTERSIM_BINARY, CLUSTERSIM_BINARY, "run", "--out", out.c_str(), "--set",
          "duration=30d", "--no-progress", static_cast<char*>(nullptr));
    _exit(127);
  }
  usleep(1500 * 1000);
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const json s = json::parse(ReadFile(out + "/summary.json"));
  EXPECT_TRUE(s["run"]["interrupted"].get<bool>());
  EXPECT_GT(s["sim_seconds"].get<double>(), 0);
  EXPECT_LT(s["sim_seconds"].get<double>(), 30 * 86400.0);
  EXPECT_GT(ReadFile(out + "/tasks.csv").size(), 100u);
}

}  // namespace
}  // namespace clustersim::test
