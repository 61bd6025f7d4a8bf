// Bad input gives one clear line and exit code 2 — or, for impossible tasks, an unschedulable
// count — never a crash or a hang.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using nlohmann::json;

constexpr const char* kBase = R"(name: tiny
seed: 3
duration: 10m
images:
  - {name: lin, os: linux, layers: [{digest: l1, download: 10MB}]}
  - {name: win19, os: windows, version: ltsc2019, layers: [{digest: w1, download: 100MB}]}
  - {name: win22, os: windows, version: ltsc2022, layers: [{digest: w2, download: 100MB}]}
cluster:
  groups:
    - name: linux
      count: 4
      os: linux
      resources: {cpus: 8, mem: 16GiB}
frameworks:
  - name: batch
    workload:
      initial_jobs: 5
      tasks_per_job: 2
      duration: 1m
      resources: {cpus: 1, mem: 1GiB}
      images: [lin]
)";

struct Outcome {
  CliResult cli;
  std::string file;
};

Outcome RunWith(const std::string& name, const std::string& yaml,
                std::vector<std::string> extra = {}) {
  const std::string dir = TempDir(name);
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, yaml);
  std::vector<std::string> args = {"run", file, "--out", dir + "/out", "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return {RunCli(args), file};
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

void ExpectInputError(const Outcome& o, const std::string& location, const std::string& expected) {
  EXPECT_EQ(o.cli.exit_code, 2) << o.cli.err;
  // One line, naming file:line:col and what was expected.
  EXPECT_EQ(std::count(o.cli.err.begin(), o.cli.err.end(), '\n'), 1) << o.cli.err;
  EXPECT_NE(o.cli.err.find(o.file + ":" + location), std::string::npos) << o.cli.err;
  EXPECT_NE(o.cli.err.find(expected), std::string::npos) << o.cli.err;
}

// Each trace format reads its own keys: another format's key is an error at its file:line:col that
// lists the keys this format has, not a setting silently ignored.
// The scenario's folder holds an empty present.csv for the traces to name.
Outcome ValidateTrace(const std::string& name, const std::string& trace) {
  const std::string dir = TempDir(name);
  WriteFile(dir + "/present.csv", "");
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, std::string(kBase) + trace);
  return {RunCli({"validate", file}), file};
}

TEST(BadInputTest, SwfQueueKeyOnAGoogleTraceIsRejected) {
  const Outcome o = ValidateTrace("google_queue",
                                  "trace:\n"
                                  "  format: google2011\n"
                                  "  paths: {task_events: [task_events.csv]}\n"
                                  "  queue: easy\n");
  ExpectInputError(o, "25:3", "unknown key 'queue'");
  EXPECT_NE(o.cli.err.find("(valid keys: duration, format, lookahead, machine_remove, "
                           "machine_size, map_to_frameworks, mode, os, paths, strict)"),
            std::string::npos)
      << o.cli.err;
}

TEST(BadInputTest, CsvColumnsKeyOnAnSwfTraceIsRejected) {
  const Outcome o = ValidateTrace("swf_columns",
                                  "trace:\n"
                                  "  format: swf\n"
                                  "  paths: {jobs: [log.swf]}\n"
                                  "  columns: {submit_time: 0, duration: 1, cpus: 2}\n");
  ExpectInputError(o, "25:3", "unknown key 'columns'");
  EXPECT_NE(o.cli.err.find("(valid keys: duration, format, machine_size, map_to_frameworks, "
                           "mode, os, paths, queue, strict)"),
            std::string::npos)
      << o.cli.err;
}

// trace.paths is checked when the scenario is read, so `validate` finds what `run` would stop on:
// a table the format does not read, the tables the mode needs, a file that cannot be opened.
// machine_size scales every machine of the trace: it has the resource amounts' bounds.
TEST(BadInputTest, ATraceMachineSizeBeyondTheBoundIsRefused) {
  const Outcome o = ValidateTrace("trace_machine_size",
                                  "trace:\n"
                                  "  format: swf\n"
                                  "  paths: [present.csv]\n"
                                  "  machine_size: {cpus: 1.6e16}\n");
  ExpectInputError(o, "25:", "trace.machine_size.cpus: expected a number in [0.001, ");
}

