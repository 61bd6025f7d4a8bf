// External policies (issue 17): a placement decided by a Python process over protocol.proto,
// through the real binary: byte-identical to the in-tree policy it transcribes, and every way the
// process can fail ends the run with exit 2, one line, and the partial results written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "external_support.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;

// Runs default.yaml with `in_tree` for every framework and again with the Python example
// `example` for every framework; the two give the same tasks.csv, timeseries.csv and summary.json
// (but for its wall-clock `run`).
void ExpectSameAsInTree(const std::string& in_tree, const std::string& example) {
  const std::string dir = TempDir("external-" + in_tree);
  const std::string python = External({kPython, SourcePath("python/examples/" + example)});
  for (const auto& [out, placement] :
       {std::pair{dir + "/in-tree", in_tree}, std::pair{dir + "/python", python}}) {
    std::vector<std::string> args = {"run", SourcePath("scenarios/default.yaml"), "--out", out,
                                     "--quiet"};
    for (int f = 0; f < 3; ++f) {
      args.insert(args.end(),
                  {"--set", "frameworks[" + std::to_string(f) + "].placement=" + placement});
    }
    const CliResult r = RunCli(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ExpectSameResults(dir + "/in-tree", dir + "/python");
  EXPECT_TRUE(std::filesystem::exists(dir + "/python/external-web.log"));
}

// Acceptance 1: python/examples/first_fit.py is the in-tree first-fit.
TEST(ExternalPolicyTest, PythonFirstFitIsByteIdenticalToTheInTreeOne) {
  ExpectSameAsInTree("first-fit", "first_fit.py");
}

// python/examples/image_locality.py reads PlacementRound.image_cache (what each agent lacks of
// each image): the in-tree image-locality.
TEST(ExternalPolicyTest, PythonImageLocalityIsByteIdenticalToTheInTreeOne) {
  ExpectSameAsInTree("image-locality", "image_locality.py");
}

// The pending queue as deltas between rounds (the Python client's default) and whole (a Scheduler
// with wants_queue_deltas = False) give the same launches: both runs of batch-linux equal the
// in-tree first-fit's, and the delta run did get deltas (its log counts the rounds of each kind).
TEST(ExternalPolicyTest, QueueDeltasAndWholeQueuesGiveTheSameRun) {
  auto counting = [](const std::string& name, bool deltas) {
    return Script(name, R"(
import collections, sys
sys.path.insert(0, ")" + SourcePath("python/examples") +
                            R"(")
from first_fit import FirstFit
import clustersim.placement as placement
from clustersim import run
kinds = collections.Counter()
update = placement.TaskQueue.update
def counted(self, message, n):
    whole = not message.HasField("queue_delta") or message.queue_delta.full
    kinds["full" if whole else "delta"] += 1
    kinds["removed"] += len(message.queue_delta.removed)
    kinds["prepended"] += message.queue_delta.prepended
    update(self, message, n)
placement.TaskQueue.update = counted
class Counting(FirstFit):
    wants_queue_deltas = )" +
                            (deltas ? "True" : "False") + R"(
    def on_end(self, summary):
        print(kinds["full"], kinds["delta"], kinds["removed"], kinds["prepended"], flush=True)
run(Counting())
)");
  };
  const std::string dir = TempDir("external-queue-deltas");
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"in-tree", "first-fit"},
      {"deltas", External({kPython, counting("deltas", true)})},
      {"whole", External({kPython, counting("whole", false)})}};
  for (const auto& [name, placement] : runs) {
    const CliResult r =
        RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir + "/" + name, "--quiet",
                "--set", "duration=30m", "--set", "frameworks[1].placement=" + placement});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_TRUE(ReadFile(dir + "/in-tree/tasks.csv") == ReadFile(dir + "/deltas/tasks.csv"));
  EXPECT_TRUE(ReadFile(dir + "/in-tree/tasks.csv") == ReadFile(dir + "/whole/tasks.csv"));
  unsigned long full = 0, delta = 0, removed = 0, prepended = 0;
  ASSERT_EQ(std::sscanf(ReadFile(dir + "/deltas/external-batch-linux.log").c_str(),
                        "%lu %lu %lu %lu", &full, &delta, &removed, &prepended),
            4);
  EXPECT_GT(delta, 100 * full);  // the first round is whole, then (nearly) all are deltas
  EXPECT_GT(removed, 100u);
  ASSERT_EQ(std::sscanf(ReadFile(dir + "/whole/external-batch-linux.log").c_str(),
                        "%lu %lu %lu %lu", &full, &delta, &removed, &prepended),
            4);
  EXPECT_EQ(delta, 0u);
  EXPECT_GT(full, 100u);
}

