#include "results/metric_catalogue.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <numeric>

#include "models/task.h"
#include "scheduler_plugins/api/os.h"

namespace clustersim::results {
namespace {

using P = Presence;
using B = Better;

// The catalogue is built by appending rows; the helpers below add the fields that repeat
// (a quantile block, its per-OS copies, one count per task reason).
class Builder {
 public:
  Builder& Add(std::string path, std::string unit, std::string title, std::string meaning,
               Better better, std::vector<Presence> when = {P::kAlways}) {
    rows_.push_back({std::move(path), std::move(unit), std::move(title), std::move(meaning),
                     std::move(when), false, better, FieldKind::kMetric});
    return *this;
  }
  Builder& Label(std::string path, std::string title, std::string meaning) {
    rows_.push_back({std::move(path),
                     "",
                     std::move(title),
                     std::move(meaning),
                     {P::kAlways},
                     false,
                     B::kNeither,
                     FieldKind::kLabel});
    return *this;
  }
  // A list of numbers (a distribution's points), not a compare/sweep column.
  Builder& Series(std::string path, std::string unit, std::string title, std::string meaning) {
    rows_.push_back({std::move(path),
                     std::move(unit),
                     std::move(title),
                     std::move(meaning),
                     {P::kAlways},
                     false,
                     B::kNeither,
                     FieldKind::kSeries});
    return *this;
  }
  // The previous row is present only when its value is not 0.
  Builder& Sparse() {
    rows_.back().sparse = true;
    return *this;
  }

  // count, mean, p50, p95, p99, max, quantile_method of a series of `what` (lower is better for
  // every duration here).
  void Quantiles(const std::string& prefix, const std::string& title, const std::string& what) {
    Add(prefix + ".count", "samples", title + ", samples", "Number of samples of " + what + ".",
        B::kNeither);
    Add(prefix + ".mean", "s", title + ", mean", "Exact mean of " + what + ".", B::kLower);
    for (const char* q : {"p50", "p95", "p99"}) {
      Add(fmt::format("{}.{}", prefix, q), "s", fmt::format("{}, {}", title, q),
          fmt::format("Nearest-rank {}th percentile of {}.", std::string_view(q).substr(1), what),
          B::kLower);
    }
    Add(prefix + ".max", "s", title + ", max", "Largest sample of " + what + ".", B::kLower);
    Label(prefix + ".quantile_method", title + ", quantile method",
          "How the percentiles of " + what +
              " were computed: exact, or ddsketch beyond 2^20 "
              "samples.");
  }
  // A latency's overall block and one per OS.
  void Latency(const std::string& key, const std::string& title, const std::string& what) {
    Quantiles(key, title, what);
    for (int os = 0; os < plugins::kOsCount; ++os) {
      const std::string name(plugins::OsName(static_cast<plugins::Os>(os)));
      Quantiles(key + ".by_os." + name, OsTitle(name) + " " + Lower(title),
                what + " of " + name + " tasks");
    }
  }

  std::vector<CatalogueEntry> Take() { return std::move(rows_); }

  // An OS name as a title starts: "Linux", "Windows".
  static std::string OsTitle(std::string name) {
    if (!name.empty())
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    return name;
  }