// trace.duration ends the replay and the run: "inf" would let a run with endless arrivals go on for
// ever (a mutated scenario did), so it must be finite.
TEST(BadInputTest, AnInfiniteTraceDurationIsRefused) {
  const Outcome o = ValidateTrace("trace_duration_inf",
                                  "trace:\n"
                                  "  format: swf\n"
                                  "  paths: [present.csv]\n"
                                  "  duration: inf\n");
  ExpectInputError(o,
                   "25:", "trace.duration: expected a finite duration of at least 1us, got 'inf'");
}

TEST(BadInputTest, AMisspelledTraceTableIsNamedWithTheFormatsTables) {
  const Outcome o = ValidateTrace("trace_table_typo",
                                  "trace:\n"
                                  "  format: google2011\n"
                                  "  paths: {task_event: [present.csv]}\n");
  ExpectInputError(o, "24:", "trace.paths.task_event: unknown table 'task_event'");
  EXPECT_NE(o.cli.err.find("(did you mean 'task_events'? this format reads: task_events, "
                           "machine_events, job_events)"),
            std::string::npos)
      << o.cli.err;
}

TEST(BadInputTest, ARecordedReplayNamesTheTablesItLacks) {
  const Outcome o = ValidateTrace("recorded_tables",
                                  "trace:\n"
                                  "  format: alibaba2018\n"
                                  "  mode: recorded\n"
                                  "  paths: {machine_meta: present.csv}\n");
  ExpectInputError(o, "25:3",
                   "trace.paths: a recorded alibaba2018 replay needs machine_meta, "
                   "batch_task and batch_instance");
  EXPECT_NE(o.cli.err.find("(missing: batch_task, batch_instance)"), std::string::npos)
      << o.cli.err;
  // A demand replay of the machines alone is fine.
  EXPECT_EQ(ValidateTrace("demand_tables",
                          "trace:\n"
                          "  format: alibaba2018\n"
                          "  paths: {machine_meta: present.csv}\n")
                .cli.exit_code,
            0);
  const Outcome google = ValidateTrace("google_tables",
                                       "trace:\n"
                                       "  format: google2011\n"
                                       "  paths: {machine_events: present.csv}\n");
  ExpectInputError(google, "24:3", "a google2011 trace needs task_events files");
}

TEST(BadInputTest, ATraceFileThatCannotBeOpenedIsAnErrorAtItsEntry) {
  const Outcome missing = ValidateTrace("trace_missing",
                                        "trace:\n"
                                        "  format: google2011\n"
                                        "  paths: {task_events: [present.csv, nope.csv]}\n");
  ExpectInputError(missing, "24:", "trace.paths.task_events[1]: cannot open trace file ");
  EXPECT_NE(missing.cli.err.find("/nope.csv: No such file or directory"), std::string::npos)
      << missing.cli.err;
  const Outcome directory = ValidateTrace("trace_directory",
                                          "trace:\n"
                                          "  format: swf\n"
                                          "  paths: [.]\n");
  ExpectInputError(directory, "24:", "trace.paths[0]: ");
  EXPECT_NE(directory.cli.err.find("is a directory, not a file"), std::string::npos)
      << directory.cli.err;
  // A path the file system cannot resolve is an error too, not an exception.
  const std::string dir = TempDir("trace_loop");
  std::filesystem::create_symlink(dir + "/loop", dir + "/loop");
  const Outcome loop = ValidateTrace("trace_loop_scenario",
                                     "trace:\n"
                                     "  format: swf\n"
                                     "  paths: [" +
                                         dir + "/loop]\n");
  ExpectInputError(loop, "24:", "cannot open trace file " + dir + "/loop: ");
}

TEST(BadInputTest, UnknownTraceFormatListsTheRegisteredOnes) {
  const Outcome o = ValidateTrace("no_format",
                                  "trace:\n"
                                  "  format: borg2019\n"
                                  "  paths: {jobs: [x.csv]}\n");
  ExpectInputError(o, "23:11",
                   "unknown trace format 'borg2019' (valid: alibaba2017, alibaba2018, csv, "
                   "google2011, swf)");
}