std::string FirstFitVariant(const std::string& name, const std::string& body) {
  return External({kPython, Script(name, R"(
import sys
sys.path.insert(0, ")" + SourcePath("python/examples") +
                                             R"(")
from first_fit import FirstFit
from clustersim import run
class Variant(FirstFit):
    rounds = 0
    def on_round(self, r):
        super().on_round(r)
        Variant.rounds += 1
)" + body + R"(
    def on_end(self, summary):
        print(Variant.rounds, flush=True)
run(Variant())
)")});
}

json Framework(const std::string& dir, const std::string& name) {
  const json s = json::parse(ReadFile(dir + "/summary.json"));
  for (const json& fw : s["frameworks"]) {
    if (fw["name"] == name) return fw;
  }
  return json();
}

// A policy's filters (PlacementDecision.refuse_*): batch-linux under the Python first-fit, as is
// (the framework's 5 s filters), and with every offer it leaves unused filtered for an hour: it is
// offered a fifth as often, and still finishes tasks (new agents free up).
TEST(ExternalPolicyTest, APolicysFiltersReplaceTheFrameworksRefuseSeconds) {
  const std::string dir = TempDir("external-filters");
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"plain", FirstFitVariant("plain", "        pass")},
      {"filtered", FirstFitVariant("filtered", R"(        used = {o for _, o in r.launches}
        for o in range(r.offer_count):
            if o not in used:
                r.refuse(o, 3600))")},
      {"bad", FirstFitVariant("bad", "        r.refuse(0, -1)")}};
  for (const auto& [name, placement] : runs) {
    const CliResult r =
        RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir + "/" + name, "--quiet",
                "--set", "duration=20m", "--set", "frameworks[1].placement=" + placement});
    if (name == "bad") {
      EXPECT_EQ(r.exit_code, 2);
      EXPECT_NE(r.err.find("refuse 0 asks -1 s for offer 0; expected 0 to 1e9 s"),
                std::string::npos)
          << r.err;
      continue;
    }
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  const json plain = Framework(dir + "/plain", "batch-linux");
  const json filtered = Framework(dir + "/filtered", "batch-linux");
  EXPECT_LT(filtered["offers"]["received"].get<uint64_t>(),
            plain["offers"]["received"].get<uint64_t>() / 5);
  EXPECT_GT(filtered["tasks_finished"].get<uint64_t>(), 0u);
}

