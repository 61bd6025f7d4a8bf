#include "results/summary.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "results/cdf.h"
#include "results/metric_catalogue.h"

namespace clustersim::results {
namespace {

// The simulated seconds summary.json's metrics cover: from the warmup (results.warmup) to the end.
double MeasuredSeconds(const models::Cluster& cluster, const MetricsCollector& metrics) {
  const sim::Time now = cluster.simulator().Now();
  return (now - metrics.measured_from()).seconds();
}

// A number as JSON: an integer when it is one (counters handed over as doubles, such as a
// trace's report), a float otherwise.
// NaN stands for "no sample" (a trace section's statistic of nothing): null, never 0.
nlohmann::ordered_json Number(double value) {
  if (std::isnan(value)) return nullptr;
  if (value == std::trunc(value) && std::fabs(value) < 9e15) return static_cast<int64_t>(value);
  return value;
}

// part / whole, or null with nothing to divide among (no job: no wait, no fraction).
nlohmann::ordered_json ShareOrNull(double part, double whole) {
  if (whole <= 0) return nullptr;
  return part / whole;
}

// count, mean, p50, p95, p99, max and how the quantiles were computed, for the samples of `h`,
// which are those of `parts` together. An empty series has nothing to summarise: its statistics
// are null (not 0, which would read as a measured zero).
nlohmann::ordered_json Quantiles(const sim::LogHistogram& h,
                                 std::span<const sim::QuantileSeries* const> parts) {
  nlohmann::ordered_json j;
  j["count"] = h.count();
  const bool empty = h.count() == 0;
  j["mean"] = empty ? nlohmann::ordered_json() : nlohmann::ordered_json(h.Mean());
  for (const auto& [key, q] : {std::pair{"p50", 0.50}, {"p95", 0.95}, {"p99", 0.99}}) {
    j[key] =
        empty ? nlohmann::ordered_json() : nlohmann::ordered_json(sim::UnionQuantile(parts, h, q));
  }
  j["max"] = empty ? nlohmann::ordered_json() : nlohmann::ordered_json(h.Max());
  bool exact = sim::QuantileMethod(h.count()) == "exact";
  for (const sim::QuantileSeries* p : parts) exact &= p->exact();
  j["quantile_method"] = exact ? "exact" : "ddsketch";
  return j;
}

nlohmann::ordered_json Quantiles(const sim::QuantileSeries& s) {
  const sim::QuantileSeries* self = &s;
  return Quantiles(s.sketch(), std::span(&self, 1));
}

nlohmann::ordered_json Latency(const LatencyStats& s) {
  std::array<const sim::QuantileSeries*, plugins::kOsCount> parts;
  for (int os = 0; os < plugins::kOsCount; ++os) parts[os] = &s.by_os[os];
  nlohmann::ordered_json j = Quantiles(s.all, parts);
  nlohmann::ordered_json by_os;
  for (int os = 0; os < plugins::kOsCount; ++os) {
    by_os[std::string(plugins::OsName(static_cast<plugins::Os>(os)))] = Quantiles(s.by_os[os]);
  }
  j["by_os"] = std::move(by_os);
  return j;
}

// tasks.by_reason: {unschedulable: {too_large: 3, ...}, failed: {...}, lost: {...}, killed: {...}}
// Every state that ends a task badly is listed; within it only the reasons that occurred, in
// TaskReason order, so each state's counts sum to its tasks.<state> count.
nlohmann::ordered_json ByReason(const MetricsCollector::TaskCounts& t) {
  using models::TaskState;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (TaskState state : {TaskState::kUnschedulable, TaskState::kFailed, TaskState::kLost,
                          TaskState::kUnreachable, TaskState::kKilled}) {
    nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
    const auto& counts = t.by_reason[static_cast<int>(state)];
    for (int r = 0; r < models::kTaskReasonCount; ++r) {
      if (counts[r] == 0) continue;
      const auto reason = static_cast<models::TaskReason>(r);
      // A bad end with no reason is a model bug; it still shows, rather than vanishing.
      reasons[reason == models::TaskReason::kNone ? "unknown"
                                                  : std::string(models::TaskReasonName(reason))] =
          counts[r];
    }
    std::string name(models::TaskStateName(state));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    j[name] = std::move(reasons);
  }
  return j;
}

nlohmann::ordered_json OfferCountsJson(const MetricsCollector::OfferCounts& counts) {
  return {{"received", counts.sent},
          {"accepted", counts.accepted},
          {"declined", counts.declined},
          {"rescinded", counts.rescinded}};
}

// A framework's offers, and the same split by the offered agent's OS.
nlohmann::ordered_json FrameworkOffers(const MetricsCollector::FrameworkOfferCounts& counts) {
  nlohmann::ordered_json j = OfferCountsJson(counts.all);
  nlohmann::ordered_json& by_os = j["by_agent_os"];
  for (int os = 0; os < plugins::kOsCount; ++os) {
    by_os[std::string(plugins::OsName(static_cast<plugins::Os>(os)))] =
        OfferCountsJson(counts.by_agent_os[os]);
  }
  return j;
}

// frameworks[], in registration order: each framework's tasks, share, latencies and offers.
nlohmann::ordered_json Frameworks(const models::Cluster& cluster, const MetricsCollector& metrics) {
  const models::Master& master = cluster.master();
  const MetricsCollector::Baseline& at_start = metrics.at_start();
  nlohmann::ordered_json frameworks = nlohmann::ordered_json::array();
  for (const auto& fw : cluster.frameworks()) {
    const size_t i = fw->id().index();
    // The global offers.sent are what the frameworks received.
    const MetricsCollector::FrameworkOfferCounts& fo = metrics.framework_offers(fw->id());
    frameworks.push_back(
        {{"name", fw->spec().name},
         {"role", fmt::format("{}", fmt::join(fw->spec().Roles(), ","))},
         {"tasks_running_at_end", fw->active_tasks()},
         {"tasks_pending_at_end", fw->pending()},
         {"dominant_share_at_end",
          master.FrameworkAllocated(fw->id()).DominantShare(master.cell().total())},
         {"tasks_finished", fw->tasks_finished() - at_start.framework_finished[i]},
         {"queue_delay_s", Quantiles(metrics.framework_latency(fw->id()).queue_delay)},
         {"start_latency_s", Quantiles(metrics.framework_latency(fw->id()).start_latency)},
         {"offers", FrameworkOffers(fo)}});
    // Removed by its failover_timeout after a disconnect: when (null: never).
    const std::optional<sim::Time> removed_at = master.framework_removed_at(fw->id());
    frameworks.back()["removed_at_s"] = removed_at ? nlohmann::ordered_json(removed_at->seconds())
                                                   : nlohmann::ordered_json(nullptr);
    if (!cluster.spec().maintenance.empty()) {
      models::InverseOfferCounts io = master.inverse_offer_counts(fw->id());
      const models::InverseOfferCounts& before = at_start.framework_inverse_offers[i];
      io.received -= before.received;
      io.accepted -= before.accepted;
      io.declined -= before.declined;
      frameworks.back()["inverse_offers"] = {
          {"received", io.received}, {"accepted", io.accepted}, {"declined", io.declined}};
    }
  }
  return frameworks;
}

// A wait's mean and 90th percentile, null when nothing waited.
nlohmann::ordered_json MeanAndP90(double sum_s, const sim::QuantileSeries& series) {
  if (series.count() == 0) return {{"mean", nullptr}, {"p90", nullptr}};
  return {{"mean", sum_s / static_cast<double>(series.count())}, {"p90", series.Quantile(0.9)}};
}

// schedulers[], one per framework (two-level: each framework is a scheduler), in registration
// order: the Omega paper's §4 metrics (issue 16).
nlohmann::ordered_json Schedulers(const models::Cluster& cluster, const MetricsCollector& metrics) {
  const double run_s = MeasuredSeconds(cluster, metrics);
  const UsageTracker& u = metrics.usage();
  auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  nlohmann::ordered_json schedulers = nlohmann::ordered_json::array();
  for (const auto& fw : cluster.frameworks()) {
    const SchedulerMetrics::Scheduler& s = metrics.schedulers().of(fw->id());
    // Of the jobs measured: submitted after the warmup.
    const uint64_t unplaced = fw->jobs_not_fully_placed(metrics.measured_from());
    const uint64_t committed = s.transactions - s.conflicted_transactions;
    schedulers.push_back(
        {{"name", fw->spec().name},
         {"busyness", share(s.busy.seconds(), run_s)},
         {"busyness_useful", share(s.useful.seconds(), run_s)},
         {"busyness_wasted", share(s.wasted.seconds(), run_s)},
         {"offers_locked",
          {{"cpus", share(s.offered_cpu_area, u.total_cpu_area)},
           {"mem", share(s.offered_mem_area, u.total_mem_area)}}},
         {"job_wait_s", MeanAndP90(s.job_wait_sum_s, s.job_wait_s)},
         {"job_wait_till_placed_s", MeanAndP90(s.job_placed_wait_sum_s, s.job_placed_wait_s)},
         {"jobs_unscheduled_fraction", ShareOrNull(static_cast<double>(s.jobs_abandoned + unplaced),
                                                   static_cast<double>(s.jobs_submitted))},
         {"conflict_fraction", static_cast<double>(s.conflicted_transactions) /
                                   static_cast<double>(std::max<uint64_t>(committed, 1))},
         {"jobs",
          {{"submitted", s.jobs_submitted},
           {"never_attempted", s.jobs_submitted - s.jobs_attempted},
           {"abandoned", s.jobs_abandoned},
           {"fully_placed", s.jobs_fully_placed},
           {"not_fully_placed", unplaced}}},
         {"transactions",
          {{"committed", committed},
           {"conflicted", s.conflicted_transactions},
           {"claims_committed", s.claims_committed},
           {"claims_conflicted", s.claims_conflicted}}}});
  }
  return schedulers;
}

nlohmann::ordered_json Pulls(const models::Cluster& cluster, const MetricsCollector& metrics) {
  const models::ContainerRuntime& runtime = cluster.runtime();
  const MetricsCollector::Baseline& at_start = metrics.at_start();
  nlohmann::ordered_json pulls = {
      {"downloaded_mib", runtime.puller().downloaded_mib() - at_start.downloaded_mib},
      {"failed_attempts_mib", runtime.failed_attempts_pull_mib() - at_start.failed_attempts_mib},
      {"discarded_mib", runtime.puller().discarded_mib() - at_start.discarded_mib}};
  const uint64_t prepulled = runtime.prepulled_images() - at_start.prepulled_images;
  if (prepulled > 0) pulls["prepulled_images"] = prepulled;
  return pulls;
}

// The master's and allocator's simulated processing time (master.cost_model): offers per
// simulated second, how busy each actor was, how long offers waited between their cycle falling
// due and delivery.
nlohmann::ordered_json MasterCost(const models::Cluster& cluster, const MetricsCollector& metrics) {
  const models::MasterCostModel& c = cluster.master().cost_model();
  const sim::Time now = cluster.simulator().Now();
  const double span = MeasuredSeconds(cluster, metrics);
  const MetricsCollector::Baseline& at_start = metrics.at_start();
  auto per_s = [span](double x) { return span > 0 ? x / span : 0.0; };
  return {{"offers_per_s", per_s(static_cast<double>(c.offers_delivered()))},
          {"busy_fraction", per_s(c.master().busy_seconds(now) - at_start.master_busy_s)},
          {"allocator_busy_fraction",
           per_s(c.allocator().busy_seconds(now) - at_start.allocator_busy_s)},
          {"cycles", c.cycles()},
          {"mean_offer_delay_s", c.mean_offer_delay_s()},
          {"max_offer_delay_s", c.max_offer_delay_s()},
          {"mean_cycle_delay_s", c.mean_cycle_delay_s()}};
}

}  // namespace

nlohmann::ordered_json BuildSummary(const models::Cluster& cluster, const MetricsCollector& metrics,
                                    const FileSizes& files, const RunInfo& run) {
  const models::Master& master = cluster.master();
  const sim::Simulator& sim = cluster.simulator();
  nlohmann::ordered_json j;
  j["scenario"] = cluster.spec().name;
  j["seed"] = cluster.spec().seed;
  j["schema_version"] = kSummarySchemaVersion;

  uint64_t pending = 0, active = 0;
  for (const auto& fw : cluster.frameworks()) {
    pending += fw->pending();
    active += fw->active_tasks();
  }
  const auto& t = metrics.tasks();
  j["tasks"] = {{"submitted", t.submitted},
                {"finished", t.finished},
                {"failed", t.failed},
                {"lost", t.lost},
                {"unreachable", t.unreachable},
                {"killed", t.killed},
                {"unschedulable", t.unschedulable},
                {"pending_at_end", pending},
                {"running_at_end", active},
                {"retried_attempts", t.retried},
                {"recovered_attempts", t.recovered},
                {"by_reason", ByReason(t)}};
  if (metrics.measured_from() > sim::Time::Zero()) {
    // With these, the tasks still add up: submitted + live at the start = final + live at the end.
    j["tasks"]["pending_at_warmup"] = metrics.at_start().tasks_pending;
    j["tasks"]["running_at_warmup"] = metrics.at_start().tasks_running;
  }
  const auto& a = metrics.agents();
  j["agent_faults"] = {{"faults", a.faults},
                       {"unreachable", a.unreachable},
                       {"reregistered", a.reregistered},
                       {"reregistration_kills", cluster.master().reregistration_kills() -
                                                    metrics.at_start().reregistration_kills}};
  j["queue_delay_s"] = Latency(metrics.queue_delay());
  j["start_latency_s"] = Latency(metrics.start_latency());
  j["pull_s"] = Latency(metrics.pull_time());
  j["pulls"] = Pulls(cluster, metrics);
  j["job_completion_s"] = Quantiles(metrics.job_completion());
  const auto& o = metrics.offers();
  j["offers"] = {{"sent", o.sent},
                 {"accepted", o.accepted},
                 {"declined", o.declined},
                 {"rescinded", o.rescinded},
                 {"allocation_cycles", metrics.allocation_cycles()}};
  const UsageTracker& u = metrics.usage();
  if (master.cost_model().enabled()) j["master_cost"] = MasterCost(cluster, metrics);
  // A cluster with none of a kind (an SWF cluster has no memory) has no utilization of it: null,
  // not 0, so that a sweep's mean does not average it in.
  const auto share = [](double alloc, double total) {
    return total > 0 ? nlohmann::ordered_json(alloc / total) : nlohmann::ordered_json(nullptr);
  };
  j["utilization"] = {{"cpus", share(u.alloc_cpu_area, u.total_cpu_area)},
                      {"mem", share(u.alloc_mem_area, u.total_mem_area)}};
  j["fairness_jain"] = metrics.fairness_jain();

  j["frameworks"] = Frameworks(cluster, metrics);
  j["schedulers"] = Schedulers(cluster, metrics);
  j["roles"] = metrics.roles().ToJson(MeasuredSeconds(cluster, metrics));
  if (const models::TraceSource* trace = cluster.trace()) {
    nlohmann::ordered_json t;
    for (const auto& [key, value] : trace->Report()) t[key] = Number(value);
    j["trace"] = std::move(t);
    for (const auto& section : trace->Sections()) {
      nlohmann::ordered_json o;
      for (const auto& [key, value] : section.values) o[key] = Number(value);
      // "trace.jobs" nests under "trace".
      nlohmann::ordered_json* parent = &j;
      std::string_view name = section.name;
      for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
        parent = &(*parent)[std::string(name.substr(0, dot))];
        name.remove_prefix(dot + 1);
      }
      (*parent)[std::string(name)] = std::move(o);
    }
  }
  j["cdf"] = CdfPoints(metrics);
  j["events"] = sim.events_executed();
  j["sim_seconds"] = sim.Now().seconds();
  j["warmup_s"] = metrics.measured_from().seconds();
  nlohmann::ordered_json& listed = j["files"] = nlohmann::ordered_json::object();
  for (const auto& [name, bytes] : files) listed[name] = bytes;
  j["run"] = {
      {"wall_seconds", run.wall_seconds},
      {"events_per_second",
       run.wall_seconds > 0 ? static_cast<double>(sim.events_executed()) / run.wall_seconds : 0.0},
      {"version", run.version},
      {"scenario_sha256", run.scenario_sha256},
      {"interrupted", run.interrupted},
      {"error",
       run.error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(run.error)}};
  return j;
}

