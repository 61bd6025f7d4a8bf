#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/spec.h"

namespace clustersim::results {

// summary.json's format. 1: everything before the field existed (no schema_version); 2: the field,
// with the metric catalogue below. Raised when a field is renamed or removed (CHANGES.md).
inline constexpr int kSummarySchemaVersion = 2;

// When a summary.json field is present. A catalogue entry lists the conditions under which it is;
// it is present when any of them holds (and, if `sparse`, its value is not 0).
enum class Presence {
  kAlways,
  kCostModel,            // master.cost_model is on
  kTraceReplay,          // any trace replay
  kSwf,                  // SWF replay
  kCsv,                  // CSV replay
  kGoogle2011,           // Google 2011 replay (demand or recorded)
  kGoogle2011Demand,     // Google 2011 demand replay
  kGoogle2011Recorded,   // Google 2011 recorded replay
  kGoogle2011JobEvents,  // Google 2011 replay given a job_events table
  kAlibabaMachines,      // Alibaba replay of a machine table (2017 server_event, 2018 machine_meta)
  kAlibabaBatch,         // Alibaba 2018 demand replay of batch_task
  kAlibabaRecorded,      // Alibaba 2018 recorded replay
  // Conditions on one element of a list rather than on the run: which roles have a quota or a
  // reservation is the allocator's and the agents' business, so the run-level check (MayBePresent)
  // cannot tell and lets them be.
  kRoleGuarantee,    // the role has a quota guarantee (master.quotas)
  kRoleLimit,        // the role has a quota limit (master.quotas)
  kRoleQuota,        // the role has a quota guarantee or limit
  kRoleReservation,  // some agent group reserves resources for the role
  kMaintenance,      // the scenario has maintenance windows (`maintenance:`)
  kWarmup,           // results.warmup is set
};
inline constexpr int kPresenceCount = static_cast<int>(Presence::kWarmup) + 1;
// Whether `p` is a condition on a list element (kRoleGuarantee ...), not on the run.
bool IsElementCondition(Presence p);
// Short words, as `clustersim metrics` and results/README.md print them ("SWF replay").
std::string_view PresenceText(Presence p);
// Machine name, as `clustersim metrics --json` writes it ("swf").
std::string_view PresenceName(Presence p);

// Which value of a metric is the better one, for highlighting the best cell of a comparison.
enum class Better { kLower, kHigher, kNeither };
std::string_view BetterName(Better b);

// A metric is a number to compare; a label names or describes (scenario, framework name,
// quantile_method); a series is a list of numbers (the cdf points). Only metrics are
// compare/sweep columns.
enum class FieldKind { kMetric, kLabel, kSeries };
std::string_view FieldKindName(FieldKind k);

// One summary.json field. `path` is dotted; an element of a list of named objects is addressed by
// name (`frameworks[name=web].tasks_finished`), so the catalogue's path holds `[name=*]`; a key
// from a closed vocabulary (a task reason) is `*`.
struct CatalogueEntry {
  std::string path;
  std::string unit;            // one of Units(); "" for labels
  std::string title;           // short, for table headers and plot axes
  std::string meaning;         // one sentence
  std::vector<Presence> when;  // present if any of these holds
  bool sparse = false;         // ... and then only when its value is not 0
  Better better = Better::kNeither;
  FieldKind kind = FieldKind::kMetric;
};

// Every summary.json field outside the `run` object (wall clock, not deterministic) and the
// `files` object (the run's file sizes), in the order summary.json writes them.
const std::vector<CatalogueEntry>& MetricCatalogue();

// The units entries use, with the axis label a plot writes for each ("s" -> "seconds").
const std::vector<std::pair<std::string, std::string>>& Units();
std::string_view UnitAxisLabel(std::string_view unit);

// The catalogue entry of a concrete dotted path (`frameworks[name=web].tasks_finished` finds
// `frameworks[name=*].tasks_finished`), or nullptr.
const CatalogueEntry* FindCatalogueEntry(std::string_view path);
// Up to `count` catalogue paths nearest to `path` by edit distance, for "did you mean".
std::vector<std::string> ClosestCataloguePaths(std::string_view path, size_t count);
// `path`'s catalogue title, with the element's name for a list element ("Tasks finished (web)").
std::string DisplayTitle(const CatalogueEntry& entry, std::string_view path);

// What decides presence, taken from a scenario.
struct RunFacts {
  bool cost_model = false;
  std::optional<std::string> trace_format;  // the format's registry name; none: synthetic
  models::ReplayMode mode = models::ReplayMode::kDemand;
  std::vector<std::string> tables;  // trace tables given files in trace.paths
  bool maintenance = false;         // `maintenance:` has windows
  bool warmup = false;              // results.warmup > 0
};
RunFacts FactsOf(const models::ScenarioSpec& spec);
bool Holds(Presence p, const RunFacts& facts);
// Whether `entry` is present in a summary of a run with `facts` (for sparse entries, and entries
// whose conditions are on list elements: may be).
bool MayBePresent(const CatalogueEntry& entry, const RunFacts& facts);

// Every leaf of `summary` outside `run` and `files` as a concrete dotted path (list elements by
// name), with its value, in document order. A list of objects is followed into its elements by
// their names; a list of numbers (or an empty list) is one leaf. An empty object
// (tasks.by_reason.failed with no failures) has no leaf.
std::vector<std::pair<std::string, nlohmann::ordered_json>> SummaryLeaves(
    const nlohmann::ordered_json& summary);

}  // namespace clustersim::results
