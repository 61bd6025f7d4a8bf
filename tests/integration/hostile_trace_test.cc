// Hostile trace files through the real binary (issue 12): for every trace reader (SWF, CSV, Google
// 2011 machine/job/task events, Alibaba 2018 machine_meta and batch_task, Alibaba 2017
// server_event), small clean tables mutated row by row (a deleted field, huge, negative and
// out-of-range numbers, 1e300, NaN, invalid UTF-8, a 10 MB field, out-of-order times) and as
// whole files (CRLF, CR-only, no final newline), each run lenient and with trace.strict. A run
// must read to the end of its table and count every mutated row as skipped (exit 0), or stop a
// strict run with exit 2 and one short line naming the table's file and the row's line; never a
// crash, never a stall, never a hang past the time limit.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

constexpr unsigned kTimeLimitS = 20;

// One reader under test: a table of clean rows, the scenario that replays it, and the summary
// keys that count its rows.
struct Reader {
  std::string name;
  std::string file;                       // the mutated table's file name
  std::string header;                     // text before the rows (SWF comments, a CSV header)
  std::vector<std::string> rows;          // clean data rows, without terminators
  std::function<std::string()> scenario;  // the scenario, the table beside it
  std::string rows_key;                   // trace.<key>: rows read
  bool rows_key_counts_skipped = true;    // whether it counts malformed rows too
  char sep = ',';
  size_t time_field = 0;
  size_t amount_field = 0;   // a resource amount (or for job_events, another number)
  std::string huge_time;     // a time out of sim::Time's input range, in the field's unit
  bool time_ordered = true;  // an out-of-order row is malformed (else the reader sorts)
  int count_field = -1;      // instances of a row, when it has them
  std::string huge_count;
  // Whether a negative amount is malformed; SWF reads -1 as "unknown" and any negative width as a
  // job to skip (counted in swf.skipped, not as a malformed row).
  bool negative_amount_malformed = true;
};

enum class Outcome { kSkipped, kAccepted, kAfterWindow };

struct Mutation {
  std::string name;
  std::function<std::string(const Reader&, const std::string& row)> apply;
  std::function<Outcome(const Reader&)> outcome;
};

std::vector<std::string> Split(const std::string& row, char sep) {
  std::vector<std::string> out;
  if (sep == ' ') {
    std::istringstream in(row);
    for (std::string f; in >> f;) out.push_back(f);
    return out;
  }
  size_t start = 0;
  while (true) {
    const size_t at = row.find(sep, start);
    out.push_back(row.substr(start, at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

std::string Join(const std::vector<std::string>& fields, char sep) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i > 0 ? std::string(1, sep) : "") + fields[i];
  return out;
}

std::string SetField(const Reader& r, const std::string& row, size_t field,
                     const std::string& value) {
  std::vector<std::string> f = Split(row, r.sep);
  f.at(field) = value;
  return Join(f, r.sep);
}

Outcome Skipped(const Reader&) { return Outcome::kSkipped; }

std::vector<Mutation> RowMutations() {
  return {
      {"deleted field",
       [](const Reader& r, const std::string& row) {
         std::vector<std::string> f = Split(row, r.sep);
         f.pop_back();
         return Join(f, r.sep);
       },
       Skipped},
      {"huge time",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.time_field, r.huge_time);
       },
       Skipped},
      {"1e300 time",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.time_field, "1e300");
       },
       Skipped},
      {"int64 overflow time",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.time_field, "99999999999999999999999");
       },
       Skipped},
      {"1e300 amount",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.amount_field, "1e300");
       },
       Skipped},
      {"NaN amount",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.amount_field, "nan");
       },
       Skipped},
      {"negative amount",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.amount_field, "-5");
       },
       [](const Reader& r) {
         return r.negative_amount_malformed ? Outcome::kSkipped : Outcome::kAccepted;
       }},
      {"invalid UTF-8",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.time_field, "\xff\xfe\xc3");
       },
       Skipped},
      {"10 MB field",
       [](const Reader& r, const std::string& row) {
         return SetField(r, row, r.time_field, std::string(10u << 20, '7'));
       },
       Skipped},
      {"out-of-order time",
       [](const Reader& r, const std::string& row) { return SetField(r, row, r.time_field, "1"); },
       [](const Reader& r) { return r.time_ordered ? Outcome::kSkipped : Outcome::kAccepted; }},
      {"huge count",
       [](const Reader& r, const std::string& row) {
         return r.count_field < 0
                    ? row
                    : SetField(r, row, static_cast<size_t>(r.count_field), r.huge_count);
       },
       [](const Reader& r) { return r.count_field < 0 ? Outcome::kAccepted : Outcome::kSkipped; }},
  };
}