 private:
  static std::string Lower(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
  }
  std::vector<CatalogueEntry> rows_;
};

void AddTasks(Builder& b) {
  b.Add("tasks.submitted", "tasks", "Tasks submitted", "Tasks submitted during the run.",
        B::kNeither);
  b.Add("tasks.finished", "tasks", "Tasks finished", "Tasks that ended FINISHED.", B::kHigher);
  b.Add("tasks.failed", "tasks", "Tasks failed", "Tasks that ended FAILED.", B::kLower);
  b.Add("tasks.lost", "tasks", "Tasks lost", "Tasks that ended LOST.", B::kLower);
  b.Add("tasks.unreachable", "tasks", "Tasks unreachable",
        "Tasks of partition-aware frameworks that ended UNREACHABLE.", B::kLower);
  b.Add("tasks.killed", "tasks", "Tasks killed", "Tasks that ended KILLED.", B::kLower);
  b.Add("tasks.unschedulable", "tasks", "Tasks unschedulable",
        "Tasks that ended UNSCHEDULABLE: no agent of the cluster could ever run them.", B::kLower);
  b.Add("tasks.pending_at_end", "tasks", "Tasks pending at end",
        "Tasks still waiting for a launch when the run ended.", B::kLower);
  b.Add("tasks.running_at_end", "tasks", "Tasks running at end",
        "Tasks launched and not ended (STAGING, STARTING or RUNNING) when the run ended.",
        B::kNeither);
  b.Add("tasks.retried_attempts", "tasks", "Retried attempts",
        "Attempts that failed or were lost and went back to the queue.", B::kLower);
  b.Add("tasks.recovered_attempts", "tasks", "Recovered attempts",
        "Attempts written off LOST or UNREACHABLE that ran on (or had finished) when their agent "
        "reregistered "
        "(each also counted in retried_attempts).",
        B::kNeither);
  for (const char* state : {"unschedulable", "failed", "lost", "unreachable", "killed"}) {
    b.Add(fmt::format("tasks.by_reason.{}.*", state), "tasks",
          fmt::format("Tasks {} by reason", state),
          fmt::format("Tasks that ended {} for the reason named by the key (the reasons table of "
                      "results/README.md).",
                      state),
          B::kLower)
        .Sparse();
  }
  const std::vector<Presence> warmup = {P::kWarmup};
  b.Add("tasks.pending_at_warmup", "tasks", "Tasks pending at warmup",
        "Tasks waiting for a launch when the warmup ended (results.warmup): with them the task "
        "counts add up over the measured part of the run.",
        B::kNeither, warmup);
  b.Add("tasks.running_at_warmup", "tasks", "Tasks running at warmup",
        "Tasks launched and not ended when the warmup ended (results.warmup).", B::kNeither,
        warmup);
}

void AddAgentFaults(Builder& b) {
  b.Add("agent_faults.faults", "agents", "Agent faults",
        "Agent crashes, partitions and removals (events' AGENT_DOWN).", B::kNeither);
  b.Add("agent_faults.unreachable", "agents", "Agents unreachable",
        "Times an agent was marked unreachable after max_agent_ping_timeouts missed pings.",
        B::kLower);
  b.Add("agent_faults.reregistered", "agents", "Agents reregistered",
        "Times an agent came back as itself after a crash or a partition.", B::kNeither);
  b.Add("agent_faults.reregistration_kills", "tasks", "Containers killed on reregistration",
        "Containers a reregistering agent brought back and its master or framework killed: "
        "their task had been relaunched or given up (duplicates), or, with "
        "master.reregistration_kills_non_partition_aware, its framework is not partition-aware.",
        B::kLower);
}

void AddOffersAndMaster(Builder& b) {
  b.Add("offers.sent", "offers", "Offers sent", "Offers the master sent to frameworks.",
        B::kNeither);
  b.Add("offers.accepted", "offers", "Offers accepted", "Offers answered with at least one launch.",
        B::kNeither);
  b.Add("offers.declined", "offers", "Offers declined", "Offers declined without a launch.",
        B::kLower);
  b.Add("offers.rescinded", "offers", "Offers rescinded",
        "Offers the master took back (offer timeout, agent removed).", B::kLower);
  b.Add("offers.allocation_cycles", "cycles", "Allocation cycles",
        "Allocation cycles the master ran.", B::kNeither);
  const std::vector<Presence> cost = {P::kCostModel};
  b.Add("master_cost.offers_per_s", "offers/s", "Simulated master: offers per simulated second",
        "Offers the modelled master delivered per simulated second (not this program's speed).",
        B::kHigher, cost);
  b.Add("master_cost.busy_fraction", "fraction", "Simulated master: busy fraction",
        "Share of simulated time the modelled master actor was busy (building and sending offers, "
        "accepts, declines, status updates).",
        B::kNeither, cost);
  b.Add("master_cost.allocator_busy_fraction", "fraction", "Simulated allocator: busy fraction",
        "Share of simulated time the modelled allocator actor was busy (allocation cycles, "
        "recovering resources).",
        B::kNeither, cost);
  b.Add("master_cost.cycles", "cycles", "Simulated master: cycles",
        "Allocation cycles the cost model timed.", B::kNeither, cost);
  b.Add("master_cost.mean_offer_delay_s", "s", "Simulated master: offer delay, mean",
        "Mean over offers of the time from their cycle falling due to their delivery (allocator "
        "cycle, then the master building the offers).",
        B::kLower, cost);
  b.Add("master_cost.max_offer_delay_s", "s", "Simulated master: offer delay, max",
        "Longest time from a cycle falling due to an offer's delivery.", B::kLower, cost);
  b.Add("master_cost.mean_cycle_delay_s", "s", "Simulated master: cycle delay, mean",
        "Mean over cycles of the time from falling due to the end of the allocator's cycle.",
        B::kLower, cost);
}

// roles[]: each role's allocation, and its quota and reservation use where it has them. Resource
// objects have one key per resource kind (cpus, mem and disk in MiB, gpus, named scalars).
void AddRoles(Builder& b) {
  b.Label("roles[name=*].name", "Role", "The role's name (its list key).");
  b.Add("roles[name=*].allocated_mean.*", "amount", "Allocated, mean",
        "What the role's tasks held of the resource kind named by the key, time-averaged.",
        B::kNeither);
  const auto quota = [&](std::string key, std::string unit, std::string title, std::string meaning,
                         Better better, Presence when) {
    b.Add("roles[name=*].quota." + key, std::move(unit), std::move(title), std::move(meaning),
          better, {when});
  };
  quota("guarantee.*", "amount", "Quota guarantee", "The role's configured guarantee of the kind.",
        B::kNeither, P::kRoleGuarantee);
  quota("limit.*", "amount", "Quota limit", "The role's configured limit of the kind.", B::kNeither,
        P::kRoleLimit);
  quota("guarantee_use.*", "ratio", "Guarantee use",
        "allocated_mean over the guarantee of the kind (above 1: above the guarantee on average).",
        B::kNeither, P::kRoleGuarantee);
  quota("limit_use.*", "ratio", "Limit use", "allocated_mean over the limit of the kind.",
        B::kNeither, P::kRoleLimit);
  quota("guarantee_met_fraction", "fraction", "Guarantee met",
        "Fraction of time the role's tasks held at least its guarantee in every kind.", B::kHigher,
        P::kRoleGuarantee);
  quota("at_limit_fraction", "fraction", "At quota limit",
        "Fraction of time the role was at its limit (its smallest task would not fit under it).",
        B::kLower, P::kRoleLimit);
  const std::vector<Presence> reserved = {P::kRoleReservation};
  b.Add("roles[name=*].reservation.reserved_mean.*", "amount", "Reserved, mean",
        "The role's reservations of the kind on active agents, time-averaged.", B::kNeither,
        reserved);
  b.Add("roles[name=*].reservation.used_mean.*", "amount", "Reservation used, mean",
        "The part of the reservations the role's tasks occupied, time-averaged.", B::kNeither,
        reserved);
  b.Add("roles[name=*].reservation.use.*", "ratio", "Reservation use",
        "used_mean over reserved_mean of the kind.", B::kHigher, reserved);
}

// schedulers[]: the Omega paper's §4 metrics, one entry per scheduler (a framework, two-level).
void AddSchedulers(Builder& b) {
  b.Label("schedulers[name=*].name", "Scheduler", "The scheduler's name (its framework's).");
  b.Add("schedulers[name=*].busyness", "fraction", "Scheduler busyness",
        "Share of the run the scheduler spent deciding (its decision_time per round).", B::kLower);
  b.Add("schedulers[name=*].busyness_useful", "fraction", "Scheduler busyness, useful",
        "Share of the run spent in decision rounds that placed tasks: two-level rounds whose "
        "launches went out, monolithic attempts that placed some, shared-state attempts whose "
        "transaction had no conflicting claim.",
        B::kNeither);
  b.Add("schedulers[name=*].busyness_wasted", "fraction", "Scheduler busyness, wasted",
        "Share of the run spent in decision rounds whose work was thrown away: two-level rounds "
        "whose every launch was lost (offers rescinded while it decided), shared-state attempts "
        "whose transaction had a conflicting claim (even if others committed). Attempts that "
        "placed nothing count in busyness only.",
        B::kLower);
  b.Add("schedulers[name=*].offers_locked.cpus", "fraction", "CPUs locked in offers",
        "The cell's cpus held in the scheduler's outstanding offers, time-averaged over the run "
        "(over the total, as utilization.cpus).",
        B::kLower);
  b.Add("schedulers[name=*].offers_locked.mem", "fraction", "Memory locked in offers",
        "The cell's memory held in the scheduler's outstanding offers, time-averaged over the "
        "run.",
        B::kLower);
  b.Add("schedulers[name=*].job_wait_s.mean", "s", "Job wait, mean",
        "Mean time from a job's submission to its first scheduling attempt (two-level: the "
        "first decision round after it came), over the jobs attempted.",
        B::kLower);
  b.Add("schedulers[name=*].job_wait_s.p90", "s", "Job wait, p90",
        "90th percentile of the time from a job's submission to its first scheduling attempt.",
        B::kLower);
  b.Add("schedulers[name=*].job_wait_till_placed_s.mean", "s", "Job wait till placed, mean",
        "Mean time a job spent in its scheduler's queue, summed over its attempts, until the one "
        "that launched its last task (decision time and retry delays not counted; two-level: "
        "submission to the start of that round, less the rounds in between), over the jobs "
        "fully placed.",
        B::kLower);
  b.Add("schedulers[name=*].job_wait_till_placed_s.p90", "s", "Job wait till placed, p90",
        "90th percentile of the time a job spent in its scheduler's queue until its last task "
        "was placed, over the jobs fully placed.",
        B::kLower);
  b.Add("schedulers[name=*].jobs_unscheduled_fraction", "fraction", "Jobs unscheduled",
        "Jobs abandoned (more than 100 attempts placing nothing, or 1,000 in all) or with tasks "
        "still unlaunched at the end, over the jobs submitted.",
        B::kLower);
  b.Add("schedulers[name=*].conflict_fraction", "ratio", "Conflict fraction",
        "Shared-state: transactions with a conflicting claim over those committed without one "
        "(the Omega paper's; may exceed 1; with none without one, the count of those with one, "
        "where the released simulator's scripts report 0; 0 under the other architectures).",
        B::kLower);
  b.Add("schedulers[name=*].jobs.submitted", "jobs", "Jobs submitted",
        "Jobs (the tasks of one job id submitted at one instant) with a schedulable task.",
        B::kNeither);
  b.Add("schedulers[name=*].jobs.never_attempted", "jobs", "Jobs never attempted",
        "Jobs submitted that no scheduling attempt had looked at by the end.", B::kLower);
  b.Add("schedulers[name=*].jobs.abandoned", "jobs", "Jobs abandoned",
        "Jobs given up after too many attempts (monolithic and shared-state).", B::kLower);
  b.Add("schedulers[name=*].jobs.fully_placed", "jobs", "Jobs fully placed",
        "Jobs with every task launched (committed, under shared-state).", B::kHigher);
  b.Add("schedulers[name=*].jobs.not_fully_placed", "jobs", "Jobs not fully placed",
        "Jobs with tasks waiting to be launched when the run ended.", B::kLower);
  b.Add("schedulers[name=*].transactions.committed", "transactions", "Transactions committed",
        "Shared-state transactions committed without a conflict.", B::kNeither);
  b.Add("schedulers[name=*].transactions.conflicted", "transactions", "Transactions conflicted",
        "Shared-state transactions with at least one conflicting claim.", B::kLower);
  b.Add("schedulers[name=*].transactions.claims_committed", "tasks", "Claims committed",
        "Shared-state: tasks whose claim a transaction committed.", B::kNeither);
  b.Add("schedulers[name=*].transactions.claims_conflicted", "tasks", "Claims conflicted",
        "Shared-state: tasks whose claim was not committed, because it conflicted or, under "
        "all-or-nothing, another claim of its transaction did; they go back to the queue.",
        B::kLower);
}

void AddClusterAndFrameworks(Builder& b) {
  b.Add("utilization.cpus", "fraction", "CPU utilization",
        "Allocated over total cpus, time-averaged over the run (above 1 only when a trace "
        "overcommits); null when the cluster never had any.",
        B::kHigher);
  b.Add("utilization.mem", "fraction", "Memory utilization",
        "Allocated over total memory, time-averaged over the run (above 1 only when a trace "
        "overcommits); null when the cluster never had any (an SWF cluster).",
        B::kHigher);
  b.Add("fairness_jain", "index", "Fairness between roles",
        "Jain's index of the roles' time-averaged dominant shares (1: equal shares).", B::kHigher);
  b.Label("frameworks[name=*].name", "Framework", "The framework's name (its list key).");
  b.Label("frameworks[name=*].role", "Framework role",
          "The role the framework registered with (a multi-role framework's roles joined by `,`).");
  b.Add("frameworks[name=*].tasks_running_at_end", "tasks", "Tasks running at end",
        "The framework's tasks launched and not ended when the run ended.", B::kNeither);
  b.Add("frameworks[name=*].tasks_pending_at_end", "tasks", "Tasks pending at end",
        "The framework's tasks still waiting for a launch when the run ended.", B::kLower);
  b.Add("frameworks[name=*].dominant_share_at_end", "fraction", "Dominant share at end",
        "The framework's allocated plus offered resources over the cluster total, for its "
        "dominant resource, when the run ended.",
        B::kNeither);
  b.Add("frameworks[name=*].tasks_finished", "tasks", "Tasks finished",
        "The framework's tasks that ended FINISHED.", B::kHigher);
  b.Quantiles("frameworks[name=*].queue_delay_s", "Queue delay",
              "the time from submission to first launch of the framework's tasks");
  b.Quantiles("frameworks[name=*].start_latency_s", "Start latency",
              "the time from launch to RUNNING of the framework's tasks, image pull included");
  // Counted where offers.* are, so over the frameworks they sum to offers.sent (received),
  // offers.accepted, offers.declined and offers.rescinded.
  b.Add("frameworks[name=*].offers.received", "offers", "Offers received",
        "Offers the master sent to the framework.", B::kNeither);
  b.Add("frameworks[name=*].offers.accepted", "offers", "Offers accepted",
        "The framework's offers answered with at least one launch.", B::kNeither);
  b.Add("frameworks[name=*].offers.declined", "offers", "Offers declined",
        "The framework's offers declined without a launch.", B::kLower);
  b.Add("frameworks[name=*].offers.rescinded", "offers", "Offers rescinded",
        "The framework's offers the master took back (offer timeout, agent removed).", B::kLower);
  // The same four split by the offered agent's OS: a framework whose tasks need one OS declines
  // the other's agents unless offer constraints keep them from it.
  for (int os = 0; os < plugins::kOsCount; ++os) {
    const std::string name(plugins::OsName(static_cast<plugins::Os>(os)));
    const std::string title = Builder::OsTitle(name);
    const std::string key = "frameworks[name=*].offers.by_agent_os." + name;
    b.Add(key + ".received", "offers", "Offers of " + title + " agents received",
          "Offers of " + name + " agents the master sent to the framework.", B::kNeither);
    b.Add(key + ".accepted", "offers", "Offers of " + title + " agents accepted",
          "The framework's offers of " + name + " agents answered with at least one launch.",
          B::kNeither);
    b.Add(key + ".declined", "offers", "Offers of " + title + " agents declined",
          "The framework's offers of " + name + " agents declined without a launch.", B::kLower);
    b.Add(key + ".rescinded", "offers", "Offers of " + title + " agents rescinded",
          "The framework's offers of " + name + " agents the master took back.", B::kLower);
  }
  b.Add("frameworks[name=*].removed_at_s", "s", "Removed at",
        "When the master removed the framework: its scheduler disconnected (a framework_disconnect "
        "fault) and its failover_timeout ran out. Null if it never was.",
        B::kNeither);
  const std::vector<Presence> maintenance = {P::kMaintenance};
  b.Add("frameworks[name=*].inverse_offers.received", "offers", "Inverse offers received",
        "Inverse offers the master sent the framework for agents scheduled for maintenance where "
        "it held resources (one per agent, again after each answer's 5 s filter).",
        B::kNeither, maintenance);
  b.Add("frameworks[name=*].inverse_offers.accepted", "offers", "Inverse offers accepted",
        "The framework's inverse offers it accepted (frameworks[].maintenance: accept).",
        B::kNeither, maintenance);
  b.Add("frameworks[name=*].inverse_offers.declined", "offers", "Inverse offers declined",
        "The framework's inverse offers it declined (frameworks[].maintenance: decline).",
        B::kNeither, maintenance);
  AddSchedulers(b);
  AddRoles(b);
}

void AddGoogleModeCounters(Builder& b);

// A counter of summary.json's "trace" object, a function of the trace (better: neither).
void TraceRow(Builder& b, const std::string& key, std::string title, std::string meaning,
              std::vector<Presence> when, std::string unit = "rows") {
  b.Add("trace." + key, std::move(unit), std::move(title), std::move(meaning), B::kNeither,
        std::move(when));
}

// summary.json's "trace" object: each format's counters (TraceSource::Report and Sections).
void AddTraceCounters(Builder& b) {
  b.Add("trace.skipped_rows", "rows", "Trace rows skipped",
        "Malformed trace rows skipped and counted (strict: false).", B::kLower, {P::kTraceReplay});
  TraceRow(b, "rows", "Trace rows", "Rows read from the trace.", {P::kSwf, P::kCsv});
  TraceRow(
      b, "task_rows", "Task rows",
      "Rows read from the task table: streamed tables are read ahead of the replay (google2011 "
      "demand: by trace.lookahead; otherwise by the one row that comes next).",
      {P::kGoogle2011, P::kAlibabaBatch, P::kAlibabaRecorded});
  TraceRow(b, "machine_rows", "Machine rows",
           "Rows read from the machine table, including the one read ahead of the replay "
           "(google2011).",
           {P::kGoogle2011, P::kAlibabaMachines});
  TraceRow(b, "machines", "Trace machines", "Distinct machines the trace named.",
           {P::kGoogle2011, P::kAlibabaMachines}, "machines");
  TraceRow(b, "machine_down_events", "Machine down events", "Machines the trace took down.",
           {P::kAlibabaMachines}, "events");
  TraceRow(b, "machine_up_events", "Machine up events", "Machines the trace brought (back) up.",
           {P::kAlibabaMachines}, "events");
}

// The Google 2011 replay's own counters.
void AddGoogleCounters(Builder& b) {
  const std::vector<Presence> google = {P::kGoogle2011};
  TraceRow(b, "machine_adds", "Machine ADD events", "Machine ADD events applied.", google,
           "events");
  TraceRow(b, "machine_readds", "Machine re-ADD events", "ADD events of a machine removed before.",
           google, "events");
  TraceRow(b, "machine_removes", "Machine REMOVE events", "Machine REMOVE events applied.", google,
           "events");
  TraceRow(b, "machine_updates", "Machine UPDATE events", "Machine UPDATE events applied.", google,
           "events");
  TraceRow(b, "machines_missing_capacity", "Machines without capacity",
           "Machines added without a recorded capacity.", google, "machines");
  TraceRow(b, "unknown_machine_events", "Unknown machine events",
           "Machine events for a machine not known (or added twice), ignored.", google, "events");
  TraceRow(b, "submit_rows", "SUBMIT rows", "Task SUBMIT rows read.", google);
  TraceRow(b, "schedule_rows", "SCHEDULE rows", "Task SCHEDULE rows read.", google);
  TraceRow(b, "end_rows", "End rows",
           "Task rows that end an attempt (EVICT, FAIL, FINISH, KILL, LOST).", google);
  TraceRow(b, "update_rows_ignored", "UPDATE rows ignored",
           "Task UPDATE rows, which the replay ignores.", google);
  TraceRow(b, "terminal_without_submit", "End without SUBMIT",
           "End rows of tasks never submitted within the window.", google);
  TraceRow(b, "schedule_without_submit", "SCHEDULE without SUBMIT",
           "SCHEDULE rows of tasks never submitted within the window.", google);
  TraceRow(b, "resubmitted_while_open", "Resubmitted while open",
           "SUBMIT rows of tasks whose previous attempt had not ended.", google);
  TraceRow(b, "double_schedules", "Double SCHEDULEs", "SCHEDULE rows of tasks already scheduled.",
           google);
  TraceRow(b, "missing_requests", "Missing requests",
           "SUBMIT rows without a cpu or memory request (taken as 0 where the replay uses them).",
           google);
  AddGoogleModeCounters(b);
}

// The counters of the Google 2011 replay's demand or recorded mode.
void AddGoogleModeCounters(Builder& b) {
  const std::vector<Presence> google = {P::kGoogle2011};
  TraceRow(b, "lookahead_s", "Lookahead",
           "How far ahead the demand replay reads for task durations.", {P::kGoogle2011Demand},
           "s");
  TraceRow(b, "tasks_submitted", "Trace tasks submitted", "Tasks the demand replay submitted.",
           {P::kGoogle2011Demand}, "tasks");
  TraceRow(b, "tasks_open_ended", "Tasks without an end",
           "Submitted tasks whose end the trace never recorded (they run to the end).",
           {P::kGoogle2011Demand}, "tasks");
  TraceRow(b, "tasks_never_scheduled", "Tasks never scheduled",
           "Submitted tasks the trace never scheduled (no recorded duration).",
           {P::kGoogle2011Demand}, "tasks");
  TraceRow(b, "late_ends", "Late ends", "End rows beyond the lookahead, applied when read.",
           {P::kGoogle2011Demand});
  TraceRow(b, "tasks_launched", "Recorded tasks launched",
           "Tasks launched where and when the trace recorded them.", {P::kGoogle2011Recorded},
           "tasks");
  TraceRow(b, "tasks_no_machine", "Recorded tasks without machine",
           "SCHEDULE rows on a machine not up in the replay, or whose agent the scenario's "
           "faults or maintenance took out.",
           {P::kGoogle2011Recorded}, "tasks");
  TraceRow(b, "tasks_evicted", "Recorded tasks evicted", "Tasks the trace evicted.",
           {P::kGoogle2011Recorded}, "tasks");
  TraceRow(b, "replay_end_s", "Replay end", "Simulated time at which the recorded replay ends.",
           {P::kGoogle2011Recorded, P::kAlibabaRecorded}, "s");
  TraceRow(b, "after_window_rows", "Rows after the window",
           "Rows past the trace window, left out (present only when some were).", google);
  b.Sparse();
  TraceRow(b, "overcommit_machine_seconds", "Overcommit",
           "Machine-seconds during which recorded launches exceeded a machine's capacity.",
           {P::kGoogle2011, P::kAlibabaRecorded}, "machine_s");
}

void AddTraceTables(Builder& b) {
  const std::vector<Presence> jobs = {P::kGoogle2011JobEvents};
  TraceRow(b, "job_rows", "Job rows",
           "Rows read from job_events, including the one read ahead of the replay.", jobs);
  TraceRow(b, "tasks_mapped_by_job_events", "Tasks mapped by job events",
           "Tasks whose framework came from their job's job_events row.", jobs, "tasks");
  TraceRow(b, "jobs_held", "Jobs held", "Jobs of job_events held in memory at the end.", jobs,
           "jobs");
  for (const char* type :
       {"submitted", "scheduled", "evicted", "failed", "finished", "killed", "lost"}) {
    TraceRow(b, fmt::format("jobs.{}", type), fmt::format("Job events: {}", type),
             fmt::format("job_events rows of type {} within the window.", type), jobs);
  }
  TraceRow(b, "jobs.updates", "Job events: updates",
           "job_events UPDATE_PENDING and UPDATE_RUNNING rows within the window.", jobs);
  TraceRow(b, "jobs.window_end_s", "Job events window end",
           "Simulated time up to which job_events rows were counted.", jobs, "s");
  const std::vector<Presence> batch = {P::kAlibabaBatch};
  TraceRow(b, "instance_rows", "Instance rows", "Rows read from batch_instance.",
           {P::kAlibabaBatch, P::kAlibabaRecorded});
  TraceRow(b, "skipped_jobs", "Jobs skipped", "Jobs left out for an error in one of their tasks.",
           batch, "jobs");
  TraceRow(b, "jobs", "Trace jobs", "Jobs read from the trace.",
           {P::kAlibabaBatch, P::kAlibabaRecorded, P::kCsv}, "jobs");
  TraceRow(b, "tasks", "Trace tasks", "Tasks read from the trace.", {P::kAlibabaBatch, P::kCsv},
           "tasks");
  TraceRow(b, "instances", "Trace instances", "Instances (task copies) the trace asked for.",
           {P::kAlibabaBatch, P::kCsv}, "instances");
  TraceRow(b, "dag_edges", "DAG edges", "Parent-child edges between a job's tasks.", batch,
           "edges");
  TraceRow(b, "missing_parents", "Missing parents", "DAG parents named but absent from the job.",
           batch, "edges");
  TraceRow(b, "abandoned_tasks", "Abandoned tasks",
           "Tasks never submitted because a parent never ended.", batch, "tasks");
  TraceRow(b, "recorded_instance_durations", "Recorded instance durations",
           "Instances run for the duration batch_instance recorded.", batch, "instances");
  TraceRow(b, "tasks_without_duration", "Tasks without duration",
           "Tasks with no recorded instance duration (still running, or never started, when "
           "the trace was cut): their instances run until the replay ends, their DAG children "
           "wait.",
           batch, "tasks");
  TraceRow(b, "jobs_never_started", "Jobs never started",
           "Jobs none of whose tasks started in the trace (start_time 0): not submitted. A job "
           "is submitted at the earliest start_time of its tasks that started.",
           batch, "jobs");
  TraceRow(b, "orphan_instance_rows", "Orphan instance rows",
           "batch_instance rows of a task batch_task does not list.",
           {P::kAlibabaBatch, P::kAlibabaRecorded});
  const std::vector<Presence> recorded = {P::kAlibabaRecorded};
  TraceRow(b, "instances_launched", "Recorded instances launched",
           "Instances launched where and when the trace recorded them.", recorded, "instances");
  TraceRow(b, "instances_no_machine", "Recorded instances without machine",
           "Instances recorded on a machine not up in the replay, or whose agent the "
           "scenario's faults or maintenance took out.",
           recorded, "instances");
  TraceRow(b, "instances_without_start", "Instances without start",
           "Instances with no recorded start time.", recorded, "instances");
  TraceRow(b, "instances_without_end", "Instances without end",
           "Instances with no recorded end time.", recorded, "instances");
  TraceRow(b, "time_base_s", "Time base", "Trace time mapped to simulated time 0.", {P::kCsv}, "s");
}

void AddSwf(Builder& b) {
  const std::vector<Presence> swf = {P::kSwf};
  b.Add("swf.jobs", "jobs", "SWF jobs", "Jobs submitted from the SWF log.", B::kNeither, swf);
  b.Add("swf.skipped", "jobs", "SWF jobs skipped",
        "Jobs of the log left out (no processors, or cancelled before starting).", B::kNeither,
        swf);
  b.Add("swf.mean_wait_s", "s", "SWF wait, mean", "Mean time from a job's submission to its start.",
        B::kLower, swf);
  b.Add("swf.max_wait_s", "s", "SWF wait, max",
        "Longest time from a job's submission to its start.", B::kLower, swf);
  b.Add("swf.mean_bounded_slowdown", "index", "SWF bounded slowdown, mean",
        "Mean of max(1, (wait + run) / max(run, 10 s)) over ended jobs.", B::kLower, swf);
  b.Add("swf.makespan_s", "s", "SWF makespan", "From the first submission to the last job's end.",
        B::kLower, swf);
  b.Add("swf.unfinished", "jobs", "SWF jobs unfinished", "Jobs submitted that had not ended.",
        B::kLower, swf);
  b.Add("swf.killed_at_estimate", "jobs", "SWF jobs killed at estimate",
        "Jobs killed for running past their runtime estimate.", B::kLower, swf);
}

std::vector<CatalogueEntry> BuildCatalogue() {
  Builder b;
  b.Label("scenario", "Scenario", "The scenario's name.");
  b.Label("seed", "Seed", "The root seed of the run's random streams.");
  b.Label("schema_version", "Schema version",
          "summary.json's format: 2 since the metric catalogue; no field (1) before.");
  AddTasks(b);
  AddAgentFaults(b);
  b.Latency("queue_delay_s", "Queue delay",
            "the time from a task's submission to its first launch");
  b.Latency("start_latency_s", "Start latency",
            "the time from a launch to RUNNING, image pull included");
  b.Latency("pull_s", "Image pull", "the time from a launch to its image being in place");
  b.Add("pulls.downloaded_mib", "MiB", "Pull download",
        "MiB every agent downloaded for image layers: completed layers, plus the part done of "
        "downloads dropped before completion.",
        B::kNeither);
  b.Add("pulls.failed_attempts_mib", "MiB", "Pull download for failed attempts",
        "MiB the pulls of attempts that then FAILED had brought in (pull or executor registration "
        "timeout, ...): the part of the image each lacked at launch that was in place or "
        "downloaded when it failed; a download shared by several attempts counts for each.",
        B::kLower);
  b.Add("pulls.discarded_mib", "MiB", "Pull download discarded",
        "MiB downloaded and then thrown away: layer transfers dropped when their only pull's "
        "container was destroyed (executor registration timeout) or their agent failed.",
        B::kLower);
  b.Add("pulls.prepulled_images", "pulls", "Images pre-pulled",
        "Pulls an agent started with no task waiting (maintenance drain.prepull): the servicing "
        "update of an image it held, fetched while it drained.",
        B::kNeither)
      .Sparse();
  b.Quantiles("job_completion_s", "Job completion",
              "the time from a job's submission to its last task's end");
  AddOffersAndMaster(b);
  AddClusterAndFrameworks(b);
  AddTraceCounters(b);
  AddGoogleCounters(b);
  AddTraceTables(b);
  AddSwf(b);
  for (const char* series : {"queue_delay_s", "start_latency_s"}) {
    for (int os = 0; os < plugins::kOsCount; ++os) {
      const std::string name(plugins::OsName(static_cast<plugins::Os>(os)));
      b.Series(
          fmt::format("cdf.{}.{}", series, name), "s",
          fmt::format("{} CDF, {}",
                      series == std::string_view("queue_delay_s") ? "Queue delay" : "Start latency",
                      name),
          fmt::format("The 101 nearest-rank quantiles (q = 0, 0.01, ..., 1) of {} of {} "
                      "tasks; empty without samples.",
                      series, name));
    }
  }
  b.Add("events", "events", "Events executed", "Simulator events executed.", B::kNeither);
  b.Add("sim_seconds", "s", "Simulated time", "Simulated time the run reached.", B::kNeither);
  b.Add("warmup_s", "s", "Warmup",
        "The start of the run the other figures leave out (results.warmup; 0: none): they cover "
        "warmup_s to sim_seconds.",
        B::kNeither);
  return b.Take();
}

// A concrete path with each list selector's name replaced by `*`: the form catalogue paths use.
std::string PatternOf(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path.substr(i, 6) == "[name=") {
      const size_t close = path.find(']', i);
      if (close == std::string_view::npos) return std::string(path);
      out += "[name=*]";
      i = close;
    } else {
      out += path[i];
    }
  }
  return out;
}

