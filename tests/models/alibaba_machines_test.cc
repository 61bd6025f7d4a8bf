// Alibaba 2018 machine_meta and 2017 server_event readers: row parsing, the shared samples (counts
// from shared/traces/README.md), malformed files, files out of time order.
#include "models/workload/alibaba/alibaba_machines.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "tests/models/csv_table_fake_host.h"

namespace clustersim::models {
namespace {

using test::FakeTraceHost;
using test::SharedTrace;
using test::TempFiles;
using Call = FakeTraceHost::AgentCall;
using Table = AlibabaMachineReplay::Table;

std::map<std::string, double> ReportOf(const TraceSource& source) {
  std::map<std::string, double> out;
  for (const auto& [k, v] : source.Report()) out[k] = v;
  return out;
}

ScenarioSpec Spec(std::string table, std::vector<std::string> files, bool strict = false) {
  ScenarioSpec spec;
  spec.trace.enabled = true;
  spec.trace.format = table == "machine_meta" ? "alibaba2018" : "alibaba2017";
  spec.trace.paths.emplace_back(std::move(table), std::move(files));
  spec.trace.strict = strict;
  return spec;
}

// Replays the whole table into a fake host.
struct Replay {
  Replay(const ScenarioSpec& s, Table table) : spec(s), host(spec) {
    const auto* files =
        spec.trace.Paths(table == Table::kMachineMeta2018 ? "machine_meta" : "server_event");
    source = std::make_unique<AlibabaMachineReplay>(spec, table, *files);
    source->Start(host);
    host.simulator().RunUntil(sim::Time::Seconds(30 * 24 * 3600));
  }
  ScenarioSpec spec;
  FakeTraceHost host;
  std::unique_ptr<AlibabaMachineReplay> source;
};

bool TimesNonDecreasing(const std::vector<Call>& calls) {
  return std::is_sorted(calls.begin(), calls.end(),
                        [](const Call& a, const Call& b) { return a.at < b.at; });
}

TEST(AlibabaMachinesTest, ParsesMachineMetaRows) {
  AlibabaMachineReplay::Row row;
  ASSERT_FALSE(
      AlibabaMachineReplay::Parse(Table::kMachineMeta2018, "m_1,148984,219,17,96,100,USING", row));
  EXPECT_EQ(row.machine, "m_1");
  EXPECT_EQ(row.time, 148984);
  EXPECT_EQ(row.cpus, 96);
  EXPECT_DOUBLE_EQ(row.mem, 1.0);
  EXPECT_EQ(row.kind, AlibabaMachineReplay::Row::Kind::kUp);
  ASSERT_FALSE(AlibabaMachineReplay::Parse(Table::kMachineMeta2018,
                                           "m_2739,569729,6,6,96,50,IMPORT_INSTALLING", row));
  EXPECT_EQ(row.kind, AlibabaMachineReplay::Row::Kind::kDown);
  EXPECT_DOUBLE_EQ(row.mem, 0.5);

  auto error = [](std::string_view line) {
    AlibabaMachineReplay::Row r;
    return AlibabaMachineReplay::Parse(Table::kMachineMeta2018, line, r).value_or("");
  };
  EXPECT_EQ(error("m_1,0,219,17,96,100"), "expected 7 comma-separated fields, found 6");
  EXPECT_EQ(error("m_1,soon,219,17,96,100,USING"),
            "time_stamp 'soon' is not a non-negative integer");
  EXPECT_EQ(error("m_1,0,219,17,96,101,USING"), "mem_size '101' is not a number in [0, 100]");
  EXPECT_EQ(error("m_1,0,219,17,0,100,USING"), "cpu_num '0' is not a positive number");
  EXPECT_EQ(error(",0,219,17,96,100,USING"), "empty machine_id");
}

TEST(AlibabaMachinesTest, ParsesServerEventRows) {
  AlibabaMachineReplay::Row row;
  ASSERT_FALSE(AlibabaMachineReplay::Parse(Table::kServerEvent2017,
                                           "0,1148,add,,64,0.6900059534594777,1", row));
  EXPECT_EQ(row.kind, AlibabaMachineReplay::Row::Kind::kUp);
  EXPECT_EQ(row.cpus, 64);
  EXPECT_NEAR(row.mem, 0.69, 1e-3);
  ASSERT_FALSE(AlibabaMachineReplay::Parse(Table::kServerEvent2017,
                                           "1351,1075,softerror,agent_check,0,0,0", row));
  EXPECT_EQ(row.kind, AlibabaMachineReplay::Row::Kind::kSoftError);
  auto error = [](std::string_view line) {
    AlibabaMachineReplay::Row r;
    return AlibabaMachineReplay::Parse(Table::kServerEvent2017, line, r).value_or("");
  };
  EXPECT_EQ(error("5,1075,reboot,x,0,0,0"),
            "unknown event type 'reboot' (add, softerror, harderror)");
  EXPECT_EQ(error("0,1148,add,,0,0.5,1"), "add with no CPU capacity");
  EXPECT_EQ(error("0,1148,add,,64,1.5,1"), "memory capacity '1.5' is not a number in [0, 1]");
  EXPECT_EQ(error("0,1148,add,,64,0.5,1,7"), "expected 7 comma-separated fields, found 8");
}

// shared/traces/README.md: 17,592 rows, 4,034 distinct machines, t = 0 ... 696,633 s, 5 rows
// IMPORT_INSTALLING (all of one machine, m_2739, which never reaches USING). 147 machines join
// after time 0.
TEST(AlibabaMachinesTest, MachineMetaSampleMatchesTheReadme) {
  const std::string path = SharedTrace("alibaba2018/machine_meta.csv");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared trace at " << path;
  ScenarioSpec spec = Spec("machine_meta", {path});
  spec.trace.machine_size = Resources::Of(96, 384 * 1024);
  Replay r(spec, Table::kMachineMeta2018);
  ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
  const auto report = ReportOf(*r.source);
  EXPECT_EQ(report.at("machine_rows"), 17592);
  EXPECT_EQ(report.at("machines"), 4034);
  EXPECT_EQ(report.at("skipped_rows"), 0);
  EXPECT_EQ(report.at("machine_down_events"), 1);
  EXPECT_EQ(report.at("machine_up_events"), 0);
  EXPECT_EQ(r.host.Count(Call::kAdd), 4034u);
  EXPECT_TRUE(TimesNonDecreasing(r.host.calls));
  std::set<std::string> names;
  size_t late = 0;
  for (const Call& c : r.host.calls) {
    if (c.kind != Call::kAdd) continue;
    names.insert(c.info.name);
    late += c.at > sim::Time::Zero();
    EXPECT_EQ(c.info.capacity, Resources::Of(96, 384 * 1024));
    EXPECT_EQ(c.info.os, Os::kLinux);
  }
  EXPECT_EQ(names.size(), 4034u);
  EXPECT_EQ(late, 147u);
  const auto down = std::find_if(r.host.calls.begin(), r.host.calls.end(),
                                 [](const Call& c) { return c.kind == Call::kDown; });
  ASSERT_NE(down, r.host.calls.end());
  EXPECT_EQ(r.host.calls[down->agent].info.name, "m_2739");
  EXPECT_EQ(down->at, sim::Time::Seconds(569729));
}

// shared/traces/README.md: 1,352 rows; 1,313 add events for 1,313 machines, 39 softerrors. The
// softerrors fall on 7 machines, some within 10 minutes of the previous one (one outage, extended):
// 35 outages of soft_error_downtime (600 s), each followed by the machine's return.
TEST(AlibabaMachinesTest, ServerEventSampleMatchesTheReadme) {
  const std::string path = SharedTrace("alibaba2017/server_event.csv");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared trace at " << path;
  Replay r(Spec("server_event", {path}), Table::kServerEvent2017);
  ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
  const auto report = ReportOf(*r.source);
  EXPECT_EQ(report.at("machine_rows"), 1352);
  EXPECT_EQ(report.at("machines"), 1313);
  EXPECT_EQ(report.at("skipped_rows"), 0);
  EXPECT_EQ(report.at("machine_down_events"), 35);
  EXPECT_EQ(report.at("machine_up_events"), 35);
  EXPECT_EQ(r.host.Count(Call::kAdd), 1313u);
  EXPECT_TRUE(TimesNonDecreasing(r.host.calls));
  // The file's softerrors are grouped by machine, not in time order; the replay is. Machine 1075's
  // first softerror is at 1,351 s: down then, back 600 s later.
  uint32_t m1075 = ~0u;
  for (const Call& c : r.host.calls) {
    if (c.kind == Call::kAdd && c.info.name == "1075") m1075 = c.agent;
  }
  std::vector<Call> of1075;
  for (const Call& c : r.host.calls) {
    if (c.agent == m1075 && c.kind != Call::kAdd) of1075.push_back(c);
  }
  ASSERT_GE(of1075.size(), 2u);
  EXPECT_EQ(of1075[0].kind, Call::kDown);
  EXPECT_EQ(of1075[0].at, sim::Time::Seconds(1351));
  EXPECT_EQ(of1075[1].kind, Call::kUp);
  EXPECT_EQ(of1075[1].at, sim::Time::Seconds(1951));
}

TEST(AlibabaMachinesTest, ReplaysOutOfOrderFilesInTimeOrder) {
  TempFiles tmp;
  // Runs of increasing times, as in the real files (grouped by machine).
  const std::string path = tmp.Write("machine_meta.csv",
                                     "m_1,0,1,1,96,100,USING\n"
                                     "m_1,500,1,1,96,100,IMPORT_INSTALLING\n"
                                     "m_1,900,1,1,96,100,USING\n"
                                     "m_2,300,1,1,48,50,USING\n"
                                     "m_2,700,1,1,48,50,OFFLINE\n"
                                     "m_3,0,1,1,96,100,USING\n");
  Replay r(Spec("machine_meta", {path}), Table::kMachineMeta2018);
  ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
  std::vector<std::pair<int64_t, std::string>> seen;
  for (const Call& c : r.host.calls) {
    const char* kind = c.kind == Call::kAdd ? "add" : c.kind == Call::kDown ? "down" : "up";
    seen.emplace_back(c.at.micros() / 1'000'000, std::string(kind) + std::to_string(c.agent));
  }
  const std::vector<std::pair<int64_t, std::string>> want = {
      {0, "add0"}, {0, "add1"}, {300, "add2"}, {500, "down0"}, {700, "down2"}, {900, "up0"}};
  EXPECT_EQ(seen, want);
  // m_2: 48 cores, half the machine size's memory.
  EXPECT_EQ(r.host.calls[2].info.capacity, Resources::Of(48, 128 * 1024));
}

TEST(AlibabaMachinesTest, MalformedRowsAreCountedWithTheirLineOrFailInStrictMode) {
  TempFiles tmp;
  const std::string text =
      "0,1,add,,64,0.5,1\n"
      "0,2,add,,64,0.5\n"            // line 2: a field short
      "0,3,add,,sixty-four,0.5,1\n"  // line 3: not a number
      "10,1,softerror,machine_fail,0,0,0\n"
      "20,4,harderror,disk_fail,0,0,0\n"  // line 5: a machine never added
      "30,2,melt,x,0,0,0\n"               // line 6: unknown event code
      "40,1,add,,64,0.5,1\n";
  const std::string path = tmp.Write("server_event.csv", text);
  {
    Replay r(Spec("server_event", {path}), Table::kServerEvent2017);
    ASSERT_TRUE(r.host.failure.ok()) << r.host.failure.message();
    const auto report = ReportOf(*r.source);
    EXPECT_EQ(report.at("machine_rows"), 7);
    EXPECT_EQ(report.at("skipped_rows"), 4);
    EXPECT_EQ(report.at("machines"), 1);
    EXPECT_EQ(report.at("machine_down_events"), 1);
    EXPECT_EQ(report.at("machine_up_events"), 1);
  }
  {
    Replay r(Spec("server_event", {path}, /*strict=*/true), Table::kServerEvent2017);
    EXPECT_EQ(r.host.failure.message(), path + ":2: expected 7 comma-separated fields, found 6");
    EXPECT_EQ(r.host.Count(Call::kAdd), 0u);  // nothing replayed: rows are checked first
  }
  {
    // A semantic error found during the replay, in strict mode.
    const std::string late = tmp.Write("late.csv", "0,1,add,,64,0.5,1\n20,4,harderror,x,0,0,0\n");
    Replay r(Spec("server_event", {late}, /*strict=*/true), Table::kServerEvent2017);
    EXPECT_EQ(r.host.failure.message(),
              late + ":2: error event for machine '4', which was never added");
  }
}

TEST(AlibabaMachinesTest, HardErrorLastsUntilTheNextAdd) {
  TempFiles tmp;
  const std::string path = tmp.Write("server_event.csv",
                                     "0,7,add,,64,1,1\n"
                                     "100,7,harderror,disk_fail,0,0,0\n"
                                     "150,7,softerror,agent_check,0,0,0\n"
                                     "5000,7,add,,64,1,1\n");
  Replay r(Spec("server_event", {path}), Table::kServerEvent2017);
  ASSERT_EQ(r.host.calls.size(), 3u);
  EXPECT_EQ(r.host.calls[1].kind, Call::kDown);
  EXPECT_EQ(r.host.calls[1].at, sim::Time::Seconds(100));
  // The softerror's 600 s end at 750 s does not bring back a machine with a hard error.
  EXPECT_EQ(r.host.calls[2].kind, Call::kUp);
  EXPECT_EQ(r.host.calls[2].at, sim::Time::Seconds(5000));
}

TEST(AlibabaMachinesTest, WindowsMachinesFollowTheOsMapping) {
  TempFiles tmp;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "m_" + std::to_string(i) + ",0,1,1,96,100,USING\n";
  const std::string path = tmp.Write("machine_meta.csv", text);
  ScenarioSpec spec = Spec("machine_meta", {path});
  spec.trace.os.windows_machines = 0.25;
  spec.trace.os.windows_versions = {{OsVersion::kLtsc2019, 1}, {OsVersion::kLtsc2022, 1}};
  Replay a(spec, Table::kMachineMeta2018);
  Replay b(spec, Table::kMachineMeta2018);
  size_t windows = 0, ltsc2022 = 0;
  for (size_t i = 0; i < a.host.calls.size(); ++i) {
    const auto& info = a.host.calls[i].info;
    windows += info.os == Os::kWindows;
    ltsc2022 += info.os_version == OsVersion::kLtsc2022;
    EXPECT_EQ(info.os, b.host.calls[i].info.os);  // seeded: the same in every run
    EXPECT_EQ(info.os_version, b.host.calls[i].info.os_version);
  }
  EXPECT_NEAR(static_cast<double>(windows) / 400, 0.25, 0.07);
  EXPECT_GT(ltsc2022, 0u);
  EXPECT_LT(ltsc2022, windows);
}

}  // namespace
}  // namespace clustersim::models