TEST(BadInputTest, BaseScenarioRuns) {
  const Outcome o = RunWith("base", kBase);
  EXPECT_EQ(o.cli.exit_code, 0) << o.cli.err;
}

TEST(BadInputTest, RetryBackoffIsNoneOrAMap) {
  const Outcome word =
      RunWith("backoff_word",
              Replace(kBase, "  - name: batch\n", "  - name: batch\n    retry_backoff: soon\n"));
  ExpectInputError(word, "16:20", "frameworks[0].retry_backoff: expected 'none' or a map");
  const Outcome factor = RunWith(
      "backoff_factor",
      Replace(kBase, "  - name: batch\n", "  - name: batch\n    retry_backoff: {factor: 0.5}\n"));
  ExpectInputError(factor, "16:29", "retry_backoff.factor: expected a number in [1, 1000000]");
  const Outcome none =
      RunWith("backoff_none",
              Replace(kBase, "  - name: batch\n", "  - name: batch\n    retry_backoff: none\n"));
  EXPECT_EQ(none.cli.exit_code, 0) << none.cli.err;
}

TEST(BadInputTest, ExecutorRegistrationTimeoutIsPositive) {
  const Outcome o =
      RunWith("registration_zero", Replace(kBase, "      resources: {cpus: 8, mem: 16GiB}\n",
                                           "      resources: {cpus: 8, mem: 16GiB}\n"
                                           "      executor_registration_timeout: 0s\n"));
  ExpectInputError(o, "14:38",
                   "cluster.groups[0].executor_registration_timeout: expected a duration of at "
                   "least 1ms (or inf)");
}

TEST(BadInputTest, ImageUpdatesInTimeOrderAndMatchingAnImage) {
  const std::string two_updates =
      "duration: 10m\nruntime:\n  image_updates:\n"
      "    - {at: 5m, os: windows, layer: {digest: kb1, download: 1MB}}\n"
      "    - {at: 1m, os: windows, layer: {digest: kb2, download: 1MB}}\n";
  const Outcome order = RunWith("updates_order", Replace(kBase, "duration: 10m\n", two_updates));
  ExpectInputError(order, "7:12", "image updates must be listed in time order");
  const Outcome none = RunWith(
      "updates_none",
      Replace(
          kBase, "duration: 10m\n",
          "duration: 10m\nruntime:\n  image_updates:\n"
          "    - {at: 5m, os: windows, version: ltsc2016, layer: {digest: kb, download: 1MB}}\n"));
  ExpectInputError(none, "6:7", "no image of the catalog has that OS (and version) to update");
}

TEST(BadInputTest, UnknownKey) {
  const Outcome o =
      RunWith("unknown", Replace(kBase, "      os: linux\n", "      os: linux\n      rakcs: 2\n"));
  ExpectInputError(o, "13:7", "unknown key 'rakcs'");
}

TEST(BadInputTest, MisspelledRequiredKeyIsNamed) {
  const Outcome o = RunWith("misspelled", Replace(kBase, "      count: 4", "      cuont: 4"));
  ExpectInputError(o, "10:7", "missing required key 'count' (is 'cuont' a typo?)");
}

TEST(BadInputTest, WrongType) {
  const Outcome o = RunWith("type", Replace(kBase, "count: 4", "count: many"));
  ExpectInputError(o, "11:14", "cluster.groups[0].count");
}

TEST(BadInputTest, NegativeCount) {
  const Outcome o = RunWith("negative", Replace(kBase, "count: 4", "count: -3"));
  ExpectInputError(o, "11:14", "cluster.groups[0].count");
}

TEST(BadInputTest, MalformedSize) {
  const Outcome o = RunWith("size", Replace(kBase, "mem: 16GiB", "mem: 16 gigs"));
  ExpectInputError(o, "13:33", "512MiB");
}

TEST(BadInputTest, MalformedDuration) {
  const Outcome o = RunWith("duration", Replace(kBase, "duration: 1m", "duration: soon"));
  ExpectInputError(o, "19:17", "frameworks[0].workload.duration");
}

