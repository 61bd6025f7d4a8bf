// `clustersim events FILE`: an events.binpb as readable lines, CSV or JSON lines (no Python
// needed; results/read_events.py prints the same lines).
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "apps/cli/command.h"
#include "results/csv.h"
#include "results/event_reader.h"

namespace clustersim::apps::cli {
namespace {

std::vector<std::string> CsvHeader(const std::vector<std::string>& kinds) {
  // clang-format off
  std::vector<std::string> header = {
      "time_s", "kind", "task_id", "job_id", "framework", "agent", "offer_id", "state", "final",
      "reason", "os", "os_version", "image", "tasks_launched", "busy_s", "placed",
      "claims_committed", "claims_conflicted", "wait_s"};
  // clang-format on
  header.insert(header.end(), kinds.begin(), kinds.end());
  return header;
}

std::string CsvRow(const results::EventRecord& e, const std::vector<std::string>& kinds) {
  using Group = results::EventRecord::Group;
  const bool task = e.group == Group::kTask;
  auto number = [](uint64_t v, bool present) { return present ? std::to_string(v) : ""; };
  const bool decision = e.kind == "DECISION_STARTED", transaction = e.kind == "TRANSACTION",
             job_placed = e.kind == "JOB_PLACED";
  std::vector<std::string> row = {
      results::FormatMicros(e.time_us),
      std::string(e.kind),
      number(e.task_id, task),
      number(e.job_id, e.kind == "TASK_SUBMITTED" || job_placed),
      std::string(e.framework),
      std::string(e.agent),
      number(e.offer_id, e.group == Group::kOffer || e.kind == "TASK_LAUNCHED"),
      std::string(e.state),
      e.kind == "TASK_ENDED" ? (e.final ? "true" : "false") : "",
      std::string(e.reason),
      std::string(e.os),
      std::string(e.os_version),
      std::string(e.image),
      number(e.tasks_launched, e.kind == "OFFER_ACCEPTED"),
      decision ? results::FormatMicros(e.busy_us) : "",
      number(e.placed, decision),
      number(e.claims_committed, transaction),
      number(e.claims_conflicted, transaction),
      job_placed ? results::FormatMicros(e.wait_us) : ""};
  for (size_t k = 0; k < kinds.size(); ++k) {
    row.push_back(k < e.resources.size() ? results::FormatFixed(e.resources[k])
                  : e.resources.empty()  ? ""
                                         : "0");
  }
  return results::CsvLine(row);
}

// The fields FormatEventLine prints, as JSON (results/read_events.py --jsonl writes the same).
std::string JsonLine(const results::EventRecord& e, const std::vector<std::string>& kinds) {
  using Group = results::EventRecord::Group;
  nlohmann::ordered_json j;
  j["time_s"] = static_cast<double>(e.time_us) / 1e6;
  j["kind"] = e.kind;
  auto put = [&j](const char* key, std::string_view value) {
    if (!value.empty()) j[key] = value;
  };
  if (e.group == Group::kOffer) j["offer_id"] = e.offer_id;
  if (e.group == Group::kTask) j["task_id"] = e.task_id;
  put("framework", e.framework);
  put("agent", e.agent);
  if (e.group == Group::kTask) {
    put("os", e.os);
    put("state", e.state);
    put("reason", e.reason);
  }
  if (e.kind == "TASK_SUBMITTED") {
    j["job_id"] = e.job_id;
    put("image", e.image);
    put("os_version", e.os_version);
  }
  if (e.kind == "TASK_LAUNCHED") j["offer_id"] = e.offer_id;
  if (!e.resources.empty()) {
    nlohmann::ordered_json& resources = j["resources"] = nlohmann::ordered_json::object();
    for (size_t k = 0; k < e.resources.size() && k < kinds.size(); ++k) {
      if (e.resources[k] != 0) resources[kinds[k]] = static_cast<double>(e.resources[k]) / 1000;
    }
  }
  if (e.kind == "OFFER_ACCEPTED") j["tasks_launched"] = e.tasks_launched;
  if (e.kind == "TASK_ENDED") j["final"] = e.final;
  if (e.kind == "DECISION_STARTED") {
    j["busy_s"] = static_cast<double>(e.busy_us) / 1e6;
    j["placed"] = e.placed;
  }
  if (e.kind == "TRANSACTION") {
    j["claims_committed"] = e.claims_committed;
    j["claims_conflicted"] = e.claims_conflicted;
  }
  if (e.kind == "JOB_PLACED") {
    j["job_id"] = e.job_id;
    j["wait_s"] = static_cast<double>(e.wait_us) / 1e6;
  }
  return j.dump();
}

// A run folder stands for its events.binpb: that is where `run --events` put it.
sim::Result<std::string> EventsFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return path;
  const std::string inside = (std::filesystem::path(path) / "events.binpb").string();
  if (std::filesystem::exists(inside, ec)) return inside;
  return sim::Status::Error(fmt::format(
      "{}: a folder with no events.binpb (`clustersim run --events` writes one)", path));
}

class EventsCommand : public Command {
 public:
  void AddOptions(CLI::App& events) override {
    events
        .add_option("file", file_,
                    "an events.binpb (clustersim run --events), or the run folder holding it")
        ->required();
    auto* csv = events.add_flag("--csv", csv_, "CSV: one row per event, a column per resource");
    auto* jsonl = events.add_flag("--jsonl", jsonl_, "one JSON object per event");
    auto* count = events.add_flag("--count", count_, "print only the number of events");
    csv->excludes(jsonl)->excludes(count);
    jsonl->excludes(count);
  }

  int Run() override {
    auto file = EventsFile(file_);
    if (!file.ok()) return Fail(file.status());
    auto reader = results::EventReader::Open(*file);
    if (!reader.ok()) return Fail(reader.status());
    const auto& kinds = (*reader)->resource_kinds();
    if (csv_) std::fputs(results::CsvLine(CsvHeader(kinds)).c_str(), stdout);
    results::EventRecord e;
    uint64_t events = 0;
    while (true) {
      auto more = (*reader)->Next(e);
      if (!more.ok()) return Fail(more.status());
      if (!*more) break;
      ++events;
      if (count_) continue;
      // A closed pipe (`| head`) ends the process with SIGPIPE, as it does `cat`.
      if (csv_) {
        std::fputs(CsvRow(e, kinds).c_str(), stdout);
      } else {
        const std::string line = jsonl_ ? JsonLine(e, kinds) : results::FormatEventLine(e, kinds);
        std::fputs(line.c_str(), stdout);
        std::fputc('\n', stdout);
      }
    }
    if (count_) std::printf("%llu\n", static_cast<unsigned long long>(events));
    return 0;
  }

 private:
  std::string file_;
  bool csv_ = false;
  bool jsonl_ = false;
  bool count_ = false;
};

}  // namespace

std::unique_ptr<Command> NewEventsCommand() { return std::make_unique<EventsCommand>(); }

}  // namespace clustersim::apps::cli