namespace {

// A number of seconds at a precision that suits its size: 0.10, 41.3, 5532.
std::string Seconds(double s) {
  if (s >= 1000) return fmt::format("{:.0f}", s);
  if (s >= 100) return fmt::format("{:.1f}", s);
  return fmt::format("{:.2f}", s);
}

// "p50/p99" of a quantile object, "-" when empty (its statistics are null).
std::string P50P99(const nlohmann::ordered_json& q) {
  if (!q.is_object() || !q["p50"].is_number() || !q["p99"].is_number()) return "-";
  return Seconds(q["p50"].get<double>()) + "/" + Seconds(q["p99"].get<double>());
}

// The run's simulated time for the header line: seconds, and beyond two minutes the same in the
// largest unit that keeps it readable ("3600 simulated s (1 h)", "34560000 simulated s (400 d)").
std::string SimulatedTime(double s) {
  std::string out = fmt::format("{:.0f} simulated s", s);
  if (s >= 2 * 86400) return out + fmt::format(" ({:.4g} d)", s / 86400);
  if (s >= 3600) return out + fmt::format(" ({:.4g} h)", s / 3600);
  if (s >= 120) return out + fmt::format(" ({:.4g} min)", s / 60);
  return out;
}

}  // namespace

std::string FormatSummaryTable(const nlohmann::ordered_json& s) {
  std::string out;
  auto line = [&](std::string_view label, const std::string& value) {
    out += fmt::format("  {:<36}{}\n", label, value);
  };
  const auto& t = s["tasks"];
  out += fmt::format("{} (seed {}): {}, {} events\n", s["scenario"].get<std::string>(),
                     s["seed"].get<uint64_t>(), SimulatedTime(s["sim_seconds"].get<double>()),
                     s["events"].get<uint64_t>());
  line("tasks submitted", fmt::format("{}", t["submitted"].get<uint64_t>()));
  line("  finished / failed / lost",
       fmt::format("{} / {} / {}", t["finished"].get<uint64_t>(), t["failed"].get<uint64_t>(),
                   t["lost"].get<uint64_t>()));
  if (t["unreachable"].get<uint64_t>() > 0) {
    line("  unreachable", fmt::format("{}", t["unreachable"].get<uint64_t>()));
  }
  line("  unschedulable", fmt::format("{}", t["unschedulable"].get<uint64_t>()));
  line("  pending / running at end", fmt::format("{} / {}", t["pending_at_end"].get<uint64_t>(),
                                                 t["running_at_end"].get<uint64_t>()));
  // The latency table, its columns as wide as their widest cell (a trace's waits run to days).
  const char* const kLatencies[] = {"queue_delay_s", "start_latency_s", "pull_s"};
  std::vector<std::array<std::string, 3>> cells;
  size_t width = 10;
  for (const char* key : kLatencies) {
    const auto& h = s[key];
    cells.push_back({P50P99(h), P50P99(h["by_os"]["linux"]), P50P99(h["by_os"]["windows"])});
    for (const std::string& c : cells.back()) width = std::max(width, c.size());
  }
  out += fmt::format("  {:<36}{:>{}} {:>{}} {:>{}}\n", "seconds (p50 / p99)", "all", width, "linux",
                     width, "windows", width);
  for (size_t i = 0; i < cells.size(); ++i) {
    out += fmt::format("  {:<36}{:>{}} {:>{}} {:>{}}\n", kLatencies[i], cells[i][0], width,
                       cells[i][1], width, cells[i][2], width);
  }
  const auto& o = s["offers"];
  line("offers sent / accepted / declined",
       fmt::format("{} / {} / {}", o["sent"].get<uint64_t>(), o["accepted"].get<uint64_t>(),
                   o["declined"].get<uint64_t>()));
  if (s.contains("master_cost")) {
    const auto& c = s["master_cost"];
    line("master: offers/s, busy, delay",
         fmt::format(
             "{:.0f}/s, master {:.1f}% / allocator {:.1f}% busy, mean {:.3f} s (max {:.3f} s)",
             c["offers_per_s"].get<double>(), 100 * c["busy_fraction"].get<double>(),
             100 * c["allocator_busy_fraction"].get<double>(),
             c["mean_offer_delay_s"].get<double>(), c["max_offer_delay_s"].get<double>()));
    line("", "(simulated master throughput under master.cost_model, not this program's speed)");
  }
  const auto percent = [](const nlohmann::ordered_json& v) {
    return v.is_number() ? fmt::format("{:.1f}%", 100 * v.get<double>()) : std::string("-");
  };
  line("utilization cpus / mem",
       fmt::format("{} / {}", percent(s["utilization"]["cpus"]), percent(s["utilization"]["mem"])));
  for (const auto& fw : s["frameworks"]) {
    line(
        fmt::format("framework {}", fw["name"].get<std::string>()),
        fmt::format("{} running, {} finished, dominant share {:.3f}, queue p50/p99 {} s",
                    fw["tasks_running_at_end"].get<uint64_t>(),
                    fw["tasks_finished"].get<uint64_t>(), fw["dominant_share_at_end"].get<double>(),
                    fw.contains("queue_delay_s") ? P50P99(fw["queue_delay_s"]) : "-"));
    if (fw.contains("offers")) {
      const auto& fo = fw["offers"];
      line("  offers",
           fmt::format("{} received, {} accepted, {} declined, {} rescinded",
                       fo["received"].get<uint64_t>(), fo["accepted"].get<uint64_t>(),
                       fo["declined"].get<uint64_t>(), fo["rescinded"].get<uint64_t>()));
    }
  }
  if (s.contains("swf")) {
    const auto& w = s["swf"];
    line("swf jobs / skipped / unfinished",
         fmt::format("{} / {} / {}", w["jobs"].get<uint64_t>(), w["skipped"].get<uint64_t>(),
                     w["unfinished"].get<uint64_t>()));
    auto stat = [&](const char* key, const char* form) {
      return w[key].is_null() ? std::string("–")
                              : fmt::format(fmt::runtime(form), w[key].get<double>());
    };
    line("swf wait mean / max, slowdown",
         fmt::format("{} / {}, {}", stat("mean_wait_s", "{:.2f} s"), stat("max_wait_s", "{:.0f} s"),
                     stat("mean_bounded_slowdown", "{:.2f}")));
  }
  line("wall time",
       fmt::format("{:.2f} s ({:.0f} events/s)", s["run"]["wall_seconds"].get<double>(),
                   s["run"]["events_per_second"].get<double>()));
  return out;
}

}  // namespace clustersim::results