TEST(BadInputTest, UnknownPolicyListsValidOnes) {
  const Outcome o = RunWith("policy", Replace(kBase, "  - name: batch\n",
                                              "  - name: batch\n    placement: best-guess\n"));
  EXPECT_EQ(o.cli.exit_code, 2);
  EXPECT_NE(o.cli.err.find("first-fit"), std::string::npos) << o.cli.err;
}

TEST(BadInputTest, BadSetOverrideNamesTheOverride) {
  const Outcome o = RunWith("set", kBase, {"--set", "frameworks[0].workload.rate=fast"});
  EXPECT_EQ(o.cli.exit_code, 2);
  EXPECT_NE(o.cli.err.find("--set"), std::string::npos) << o.cli.err;
}

TEST(BadInputTest, MisspelledPolicySuggestsTheNearest) {
  const Outcome o =
      RunWith("policy-typo", Replace(kBase, "seed: 3\n", "seed: 3\nmaster: {allocator: dfr}\n"));
  ExpectInputError(o, "3:21",
                   "master.allocator: unknown allocator policy 'dfr' (did you mean 'drf'?)");
}

// `memory: 8GiB` is a named scalar to the parser, which takes plain numbers: the error says which
// built-in was meant instead of only "expected a number".
TEST(BadInputTest, ResourceAliasWithASizeSuggestsTheBuiltin) {
  const Outcome o =
      RunWith("memory", Replace(kBase, "cpus: 8, mem: 16GiB", "cpus: 8, memory: 16GiB"));
  ExpectInputError(o, "13:36", "'memory' is no built-in resource (did you mean 'mem'?)");
}

// A block --set creates (the scenario has no `runtime:`) is in no file: its errors name the flag.
TEST(BadInputTest, ErrorInABlockTheOverrideCreatedNamesTheOverride) {
  const Outcome o = RunWith("created", kBase, {"--set", "runtime.dockr.start_latency=1s"});
  EXPECT_EQ(o.cli.exit_code, 2);
  EXPECT_EQ(
      o.cli.err.rfind("clustersim: --set runtime.dockr.start_latency=1s: runtime: unknown key "
                      "'dockr' (did you mean 'docker'?",
                      0),
      0u)
      << o.cli.err;
}