// Whether `pattern` (catalogue form) matches `path` (selector names already `*`): a `*` key
// matches any one key.
bool Matches(std::string_view pattern, std::string_view path) {
  if (!pattern.ends_with(".*")) return pattern == path;
  const std::string_view stem = pattern.substr(0, pattern.size() - 1);
  return path.starts_with(stem) && path.size() > stem.size() &&
         path.substr(stem.size()).find('.') == std::string_view::npos;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

void CollectLeaves(const nlohmann::ordered_json& node, const std::string& path,
                   std::vector<std::pair<std::string, nlohmann::ordered_json>>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      CollectLeaves(value, path.empty() ? key : path + "." + key, out);
    }
  } else if (node.is_array() && !node.empty() && node.front().is_object()) {
    for (const auto& element : node) {
      const std::string name = element.is_object() && element.contains("name")
                                   ? element["name"].get<std::string>()
                                   : std::string("?");
      CollectLeaves(element, path + "[name=" + name + "]", out);
    }
  } else {
    out.emplace_back(path, node);
  }
}

}  // namespace

std::string_view PresenceText(Presence p) {
  static constexpr std::array<std::string_view, kPresenceCount> kText = {
      "always",
      "master.cost_model on",
      "any trace replay",
      "SWF replay",
      "CSV replay",
      "Google 2011 replay",
      "Google 2011 demand replay",
      "Google 2011 recorded replay",
      "Google 2011 replay with job_events",
      "Alibaba replay of a machine table",
      "Alibaba 2018 demand replay of batch_task",
      "Alibaba 2018 recorded replay",
      "a role with a quota guarantee",
      "a role with a quota limit",
      "a role with a quota",
      "a role with a reservation",
      "a scenario with maintenance windows",
      "results.warmup set",
  };
  return kText[static_cast<int>(p)];
}