// The rows mutated: not the first (an out-of-order time needs a row before it), two apart.
constexpr size_t kMutated[] = {3, 6};

struct Table {
  std::string text;
  size_t skipped = 0;       // rows the reader must count as malformed
  size_t after_window = 0;  // rows at 2^63 - 1 (Google)
  uint64_t first_line = 0;  // line of the first malformed row (0: none)
};

uint64_t HeaderLines(const Reader& r) {
  uint64_t n = 0;
  for (char c : r.header) n += c == '\n';
  return n;
}

json RunAndSummarize(const std::string& dir, bool strict, CliResult& result) {
  std::vector<std::string> args = {
      "run",   dir + "/scenario.yaml",   "--out", dir + "/out", "--quiet",
      "--set", "results.tasks_csv=false"};
  if (strict) args.insert(args.end(), {"--set", "trace.strict=true"});
  result = RunCli(args, kTimeLimitS);
  if (result.exit_code != 0) return json();
  return json::parse(ReadFile(dir + "/out/summary.json"));
}

std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

// Runs `table` lenient and strict and checks the counts and the error.
void Check(const Reader& r, const std::string& what, const Table& table) {
  SCOPED_TRACE(r.name + ": " + what);
  const std::string dir = TempDir("hostile-trace");
  WriteFile(dir + "/" + r.file, table.text);
  WriteFile(dir + "/scenario.yaml", r.scenario());
  const size_t total = r.rows.size();
  for (bool strict : {false, true}) {
    SCOPED_TRACE(strict ? "strict" : "lenient");
    CliResult result;
    const json s = RunAndSummarize(dir, strict, result);
    if (strict && table.skipped > 0) {
      EXPECT_EQ(result.exit_code, 2) << result.err.substr(0, 2000);
      const std::string line = LastLine(result.err);
      const std::string where = r.file + ":" + std::to_string(table.first_line) + ": ";
      EXPECT_NE(line.find(where), std::string::npos) << where << " in " << line.substr(0, 2000);
      EXPECT_LT(line.size(), 1000u) << "the message quotes too much of the row";
      continue;
    }
    ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
    const json& t = s["trace"];
    EXPECT_EQ(t["skipped_rows"].get<double>(), static_cast<double>(table.skipped));
    const size_t read = r.rows_key_counts_skipped ? total - table.after_window
                                                  : total - table.skipped - table.after_window;
    EXPECT_EQ(t[r.rows_key].get<double>(), static_cast<double>(read));
    if (table.after_window > 0) {
      EXPECT_EQ(t["after_window_rows"].get<double>(), static_cast<double>(table.after_window));
    } else {
      EXPECT_FALSE(t.contains("after_window_rows"));
    }
    for (const std::string& line : {LastLine(result.err)}) EXPECT_LT(line.size(), 1000u);
  }
}

Table Mutated(const Reader& r, const Mutation& m) {
  Table table;
  table.text = r.header;
  const Outcome outcome = m.outcome(r);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const bool mutate = i == kMutated[0] || i == kMutated[1];
    table.text += (mutate ? m.apply(r, r.rows[i]) : r.rows[i]) + "\n";
    if (!mutate) continue;
    if (outcome == Outcome::kSkipped) {
      if (table.skipped++ == 0) table.first_line = HeaderLines(r) + i + 1;
    }
    if (outcome == Outcome::kAfterWindow) ++table.after_window;
  }
  return table;
}