// SUPPRESS (PlacementDecision.suppress): 20 one-cpu tasks at time 0 on 8 cpus. Suppressing after
// its first round, the framework is offered nothing again (no new work arrives to revive it): 8
// tasks run, 12 wait to the end. As is, all 20 finish in three waves.
TEST(ExternalPolicyTest, APolicyThatSuppressesIsOfferedNothingUntilRevived) {
  const std::string dir = TempDir("external-suppress");
  WriteFile(dir + "/burst.yaml", R"(
name: burst
duration: 10m
cluster:
  groups:
    - {name: linux, count: 2, os: linux, resources: {cpus: 4, mem: 16GiB}}
frameworks:
  - name: burst
    workload:
      initial_jobs: 1
      tasks_per_job: 20
      duration: 60s
      resources: {cpus: 1, mem: 1GiB}
)");
  for (const auto& [name, body] :
       {std::pair{std::string("plain"), std::string("        pass")},
        std::pair{std::string("suppressed"), std::string("        r.suppress()")}}) {
    const CliResult r =
        RunCli({"run", dir + "/burst.yaml", "--out", dir + "/" + name, "--quiet", "--set",
                "frameworks[0].placement=" + FirstFitVariant("burst-" + name, body)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(Framework(dir + "/plain", "burst")["tasks_finished"].get<uint64_t>(), 20u);
  const json suppressed = Framework(dir + "/suppressed", "burst");
  EXPECT_EQ(suppressed["tasks_finished"].get<uint64_t>(), 8u);
  EXPECT_EQ(suppressed["tasks_pending_at_end"].get<uint64_t>(), 12u);
  EXPECT_EQ(ReadFile(dir + "/suppressed/external-burst.log"), "1\n");
}

// A misbehaving policy on default.yaml's `web` framework: exit 2, the error on one line naming
// the framework and the command, and the run's files written up to the failure.
void ExpectFailure(const std::string& name, const std::string& placement,
                   const std::string& expected) {
  SCOPED_TRACE(name);
  const std::string dir = TempDir("external-" + name);
  const CliResult r = RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet",
                              "--set", "frameworks[0].placement=" + placement},
                             /*time_limit_s=*/60);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("external placement of framework 'web'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  ASSERT_TRUE(std::filesystem::exists(dir + "/summary.json"));
  const json s = json::parse(ReadFile(dir + "/summary.json"));
  EXPECT_LT(s["sim_seconds"].get<double>(), 3600.0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/tasks.csv"));
}

// The error points at the policy's log, where a Python policy's traceback is.
TEST(ExternalPolicyTest, APolicyThatCrashesEndsTheRun) {
  ExpectFailure(
      "crash", External({kPython, "-c", "import sys; sys.exit(3)"}),
      "hello: the policy closed its answer pipe: it exited with status 3 (its output: " +
          (std::filesystem::temp_directory_path() /
           ("clustersim-test-" + std::to_string(getpid()) + "-external-crash") / "external-web.log")
              .string() +
          ")");
}

// A transport failure after the hello names the round it broke in, and the command once (audit
// s22 E5: the round was missing and the command appeared twice).
TEST(ExternalPolicyTest, ACrashInALaterRoundNamesTheRoundAndTheCommandOnce) {
  const std::string crash = Script("crash_round3", R"(
import sys
from clustersim import Scheduler, run
class CrashAtThree(Scheduler):
    rounds = 0
    def on_round(self, r):
        CrashAtThree.rounds += 1
        if CrashAtThree.rounds == 3:
            sys.exit(7)
run(CrashAtThree())
)");
  ExpectFailure("crash-round3", External({kPython, crash}),
                "round 3: the policy closed its answer pipe: it exited with status 7");
  const std::string dir = TempDir("external-crash-round3-line");
  const CliResult r = RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet",
                              "--set", "frameworks[0].placement=" + External({kPython, crash})},
                             /*time_limit_s=*/60);
  size_t mentions = 0;
  for (size_t at = r.err.find(crash); at != std::string::npos; at = r.err.find(crash, at + 1)) {
    ++mentions;
  }
  EXPECT_EQ(mentions, 1u) << r.err;
}

TEST(ExternalPolicyTest, APolicyThatHangsTimesOut) {
  ExpectFailure("hang", External({"sleep", "30"}, ", timeout: 2s"),
                "hello: the policy did not answer within 2 s");
}

// A policy that answers the Hello and then never reads: once a round is larger than the pipe's
// buffer (64 KiB: 4,000 agents here), writing it blocks. The timeout bounds that wait too; the
// run used to hang for ever in write (audit s22 E1).
TEST(ExternalPolicyTest, APolicyThatStopsReadingTimesOut) {
  const std::string deaf = Script("deaf", R"(
import time
from clustersim.protocol import Connection, pb
conn = Connection()
conn.receive()
reply = pb.FromPolicy()
reply.hello.protocol_version = 1
conn.send(reply)
time.sleep(120)
)");
  const std::string dir = TempDir("external-deaf");
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet", "--set",
              "duration=10m", "--set", "cluster.groups[0].count=4000", "--set",
              "frameworks[0].placement=" + External({kPython, deaf}, ", timeout: 2s")},
             /*time_limit_s=*/60);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("did not read its request within 2 s"), std::string::npos) << r.err;
}