std::string_view PresenceName(Presence p) {
  static constexpr std::array<std::string_view, kPresenceCount> kNames = {
      "always",
      "cost_model",
      "trace",
      "swf",
      "csv",
      "google2011",
      "google2011_demand",
      "google2011_recorded",
      "google2011_job_events",
      "alibaba_machines",
      "alibaba_batch",
      "alibaba_recorded",
      "role_guarantee",
      "role_limit",
      "role_quota",
      "role_reservation",
      "maintenance",
      "warmup",
  };
  return kNames[static_cast<int>(p)];
}

bool IsElementCondition(Presence p) {
  return p == P::kRoleGuarantee || p == P::kRoleLimit || p == P::kRoleQuota ||
         p == P::kRoleReservation;
}

std::string_view FieldKindName(FieldKind k) {
  switch (k) {
    case FieldKind::kMetric:
      return "metric";
    case FieldKind::kLabel:
      return "label";
    case FieldKind::kSeries:
      return "series";
  }
  return "metric";
}

std::string_view BetterName(Better b) {
  switch (b) {
    case Better::kLower:
      return "lower";
    case Better::kHigher:
      return "higher";
    case Better::kNeither:
      return "neither";
  }
  return "neither";
}

const std::vector<CatalogueEntry>& MetricCatalogue() {
  static const std::vector<CatalogueEntry> kCatalogue = BuildCatalogue();
  return kCatalogue;
}