// The whole table with other line ends.
Table WithLineEnds(const Reader& r, const std::string& end, bool final_end) {
  Table table;
  std::string header = r.header;
  for (size_t at = 0; (at = header.find('\n', at)) != std::string::npos; at += end.size()) {
    header.replace(at, 1, end);
  }
  table.text = header;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    table.text += r.rows[i];
    if (i + 1 < r.rows.size() || final_end) table.text += end;
  }
  return table;
}

void CheckAll(const Reader& r) {
  for (const Mutation& m : RowMutations()) Check(r, m.name, Mutated(r, m));
  Check(r, "CRLF", WithLineEnds(r, "\r\n", true));
  Check(r, "CR only", WithLineEnds(r, "\r", true));
  Check(r, "no final newline", WithLineEnds(r, "\n", false));
  Check(r, "CRLF, no final newline", WithLineEnds(r, "\r\n", false));
}

constexpr const char* kCluster = R"(
master: {allocation_interval: 0}
runtime: {docker: {start_latency: 0}}
cluster:
  groups:
    - {name: m, count: 4, os: linux, resources: {cpus: 64, mem: 256GiB, disk: 1TiB}}
frameworks:
  - name: jobs
)";

std::vector<std::string> Rows(size_t n, const std::function<std::string(size_t)>& row) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(row(i));
  return out;
}

TEST(HostileTraceTest, Swf) {
  Reader r;
  r.name = "swf";
  r.file = "log.swf";
  r.header = "; MaxProcs: 8\n; MaxNodes: 8\n";
  r.rows = Rows(10, [](size_t i) {
    return std::to_string(i + 1) + " " + std::to_string(10 * (i + 1)) +
           " -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1";
  });
  r.scenario = [] {
    return std::string(
        "name: swf\nduration: 1d\nmaster: {allocation_interval: 0}\n"
        "runtime: {docker: {start_latency: 0}}\nframeworks:\n  - name: batch\n"
        "trace:\n  format: swf\n  paths: {jobs: log.swf}\n");
  };
  r.rows_key = "rows";
  r.sep = ' ';
  r.time_field = 1;
  r.amount_field = 4;  // allocated processors
  r.huge_time = "3e12";
  r.negative_amount_malformed = false;
  CheckAll(r);
}

TEST(HostileTraceTest, Csv) {
  Reader r;
  r.name = "csv";
  r.file = "jobs.csv";
  r.header = ",submit_time,duration,cpu,memory,job_id,task_id,instances_num,disk\n";
  r.rows = Rows(10, [](size_t i) {
    const std::string n = std::to_string(i);
    return n + "," + std::to_string(10 * (i + 1)) + ",30,1,0.01," + n + "," + n + ",2,0";
  });
  r.scenario = [] {
    return std::string("name: csv\nduration: 1h\n") + kCluster +
           "trace:\n  format: csv\n  paths: {jobs: jobs.csv}\n"
           "  columns: {submit_time: 1, duration: 2, cpus: 3, mem: 4, job_id: 5, task_id: 6,\n"
           "            instances: 7, disk: 8}\n"
           "  normalised: [mem, disk]\n"
           "  machine_size: {cpus: 64, mem: 256GiB, disk: 1TiB}\n";
  };
  r.rows_key = "rows";
  r.time_field = 1;
  r.amount_field = 3;
  r.huge_time = "3e12";
  r.time_ordered = false;
  r.count_field = 7;
  r.huge_count = "2147483648";
  CheckAll(r);
}