// A policy started through a wrapper (sh -c, a venv launcher) is ended with it: it runs in its
// own process group, which the simulator kills. The wrapped policy used to be left running.
TEST(ExternalPolicyTest, AWrappedPolicyEndsWithTheRun) {
  const std::string marker = "wrapped-policy-marker-" + std::to_string(::getpid());
  const std::string hang = Script("wrapped", "import time\ntime.sleep(300)\n");
  ExpectFailure(
      "wrapped",
      External({"/bin/sh", "-c", std::string(kPython) + " " + hang + " " + marker + "; true"},
               ", timeout: 2s"),
      "did not answer within 2 s");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // for the kill to land
  // "[w]" keeps pgrep's own shell, whose command line holds the pattern, from matching it.
  const std::string check = "pgrep -f '[w]" + marker.substr(1) + "' > /dev/null";
  EXPECT_NE(std::system(check.c_str()), 0) << "the wrapped policy is still running";
}

// Protobuf lets a message carry an unknown field or come in pieces; such an answer is still the
// answer (it was refused as "expected a PlacementDecision"). The policy here is first-fit whose
// every decision carries an unknown field 15 after it: the run is first-fit's.
TEST(ExternalPolicyTest, AnAnswerWithAnUnknownFieldIsStillTheAnswer) {
  const std::string script = Script("unknown-field", R"(
import struct, sys
sys.path.insert(0, ")" + SourcePath("python/examples") + R"(")
from clustersim import protocol
original = protocol.Connection.send
def send(self, message):
    body = message.SerializeToString() + b"\x78\x01"
    self._out.write(struct.pack("<I", len(body)) + body)
protocol.Connection.send = send
import runpy
runpy.run_path(")" + SourcePath("python/examples/first_fit.py") +
                                                         R"(", run_name="__main__")
)");
  const std::string dir = TempDir("external-unknown-field");
  for (const auto& [out, placement] : {std::pair{dir + "/in-tree", std::string("first-fit")},
                                       std::pair{dir + "/python", External({kPython, script})}}) {
    const CliResult r =
        RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", out, "--quiet", "--set",
                "duration=10m", "--set", "frameworks[0].placement=" + placement},
               /*time_limit_s=*/120);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ExpectSameResults(dir + "/in-tree", dir + "/python");
}

// A framework name with '/' is legal; its policy's log stays in the run folder, '/' as %2F (the
// policy used to fail to start, "No such file or directory", for the log's missing folder).
TEST(ExternalPolicyTest, AFrameworkNameWithASlashGetsALogInTheRunFolder) {
  const std::string dir = TempDir("external-slash");
  const CliResult r =
      RunCli({"run", SourcePath("scenarios/default.yaml"), "--out", dir, "--quiet", "--set",
              "duration=1m", "--set", "frameworks[0].name=team/web", "--set",
              "frameworks[0].placement=" +
                  External({kPython, SourcePath("python/examples/first_fit.py")})},
             /*time_limit_s=*/60);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/external-team%2Fweb.log"));
}

TEST(ExternalPolicyTest, GarbageBytesEndTheRun) {
  // A frame of 5 bytes that are no FromPolicy message; then "garbage" read as a frame length.
  const std::string five =
      Script("five", "printf '\\005\\000\\000\\000\\377\\377\\377\\377\\377' >&4\nsleep 5\n");
  ExpectFailure("garbage", External({"sh", five}),
                "hello: the policy sent 5 bytes that are not a FromPolicy message");
  const std::string text = Script("text", "printf garbage >&4\nsleep 5\n");
  ExpectFailure("huge-frame", External({"sh", text}), "sent a frame of 1651663207 bytes");
}

TEST(ExternalPolicyTest, AnotherProtocolVersionEndsTheRun) {
  const std::string script = Version2Policy();
  ExpectFailure("version", External({kPython, script}),
                "hello: the policy speaks protocol version 2; this clustersim speaks 1");
}