const std::vector<std::pair<std::string, std::string>>& Units() {
  static const std::vector<std::pair<std::string, std::string>> kUnits = {
      {"s", "seconds"},
      {"samples", "samples"},
      {"tasks", "tasks"},
      {"jobs", "jobs"},
      {"instances", "instances"},
      {"offers", "offers"},
      {"offers/s", "offers per simulated second"},
      {"cycles", "cycles"},
      {"events", "events"},
      {"rows", "rows"},
      {"machines", "machines"},
      {"agents", "agent events"},
      {"edges", "DAG edges"},
      {"machine_s", "machine-seconds"},
      {"fraction", "fraction of total (0-1)"},
      {"ratio", "ratio"},
      {"amount", "resource amount (cpus; MiB for mem and disk)"},
      {"index", "index"},
      {"MiB", "mebibytes"},
      {"pulls", "image pulls"},
      {"transactions", "transactions"},
  };
  return kUnits;
}

std::string_view UnitAxisLabel(std::string_view unit) {
  for (const auto& [name, label] : Units()) {
    if (name == unit) return label;
  }
  return unit;
}

const CatalogueEntry* FindCatalogueEntry(std::string_view path) {
  const std::string pattern = PatternOf(path);
  for (const CatalogueEntry& e : MetricCatalogue()) {
    if (Matches(e.path, pattern)) return &e;
  }
  return nullptr;
}