// Ten task_events rows of the shared sample's window (t = 600.03 s on), inline so that the test
// does not depend on the samples being present.
const std::vector<std::string> kTaskEvents = {
    "600026913,,515042969,1,372630443,1,/fk1fVcVxZ6iM6gHZzqbIyq56m5zrmHfpdcZ/zzkq4c=,2,0,0.01562,"
    "0.01553,0.0002155,0",
    "600046926,,6251537638,1832,4304051942,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,"
    "0.02499,0.07959,0.0003862,1",
    "600046937,,6251537638,1784,2887801682,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,"
    "0.02499,0.07959,0.0003862,1",
    "600046983,,6251537638,1890,711419,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,0.02499,"
    "0.07959,0.0003862,1",
    "600047059,,6251537638,1510,765536,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,0.02499,"
    "0.07959,0.0003862,1",
    "600047200,,6251537638,1445,1436480987,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,"
    "0.02499,0.07959,0.0003862,1",
    "600047230,,6251537638,659,82722290,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,0.02499,"
    "0.07959,0.0003862,1",
    "600047610,,6251537638,404,1272794,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,0.02499,"
    "0.07959,0.0003862,1",
    "600047705,,6251537638,1399,6608660,4,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,0,2,0.02499,"
    "0.07959,0.0003862,1",
    "600047716,,5285926325,0,1302287,3,2V0B3LFwQ48zIHlDcpiCQTAG+f4Nk64GVADb8vfarvA=,0,9,0.0625,"
    "0.006218,3.815e-05,0",
};

std::string GoogleScenario(const std::string& paths) {
  return std::string("name: google\nduration: 1h\n") + kCluster +
         "trace:\n  format: google2011\n  mode: demand\n  paths:\n" + paths +
         "  machine_size: {cpus: 64, mem: 256GiB}\n";
}

// The Google readers' mutations: their times are integers, and one at 2^63 - 1 is "after the
// window" (not replayed, not malformed, counted apart).
void CheckGoogle(Reader& r) {
  r.huge_time = "4611686018427387904";  // 2^62 us
  CheckAll(r);
  Mutation after{"after the window",
                 [](const Reader& rr, const std::string& row) {
                   return SetField(rr, row, rr.time_field, "9223372036854775807");
                 },
                 [](const Reader&) { return Outcome::kAfterWindow; }};
  Check(r, after.name, Mutated(r, after));
}

TEST(HostileTraceTest, Google2011TaskEvents) {
  Reader r;
  r.name = "google2011 task_events";
  r.file = "task_events.csv";
  r.rows = kTaskEvents;
  r.scenario = [] { return GoogleScenario("    task_events: task_events.csv\n"); };
  r.rows_key = "task_rows";
  r.rows_key_counts_skipped = false;
  r.amount_field = 9;  // CPU request
  CheckGoogle(r);
}

TEST(HostileTraceTest, Google2011MachineEvents) {
  Reader r;
  r.name = "google2011 machine_events";
  r.file = "machine_events.csv";
  r.rows = Rows(10, [](size_t i) {
    return std::to_string(i * 1'000'000) + "," + std::to_string(i + 5) +
           ",0,HofLGzk1Or/8Ildj2+Lqv0UGGvY82NLoni8+J/Yy0RU=,0.5,0.2493";
  });
  r.scenario = [] {
    WriteFile(TempDir("hostile-google-tasks") + "/task_events.csv", "");
    std::string tasks;
    for (const std::string& row : kTaskEvents) tasks += row + "\n";
    const std::string path = TempDir("hostile-google-tasks") + "/task_events.csv";
    WriteFile(path, tasks);
    return GoogleScenario("    machine_events: machine_events.csv\n    task_events: " + path +
                          "\n");
  };
  r.rows_key = "machine_rows";
  r.rows_key_counts_skipped = false;
  r.amount_field = 4;  // CPU capacity
  CheckGoogle(r);
}