// Messages that used to name the wrong problem (CLI review, session 20): each says what is wrong.
TEST(BadInputTest, CommandLineMistakesAreNamedForWhatTheyAre) {
  const std::string dir = TempDir("cli-mistakes");
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, kBase);
  CliResult r = RunCli({"--bogus", "run", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("clustersim: unknown option '--bogus' before the command", 0), 0u) << r.err;
  r = RunCli({"--plugin", dir, "policies"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "clustersim: --plugin " + dir + ": a folder, not a shared object (.so)\n");
  r = RunCli({"validate", file, "--set", "cluster.groups[0.count=1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cluster.groups[0.count=1: a '[' is not closed by ']'"), std::string::npos)
      << r.err;
  r = RunCli({"compare", file, "--seeds", "abc"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--seeds: expected a whole number of seeds from 1 to 100000, got 'abc'"),
            std::string::npos)
      << r.err;
  r = RunCli({"run", file, "--progress-interval", "1e30h", "--out", dir + "/out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("(more than 0, at most about 73,000 years), got '1e30h'"), std::string::npos)
      << r.err;
}

// `run default` is the embedded scenario even beside a file named default, and says so.
TEST(BadInputTest, DefaultNamesTheEmbeddedScenarioAndSaysSoBesideAFileOfThatName) {
  const std::string dir = TempDir("default-file");
  WriteFile(dir + "/default", kBase);  // name: tiny
  const std::string command = "cd " + dir + " && " + CLUSTERSIM_BINARY +
                              " run default --set duration=10s --out u --quiet 2> err.txt";
  ASSERT_EQ(std::system(command.c_str()), 0) << ReadFile(dir + "/err.txt");
  EXPECT_EQ(ReadFile(dir + "/err.txt"),
            "clustersim: note: 'default' is the embedded scenario; the file ./default is not read "
            "(write ./default to use it)\n");
  EXPECT_NE(ReadFile(dir + "/u/summary.json").find("\"scenario\": \"default\""), std::string::npos);
}

// A compare or sweep whose last seed would pass the largest is refused before any run, naming
// where the seed came from (before: the error came when that run started, about a --set the user
// never typed).
TEST(BadInputTest, AnExperimentWhoseLastSeedOverflowsIsRefusedUpFront) {
  const std::string dir = TempDir("seed-overflow");
  const std::string file = dir + "/scenario.yaml";
  WriteFile(file, kBase);
  const CliResult r = RunCli({"compare", file, "--set", "seed=9223372036854775807", "--seeds", "3",
                              "--out", dir + "/c", "--quiet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "clustersim: --set seed=9223372036854775807: seed 9223372036854775807 with 3 seeds per "
            "cell would run seeds up to 9223372036854775809, past the largest seed "
            "9223372036854775807; lower the seed to at most 9223372036854775805\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/c"));
  const CliResult set = RunCli({"validate", file, "--set", "seed=9223372036854775808"});
  EXPECT_NE(set.err.find("expected a non-negative integer (at most 9223372036854775807), got "
                         "'9223372036854775808'"),
            std::string::npos)
      << set.err;
}

TEST(BadInputTest, SeedBeyondItsRangeIsAnErrorNotCapped) {
  // The error names the flag as typed.
  for (const char* bad : {"99999999999999999999", "1e20", "-1", "7x", "1.5"}) {
    const Outcome o = RunWith("seed", kBase, {"--seed", bad});
    EXPECT_EQ(o.cli.exit_code, 2);
    EXPECT_EQ(o.cli.err, "clustersim: --seed " + std::string(bad) +
                             ": expected a non-negative integer (at most 9223372036854775807)\n");
  }
  EXPECT_EQ(RunWith("seed", kBase, {"--seed", "9223372036854775807"}).cli.exit_code, 0);
  // As `seed:` reads it: 1e3 is 1000.
  EXPECT_EQ(RunWith("seed", kBase, {"--seed", "1e3"}).cli.exit_code, 0);
}

// An image's store pins each of its layers once: a layer listed twice, or published again by an
// update, is refused where it is written (it aborted on the store's pin count).
TEST(BadInputTest, AnImageHoldsEachLayerOnce) {
  ExpectInputError(RunWith("layer_twice", Replace(kBase, "layers: [{digest: l1, download: 10MB}]",
                                                  "layers: [{digest: l1, download: 10MB}, l1]")),
                   "5:", "images[0].layers[1]: layer 'l1' is listed twice");
  const std::string update = std::string(kBase) +
                             "runtime:\n  image_updates:\n"
                             "    - {at: 10s, os: windows, version: ltsc2019, layer: w1}\n";
  ExpectInputError(RunWith("update_twice", update), "24:56",
                   "runtime.image_updates[0].layer: image 'win19' already has layer 'w1'");
}

TEST(BadInputTest, UnknownCommandSuggestsTheNearest) {
  const CliResult r = RunCli({"runn", "x.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err.rfind("clustersim: unknown command 'runn' (did you mean 'run'?); commands: run, ", 0),
      0u)
      << r.err;
  EXPECT_EQ(RunCli({"--plugin", "none.so", "frobnicate"}).exit_code, 2);
}

TEST(BadInputTest, CompareNeedsAtLeastOneSeed) {
  for (const char* seeds : {"0", "-3"}) {
    const CliResult r = RunCli({"compare", "--seeds", seeds, "--out", TempDir("seeds")});
    EXPECT_EQ(r.exit_code, 2) << seeds;
    EXPECT_NE(r.err.find("--seeds"), std::string::npos) << r.err;
  }
}

json Summary(const Outcome& o) {
  EXPECT_EQ(o.cli.exit_code, 0) << o.cli.err;
  const std::string dir = o.file.substr(0, o.file.rfind('/'));
  return json::parse(ReadFile(dir + "/out/summary.json"));
}

TEST(BadInputTest, TaskLargerThanEveryAgentIsUnschedulable) {
  const json s =
      Summary(RunWith("big", Replace(kBase, "{cpus: 1, mem: 1GiB}", "{cpus: 64, mem: 1GiB}")));
  EXPECT_EQ(s["tasks"]["unschedulable"], 10);
  EXPECT_EQ(s["tasks"]["pending_at_end"], 0);
}

TEST(BadInputTest, WindowsTaskOnLinuxOnlyClusterIsUnschedulable) {
  const json s =
      Summary(RunWith("winonlinux", Replace(kBase, "images: [lin]\n",
                                            "images: [win19]\n      windows_fraction: 1\n")));
  EXPECT_EQ(s["tasks"]["unschedulable"], 10);
}

TEST(BadInputTest, WindowsImageNewerThanEveryHostIsUnschedulable) {
  std::string yaml =
      Replace(kBase, "images: [lin]\n", "images: [win22]\n      windows_fraction: 1\n");
  yaml = Replace(yaml, "frameworks:",
                 "    - {name: w19, count: 2, os: windows, version: ltsc2019, isolation: hyperv,\n"
                 "       resources: {cpus: 8, mem: 16GiB}}\nframeworks:");
  const json s = Summary(RunWith("newer", yaml));
  EXPECT_EQ(s["tasks"]["unschedulable"], 10);
}

TEST(BadInputTest, MissingFileIsAnInputError) {
  const CliResult r = RunCli({"run", "/nonexistent/scenario.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/scenario.yaml"), std::string::npos);
}

// Role weights (issue 14, role trees): a weight must be > 0; a framework's weight must agree with
// master.role_weights; role paths follow Mesos's rules. Each an error at its key, exit 2.
TEST(BadInputTest, ZeroRoleWeightIsRejected) {
  const Outcome o = ValidateTrace("role_weight_zero", "master:\n  role_weights: {eng: 0}\n");
  ExpectInputError(o, "23:23", "master.role_weights.eng: expected a number in [1e-09, 1000000000]");
}

TEST(BadInputTest, RoleWeightInAnUpdateIsChecked) {
  const Outcome o = ValidateTrace("role_weight_update",
                                  "master:\n  updates: [{at: 1m, role_weights: {eng/web: -1}}]\n");
  ExpectInputError(o, "23:", "master.updates[0].role_weights.eng/web");
}

// Quota updates have master.quotas's schema: top-level roles only (Mesos 1.11), exit 2 at the key.
TEST(BadInputTest, NestedRoleQuotaInAnUpdateIsRejected) {
  const Outcome o =
      ValidateTrace("quota_update",
                    "master:\n  updates: [{at: 1m, quotas: {eng/web: {guarantee: {cpus: 1}}}}]\n");
  ExpectInputError(o, "23:", "master.updates[0].quotas.eng/web: expected a top-level role");
}

TEST(BadInputTest, FrameworkWeightDisagreeingWithRoleWeightsIsRejected) {
  const std::string yaml =
      Replace(kBase, "  - name: batch\n", "  - name: batch\n    role: eng\n    weight: 3\n") +
      "master:\n  role_weights: {eng: 2}\n";
  const std::string dir = TempDir("role_weight_conflict");
  WriteFile(dir + "/scenario.yaml", yaml);
  const Outcome o{RunCli({"validate", dir + "/scenario.yaml"}), dir + "/scenario.yaml"};
  ExpectInputError(o, "17:13", "role 'eng' has weight 2 in master.role_weights");
}

TEST(BadInputTest, RolePathWithAnEmptyComponentIsRejected) {
  const std::string yaml =
      Replace(kBase, "  - name: batch\n", "  - name: batch\n    role: eng//web\n");
  const std::string dir = TempDir("role_path");
  WriteFile(dir + "/scenario.yaml", yaml);
  const Outcome o{RunCli({"validate", dir + "/scenario.yaml"}), dir + "/scenario.yaml"};
  ExpectInputError(o, "16:11", "role 'eng//web': path components must be non-empty");
}

}  // namespace
// validate checks every file it is given: a bad one is reported and the next ones still checked
// (exit 2). Found by a review: it stopped at the first bad file.
TEST(BadInputTest, ValidateReportsEveryBadFileAndChecksTheRest) {
  const std::string dir = TempDir("validate-several");
  WriteFile(dir + "/bad1.yaml", "name: bad1\nduration: 5 parsecs\n");
  WriteFile(dir + "/bad2.yaml", "name: bad2\nseed: -1\n");
  const CliResult r = RunCli(
      {"validate", dir + "/bad1.yaml", SourcePath("scenarios/default.yaml"), dir + "/bad2.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad1.yaml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad2.yaml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("default.yaml: ok"), std::string::npos) << r.out;
}

// validate with no file checks the embedded default, as run with no scenario runs it (its help
// said so, yet it answered "scenario is required"; found by a new-user walkthrough).
TEST(BadInputTest, ValidateWithNoFileChecksTheEmbeddedDefault) {
  const CliResult r = RunCli({"validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("default: ok (1000 agents in 3 groups, 3 frameworks", 0), 0u) << r.out;
}

// Workload keys written beside `workload:` (or without it) are pointed at their place; the
// list comes from the workload parser itself, so every workload key is covered.
TEST(BadInputTest, AWorkloadKeyAtTheFrameworkLevelSaysWhereItBelongs) {
  const std::string dir = TempDir("workload-key-level");
  WriteFile(dir + "/s.yaml",
            "name: s\ncluster:\n  groups:\n    - {name: a, count: 2, os: linux, resources: "
            "{cpus: 4, mem: 8GiB}}\nframeworks:\n  - name: f\n    initial_jobs: 3\n    "
            "duration: 1m\n");
  const CliResult r = RunCli({"validate", dir + "/s.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "clustersim: " + dir +
                       "/s.yaml:7:5: frameworks[0]: unknown key 'initial_jobs' (it belongs under "
                       "'workload': frameworks[0].workload.initial_jobs)\n");
}

// A recorded replay runs to its trace's last event: a top-level duration (here a --set) does not
// shorten it, and validate says so; the shipped scenario, which sets none, has no warning.
TEST(BadInputTest, ADurationARecordedReplayIgnoresIsWarnedAbout) {
  const std::string scenario = SourcePath("scenarios/google2011-recorded.yaml");
  const CliResult plain = RunCli({"validate", scenario});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.err.find("warning"), std::string::npos) << plain.err;
  const CliResult set = RunCli({"validate", scenario, "--set", "duration=1m"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_NE(set.err.find("warning: duration: a recorded replay runs to its trace's last event"),
            std::string::npos)
      << set.err;
  // With a trace.duration of its own the replay lasts that long, whatever the duration says.
  const CliResult both =
      RunCli({"validate", scenario, "--set", "trace.duration=5m", "--set", "duration=1m"});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_NE(both.err.find("warning: duration: a replay runs for its trace.duration (5min), "
                          "not for this duration"),
            std::string::npos)
      << both.err;
  const CliResult same =
      RunCli({"validate", scenario, "--set", "trace.duration=5m", "--set", "duration=5m"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_EQ(same.err.find("warning"), std::string::npos) << same.err;
}

// validate on a sweep file checks the sweep (every cell a valid scenario) instead of reading it
// as a scenario ("missing required key 'cluster'", found by a CLI review); a bad cell is named.
TEST(BadInputTest, ValidateChecksASweepFileAsASweep) {
  const CliResult good =
      RunCli({"validate", SourcePath("scenarios/sweeps/windows-patch-day.yaml")});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("ok (a sweep: "), std::string::npos) << good.out;
  const std::string dir = TempDir("validate-sweep");
  WriteFile(dir + "/s.yaml", "base: " + SourcePath("scenarios/default.yaml") +
                                 "\naxes:\n  - {path: master.allocator, values: [drf, nosuch]}\n");
  const CliResult bad = RunCli({"validate", dir + "/s.yaml"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("nosuch"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("missing required key 'cluster'"), std::string::npos) << bad.err;
}

}  // namespace clustersim::test