std::vector<std::string> ClosestCataloguePaths(std::string_view path, size_t count) {
  const std::string pattern = PatternOf(path);
  std::vector<std::pair<size_t, std::string>> ranked;
  for (const CatalogueEntry& e : MetricCatalogue()) {
    if (e.kind == FieldKind::kMetric) ranked.emplace_back(EditDistance(pattern, e.path), e.path);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < count; ++i) out.push_back(ranked[i].second);
  return out;
}

std::string DisplayTitle(const CatalogueEntry& entry, std::string_view path) {
  const size_t open = path.find("[name=");
  if (open == std::string_view::npos) return entry.title;
  const size_t close = path.find(']', open);
  return fmt::format("{} ({})", entry.title, path.substr(open + 6, close - open - 6));
}

RunFacts FactsOf(const models::ScenarioSpec& spec) {
  RunFacts facts;
  facts.cost_model = spec.master.cost.enabled;
  facts.maintenance = !spec.maintenance.empty();
  facts.warmup = spec.results.warmup > sim::Time::Zero();
  if (spec.trace.enabled) {
    facts.trace_format = spec.trace.format;
    facts.mode = spec.trace.mode;
    for (const auto& [table, files] : spec.trace.paths) {
      if (!files.empty()) facts.tables.push_back(table);
    }
  }
  return facts;
}