TEST(ExternalPolicyTest, AnIllegalLaunchEndsTheRun) {
  // Every task into offer 0, whether it fits or not: the agent's max_tasks_per_agent (2) of web's
  // tasks is reached first.
  const std::string greedy = Script("greedy", R"(
from clustersim import Scheduler, run
class Greedy(Scheduler):
    def on_round(self, r):
        for t in range(r.task_count):
            r.launches.append((t, 0))
run(Greedy())
)");
  ExpectFailure("illegal", External({kPython, greedy}),
                "illegal launch 2 (task 2 into offer 0): the agent runs max_tasks_per_agent (2)");
  const std::string unknown = Script("unknown", R"(
from clustersim import Scheduler, run
class Unknown(Scheduler):
    def on_round(self, r):
        r.launches.append((0, r.offer_count))
run(Unknown())
)");
  ExpectFailure("unknown-offer", External({kPython, unknown}), "expected a task below");
}

// Every rule of CanPlace in play, on small agents: Linux, Windows ltsc2019 and ltsc2022 with
// process isolation (a 2019 image does not run on a 2022 process host) and ltsc2022 with Hyper-V
// (runs both, each container with a 1 GiB utility VM: tasks that fit without it may not fit with
// it), Linux agents of zone b the framework's constraint rules out, max_tasks_per_offer 2,
// max_tasks_per_agent 3, and more load than the cluster holds.
const char kCanPlaceStress[] = R"(name: can-place-stress
duration: 20m
runtime:
  hyperv: {mem_overhead: 1GiB}
images:
  - {name: lin, os: linux, layers: [{digest: lin, download: 10MB, disk: 20MB}]}
  - {name: w19, os: windows, version: ltsc2019, layers: [{digest: w19, download: 10MB, disk: 20MB}]}
  - {name: w22, os: windows, version: ltsc2022, layers: [{digest: w22, download: 10MB, disk: 20MB}]}
cluster:
  groups:
    - {name: linux, count: 10, os: linux, resources: {cpus: 4, mem: 6GiB}, attributes: {zone: a}}
    - {name: linux-b, count: 5, os: linux, resources: {cpus: 4, mem: 6GiB}, attributes: {zone: b}}
    - {name: w19p, count: 10, os: windows, version: ltsc2019, isolation: process,
       resources: {cpus: 4, mem: 6GiB}, attributes: {zone: a}}
    - {name: w22p, count: 10, os: windows, version: ltsc2022, isolation: process,
       resources: {cpus: 4, mem: 6GiB}, attributes: {zone: a}}
    - {name: w22h, count: 10, os: windows, version: ltsc2022, isolation: hyperv,
       resources: {cpus: 4, mem: 6GiB}, attributes: {zone: a}}
frameworks:
  - name: mixed
    max_tasks_per_offer: 2
    workload:
      arrival: poisson
      rate: 30/min
      tasks_per_job: 4
      duration: {dist: exponential, mean: 60s}
      resources: {cpus: {dist: uniform, min: 0.5, max: 2}, mem: {dist: uniform, min: 512MiB, max: 3GiB}}
      windows_fraction: 0.6
      images: [lin, w19, w22]
      constraints: {max_tasks_per_agent: 3, attributes: {zone: a}}
)";