TEST(HostileTraceTest, Google2011JobEvents) {
  Reader r;
  r.name = "google2011 job_events";
  r.file = "job_events.csv";
  r.rows = Rows(10, [](size_t i) {
    return std::to_string(600'000'000 + i * 1000) + ",," + std::to_string(3418309 + i) +
           ",0,70s3v5qRyCO/1PCdI6fVXnrW8FU/w+5CKRSa72xgcIo=,3,IHgtoxEBuUTHNbUe,wAmgn2H74cdoMuSF";
  });
  r.scenario = [] {
    std::string tasks;
    for (const std::string& row : kTaskEvents) tasks += row + "\n";
    const std::string path = TempDir("hostile-google-jobs") + "/task_events.csv";
    WriteFile(path, tasks);
    return GoogleScenario("    job_events: job_events.csv\n    task_events: " + path + "\n");
  };
  r.rows_key = "job_rows";
  r.rows_key_counts_skipped = false;
  r.amount_field = 5;  // scheduling class: job rows have no resource amounts
  CheckGoogle(r);
}

TEST(HostileTraceTest, Alibaba2018MachineMeta) {
  Reader r;
  r.name = "alibaba2018 machine_meta";
  r.file = "machine_meta.csv";
  r.rows = Rows(10, [](size_t i) {
    return "m_" + std::to_string(i + 1) + "," + std::to_string(100 * i) + ",219,17,96,100,USING";
  });
  r.scenario = [] {
    return std::string(
        "name: alibaba\nduration: 1h\nmaster: {allocation_interval: 0}\n"
        "runtime: {docker: {start_latency: 0}}\nframeworks:\n  - name: batch\n"
        "trace:\n  format: alibaba2018\n  paths: {machine_meta: machine_meta.csv}\n"
        "  machine_size: {cpus: 96, mem: 384GiB}\n");
  };
  r.rows_key = "machine_rows";
  r.time_field = 1;
  r.amount_field = 4;              // cpu_num
  r.huge_time = "10000000000000";  // 1e13 s
  r.time_ordered = false;
  CheckAll(r);
}

std::string WriteLines(const std::string& dir, const std::string& name,
                       const std::vector<std::string>& rows) {
  std::string text;
  for (const std::string& row : rows) text += row + "\n";
  WriteFile(dir + "/" + name, text);
  return dir + "/" + name;
}

std::vector<std::string> BatchTaskRows() {
  return Rows(10, [](size_t i) {
    return "M1,2,j_" + std::to_string(i) + ",1,Terminated," + std::to_string(100 + 10 * i) + "," +
           std::to_string(110 + 10 * i) + ",100,0.5";
  });
}

TEST(HostileTraceTest, Alibaba2018BatchTask) {
  Reader r;
  r.name = "alibaba2018 batch_task";
  r.file = "batch_task.csv";
  r.rows = BatchTaskRows();
  r.scenario = [] {
    return std::string("name: alibaba\nduration: 1h\n") + kCluster +
           "trace:\n  format: alibaba2018\n  paths: {batch_task: batch_task.csv}\n"
           "  machine_size: {cpus: 96, mem: 384GiB}\n";
  };
  r.rows_key = "task_rows";
  r.time_field = 5;    // start_time
  r.amount_field = 7;  // plan_cpu
  r.huge_time = "10000000000000";
  r.time_ordered = false;
  r.count_field = 1;  // instance_num
  r.huge_count = "16777216";
  CheckAll(r);
}

TEST(HostileTraceTest, Alibaba2017ServerEvent) {
  Reader r;
  r.name = "alibaba2017 server_event";
  r.file = "server_event.csv";
  r.rows = Rows(10, [](size_t i) {
    return std::to_string(100 * i) + "," + std::to_string(1148 + i) + ",add,,64,0.69,1";
  });
  r.scenario = [] {
    return std::string(
        "name: alibaba\nduration: 1h\nmaster: {allocation_interval: 0}\n"
        "runtime: {docker: {start_latency: 0}}\nframeworks:\n  - name: batch\n"
        "trace:\n  format: alibaba2017\n  paths: {server_event: server_event.csv}\n"
        "  machine_size: {cpus: 64, mem: 256GiB, disk: 1TiB}\n");
  };
  r.rows_key = "machine_rows";
  r.time_field = 0;
  r.amount_field = 4;  // CPU
  r.huge_time = "10000000000000";
  r.time_ordered = false;
  CheckAll(r);
}