bool Holds(Presence p, const RunFacts& f) {
  const auto format = [&](std::string_view name) { return f.trace_format == name; };
  const auto table = [&](std::string_view name) {
    return std::find(f.tables.begin(), f.tables.end(), name) != f.tables.end();
  };
  const bool demand = f.mode == models::ReplayMode::kDemand;
  switch (p) {
    case P::kAlways:
      return true;
    case P::kCostModel:
      return f.cost_model;
    case P::kTraceReplay:
      return f.trace_format.has_value();
    case P::kSwf:
      return format("swf");
    case P::kCsv:
      return format("csv");
    case P::kGoogle2011:
      return format("google2011");
    case P::kGoogle2011Demand:
      return format("google2011") && demand;
    case P::kGoogle2011Recorded:
      return format("google2011") && !demand;
    case P::kGoogle2011JobEvents:
      return format("google2011") && table("job_events");
    case P::kAlibabaMachines:
      return format("alibaba2017") || (format("alibaba2018") && table("machine_meta"));
    case P::kAlibabaBatch:
      return format("alibaba2018") && demand && table("batch_task");
    case P::kAlibabaRecorded:
      return format("alibaba2018") && !demand;
    case P::kRoleGuarantee:
    case P::kRoleLimit:
    case P::kRoleQuota:
    case P::kRoleReservation:
      return true;  // decided per element
    case P::kMaintenance:
      return f.maintenance;
    case P::kWarmup:
      return f.warmup;
  }
  return false;
}

bool MayBePresent(const CatalogueEntry& entry, const RunFacts& facts) {
  return std::any_of(entry.when.begin(), entry.when.end(),
                     [&](Presence p) { return Holds(p, facts); });
}

std::vector<std::pair<std::string, nlohmann::ordered_json>> SummaryLeaves(
    const nlohmann::ordered_json& summary) {
  std::vector<std::pair<std::string, nlohmann::ordered_json>> out;
  for (const auto& [key, value] : summary.items()) {
    if (key == "run" || key == "files") continue;
    CollectLeaves(value, key, out);
  }
  return out;
}

}  // namespace clustersim::results