// The Python client's can_place against the simulator's CanPlace on random rounds: in every
// round the policy asks the simulator to compare 40 random (task, offer) pairs at the round's
// start (both answers checked), then fills random offers with random tasks its can_place allows,
// each launch checked again by the simulator mid-round (per-offer and per-agent counts, what is
// left). A single difference fails the run. (Each rule left out of can_place in turn makes this
// test fail: checked when it was written.)
TEST(ExternalPolicyTest, PythonCanPlaceAgreesWithTheSimulatorOnRandomRounds) {
  const std::string script = Script("random_checks", R"(
import random
from clustersim import Scheduler, run
class RandomChecks(Scheduler):
    def __init__(self):
        self.rng = random.Random(11)
        self.checked = self.feasible = 0
    def on_round(self, r):
        if not r.task_count or not r.offer_count:
            return
        for _ in range(40):
            r.check(self.rng.randrange(r.task_count), self.rng.randrange(r.offer_count))
        self.checked += 40
        self.feasible += sum(1 for _, _, ok in r.checks if ok)
        tasks = list(range(r.task_count))
        for _ in range(3):
            o = self.rng.randrange(r.offer_count)
            self.rng.shuffle(tasks)
            for t in tasks:
                if r.can_place(t, o):
                    r.place(t, o)
    def on_end(self, summary):
        print(f"checked {self.checked} pairs, {self.feasible} feasible", flush=True)
run(RandomChecks())
)");
  const std::string dir = TempDir("external-random-checks");
  WriteFile(dir + "/stress.yaml", kCanPlaceStress);
  const CliResult r = RunCli({"run", dir + "/stress.yaml", "--out", dir + "/out", "--quiet",
                              "--set", "frameworks[0].placement=" + External({kPython, script})},
                             /*time_limit_s=*/120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string log = ReadFile(dir + "/out/external-mixed.log");
  unsigned long checked = 0, feasible = 0;
  ASSERT_EQ(std::sscanf(log.c_str(), "checked %lu pairs, %lu feasible", &checked, &feasible), 2)
      << log;
  EXPECT_GT(checked, 10000u);
  EXPECT_GT(feasible, checked / 20);
  EXPECT_LT(feasible, checked - checked / 20);
}

TEST(ExternalPolicyTest, APythonExceptionIsReportedByThePolicy) {
  const std::string raises = Script("raises", R"(
from clustersim import Scheduler, run
class Raises(Scheduler):
    def on_round(self, r):
        raise RuntimeError("no idea what to do")
run(Raises())
)");
  ExpectFailure("exception", External({kPython, raises}),
                "the policy reported an error: Traceback (most recent call last):");
}

// A trace's different-machine tasks (job constraints): rounds carry each task's job and the
// jobs' tallies on the offers' agents (JobTallies), and the Python can_place applies the rule. The
// Python first-fit for every framework of google2011-sample.yaml gives the in-tree first-fit's
// run, and its rounds did meet tallies and different-machine tasks.
TEST(ExternalPolicyTest, PythonFirstFitKeepsATracesJobConstraints) {
  const std::string script = Script("job_counting", R"(
import sys
sys.path.insert(0, ")" + SourcePath("python/examples") + R"(")
from first_fit import FirstFit
from clustersim import run
class Counting(FirstFit):
    tallied = alone = 0
    def on_round(self, r):
        Counting.tallied += 1 if r.job_tally else 0
        Counting.alone += sum(1 for x in r.task_different_machine if x)
        super().on_round(r)
    def on_end(self, summary):
        print(Counting.tallied, Counting.alone, flush=True)
run(Counting())
)");
  const std::string dir = TempDir("external-job-constraints");
  const std::string python = External({kPython, script});
  std::vector<std::string> with_python = {"run", SourcePath("scenarios/google2011-sample.yaml"),
                                          "--out", dir + "/python", "--quiet"};
  for (int f = 0; f < 3; ++f) {
    with_python.insert(with_python.end(),
                       {"--set", "frameworks[" + std::to_string(f) + "].placement=" + python});
  }
  for (const auto& args :
       {std::vector<std::string>{"run", SourcePath("scenarios/google2011-sample.yaml"), "--out",
                                 dir + "/in-tree", "--quiet"},
        with_python}) {
    const CliResult r = RunCli(args, /*time_limit_s=*/300);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ExpectSameResults(dir + "/in-tree", dir + "/python");
  unsigned long tallied = 0, alone = 0;
  ASSERT_EQ(
      std::sscanf(ReadFile(dir + "/python/external-free.log").c_str(), "%lu %lu", &tallied, &alone),
      2);
  EXPECT_GT(tallied, 10u);
  EXPECT_GT(alone, 100u);
}

TEST(ExternalPolicyTest, ACommandIsOneStringOrAList) {
  const std::string dir = TempDir("external-validate");
  const CliResult r = RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
                              "frameworks[0].placement={external: \"/usr/bin/python3 'my "
                              "sched.py'\", timeout: 5s}"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const CliResult bad = RunCli({"validate", SourcePath("scenarios/default.yaml"), "--set",
                                "frameworks[0].placement={external: \"python3 'unterminated\"}"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("frameworks[0].placement.external"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("expected a command"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace clustersim::test