// Ten batch_instance rows, one per batch_task row of BatchTaskRows (job j_i, task M1).
std::vector<std::string> BatchInstanceRows() {
  return Rows(10, [](size_t i) {
    return "ins_" + std::to_string(i) + ",M1,j_" + std::to_string(i) + ",1,Terminated," +
           std::to_string(100 + 10 * i) + "," + std::to_string(108 + 10 * i) + ",m_" +
           std::to_string(i % 3 + 1) + ",1,1,50,80,0.2,0.3";
  });
}

// batch_instance in demand mode (recorded run times) and in recorded mode (placements on the
// machine_meta machines).
TEST(HostileTraceTest, Alibaba2018BatchInstance) {
  for (const bool recorded : {false, true}) {
    Reader r;
    r.name = recorded ? "alibaba2018 batch_instance (recorded)" : "alibaba2018 batch_instance";
    r.file = "batch_instance.csv";
    r.rows = BatchInstanceRows();
    r.scenario = [recorded] {
      const std::string dir = TempDir("hostile-alibaba-tables");
      const std::string tasks = WriteLines(dir, "batch_task.csv", BatchTaskRows());
      const std::string machines = WriteLines(
          dir, "machine_meta.csv",
          {"m_1,0,219,17,96,100,USING", "m_2,0,219,17,96,100,USING", "m_3,0,219,17,96,100,USING"});
      return std::string("name: alibaba\nduration: 1h\n") + kCluster +
             "trace:\n  format: alibaba2018\n" + (recorded ? "  mode: recorded\n" : "") +
             "  paths: {batch_task: " + tasks + ", batch_instance: batch_instance.csv" +
             (recorded ? ", machine_meta: " + machines : std::string()) + "}\n" +
             "  machine_size: {cpus: 96, mem: 384GiB}\n";
    };
    r.rows_key = "instance_rows";
    r.time_field = 5;    // start_time
    r.amount_field = 6;  // end_time: the usage columns feed nothing, so are not checked
    r.huge_time = "10000000000000";
    r.time_ordered = false;
    r.negative_amount_malformed = false;  // an end_time <= 0 means "no end"
    CheckAll(r);
  }
}

// Google's recorded mode: the same task_events reader, and the replay's end from the file's last
// line (CR-only files included).
TEST(HostileTraceTest, Google2011RecordedTaskEvents) {
  Reader r;
  r.name = "google2011 task_events (recorded)";
  r.file = "task_events.csv";
  r.rows = kTaskEvents;
  r.scenario = [] {
    const std::string machines = WriteLines(
        TempDir("hostile-google-recorded"), "machine_events.csv",
        {"0,372630443,0,p,0.5,0.25", "0,4304051942,0,p,0.5,0.25", "0,2887801682,0,p,0.5,0.25"});
    return std::string("name: google\nduration: 1h\n") + kCluster +
           "trace:\n  format: google2011\n  mode: recorded\n  paths:\n    machine_events: " +
           machines + "\n    task_events: task_events.csv\n" +
           "  machine_size: {cpus: 64, mem: 256GiB}\n";
  };
  r.rows_key = "task_rows";
  r.rows_key_counts_skipped = false;
  r.amount_field = 9;
  CheckGoogle(r);
}

// A recorded replay ends at its last task event, which only the opened trace tells: one 32 years
// in would make a billion timeseries rows. The run is refused, exit 2, before any file is written
// (it ran: found by the mutated-scenario hunt, seed 253594, through a trace.duration).
TEST(HostileTraceTest, Google2011RecordedEndWithTooManySamplesIsRefused) {
  const std::string dir = TempDir("hostile-google-recorded-end");
  const std::string machines = WriteLines(dir, "machine_events.csv", {"0,372630443,0,p,0.5,0.25"});
  WriteLines(dir, "task_events.csv",
             {kTaskEvents[0], "1000000600000000,,515042969,1,372630443,4,u,2,0,0.01,0.01,0,0"});
  WriteFile(dir + "/scenario.yaml",
            std::string("name: google\n") + kCluster +
                "trace:\n  format: google2011\n  mode: recorded\n  paths:\n    machine_events: " +
                machines + "\n    task_events: task_events.csv\n" +
                "  machine_size: {cpus: 64, mem: 256GiB}\n");
  const CliResult r = RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("the trace ends the run at 1000000600 s (its last event), 100000060 "
                       "samples of results.sample_interval (10s); at most 10000000 are allowed"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/summary.json"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/timeseries.csv"));
}

// trace-info reads the same hostile rows: a value of 1e300 is a malformed row there too, never
// an abort in its histograms.
TEST(HostileTraceTest, TraceInfoCountsHugeValuesAsMalformed) {
  const std::string dir = TempDir("hostile-trace-info");
  std::string tasks;
  for (size_t i = 0; i < kTaskEvents.size(); ++i) {
    tasks += (i == 4 ? kTaskEvents[i].substr(0, kTaskEvents[i].find(",0.02499")) +
                           ",1e300,0.07959,0.0003862,1"
                     : kTaskEvents[i]) +
             "\n";
  }
  WriteFile(dir + "/task_events.csv", tasks);
  CliResult r =
      RunCli({"trace-info", "--format", "google2011", dir + "/task_events.csv"}, kTimeLimitS);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("malformed rows skipped: 1\n"), std::string::npos) << r.out;

  WriteFile(dir + "/jobs.csv", "a,b,c,d\n1,10,1e300,1\n2,20,1,1\n3,30,2,2147483648\n4,40,1,1\n");
  r = RunCli({"trace-info", "--format", "csv", "--columns",
              "submit_time=1,duration=1,cpus=2,instances=3", dir + "/jobs.csv"},
             kTimeLimitS);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("malformed rows skipped: 2\n"), std::string::npos) << r.out;
  // A column past the 256 a row may have is refused, not read past the fields.
  r = RunCli({"trace-info", "--format", "csv", "--columns", "submit_time=300,duration=1,cpus=2",
              dir + "/jobs.csv"},
             kTimeLimitS);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("index in [0, 255]"), std::string::npos) << r.err;
}

TEST(HostileTraceTest, CsvColumnPastTheFieldsIsALocatedScenarioError) {
  const std::string dir = TempDir("hostile-trace-column");
  WriteFile(dir + "/jobs.csv", "a,b,c\n1,2,3\n");
  WriteFile(dir + "/scenario.yaml", std::string("name: csv\nduration: 1h\n") + kCluster +
                                        "trace:\n  format: csv\n  paths: {jobs: jobs.csv}\n"
                                        "  columns: {submit_time: 300, duration: 1, cpus: 2}\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"validate", dir + "/scenario.yaml"},
        std::vector<std::string>{"run", dir + "/scenario.yaml", "--out", dir + "/out"}}) {
    const CliResult r = RunCli(args, kTimeLimitS);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("scenario.yaml:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("255"), std::string::npos) << r.err;
  }
}

// Work that cannot finish is refused with the key that asked for it: an SWF header's MaxProcs
// that would make 10^9 agents.
TEST(HostileTraceTest, SwfHeaderAskingForTooManyAgentsIsRefused) {
  const std::string dir = TempDir("hostile-trace-maxprocs");
  WriteFile(dir + "/log.swf",
            "; Version: 2.2\n; MaxProcs: 1000000000\n"
            "1 0 -1 100 2 -1 -1 -1 -1 -1 1 1 1 -1 -1 -1 -1 -1\n");
  WriteFile(dir + "/scenario.yaml",
            "name: swf\nduration: 1d\nframeworks:\n  - name: batch\n"
            "trace:\n  format: swf\n  paths: {jobs: log.swf}\n");
  const CliResult r =
      RunCli({"run", dir + "/scenario.yaml", "--out", dir + "/out", "--quiet"}, kTimeLimitS);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("log.swf:2: '; MaxProcs: 1000000000' makes a cluster of 1000000000 agents"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace clustersim::test
