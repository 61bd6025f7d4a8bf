#include "apps/experiment/cdf_log.h"

#include <fmt/format.h>

#include <filesystem>
#include <vector>

#include "apps/experiment/writers.h"
#include "results/csv.h"

namespace clustersim::apps {
namespace {

// The columns after cell, axes and seed.
const std::vector<std::string> kPointColumns = {"series", "os", "q", "value"};

// The lines of one run's points: for each series and OS of summary["cdf"], its n points at
// q = i / (n - 1).
std::string PointLines(const ExperimentPlan& plan, size_t cell, uint64_t seed,
                       const nlohmann::ordered_json& summary) {
  std::string out;
  const auto cdf = summary.find("cdf");
  if (cdf == summary.end() || !cdf->is_object()) return out;
  std::vector<std::string> fields = {std::to_string(cell)};
  for (std::string& label : CellLabels(plan, cell)) fields.push_back(std::move(label));
  fields.push_back(std::to_string(seed));
  const size_t prefix = fields.size();
  for (const auto& [series, by_os] : cdf->items()) {
    for (const auto& [os, points] : by_os.items()) {
      const size_t n = points.size();
      for (size_t i = 0; i < n; ++i) {
        fields.resize(prefix);
        fields.insert(fields.end(),
                      {series, os, fmt::format("{}", n > 1 ? double(i) / double(n - 1) : 1.0),
                       fmt::format("{}", points[i].get<double>())});
        out += results::CsvLine(fields);
      }
    }
  }
  return out;
}

}  // namespace

sim::Result<std::unique_ptr<CdfLog>> CdfLog::Open(const ExperimentPlan& plan,
                                                  const std::string& dir, bool resume,
                                                  const ResultTable& table) {
  std::unique_ptr<CdfLog> log(new CdfLog(plan, (std::filesystem::path(dir) / "cdfs.csv").string()));
  if (resume) log->ReadRecorded(table);
  SIM_RETURN_IF_ERROR(log->Rewrite(table));
  SIM_ASSIGN_OR_RETURN(log->file_, results::AppendOnlyFile::Open(log->path_));
  return log;
}

void CdfLog::ReadRecorded(const ResultTable& table) {
  const std::vector<std::string> columns = RunColumns(plan_, kPointColumns);
  results::CsvFile file = results::ReadCsvFile(path_);
  if (file.header != columns) return;  // another plan's, or none: those runs lose their CDFs
  if (!file.rows.empty() && !results::EndsWithNewline(path_)) file.rows.pop_back();
  const size_t seed_column = plan_.axes.size() + 1;
  for (const auto& fields : file.rows) {
    if (fields.size() != columns.size()) continue;
    try {
      const ResultTable::Key key{std::stoull(fields[0]), std::stoull(fields[seed_column])};
      if (table.Contains(key.first, key.second)) lines_[key] += results::CsvLine(fields);
    } catch (const std::exception&) {
      continue;
    }
  }
}

sim::Status CdfLog::Append(size_t cell, uint64_t seed, const nlohmann::ordered_json& summary) {
  std::string lines = PointLines(plan_, cell, seed, summary);
  if (lines.empty()) return sim::Status::Ok();
  // One write: a kill leaves this run's lines whole or, at worst, a torn last line.
  SIM_RETURN_IF_ERROR(file_->Append(lines));
  lines_[{cell, seed}] = std::move(lines);
  return sim::Status::Ok();
}

sim::Status CdfLog::Finish(const ResultTable& table) {
  file_.reset();
  return Rewrite(table);
}

sim::Status CdfLog::Rewrite(const ResultTable& table) {
  std::string text = results::CsvLine(RunColumns(plan_, kPointColumns));
  for (const auto& [key, row] : table) {
    const auto it = lines_.find(key);
    if (it != lines_.end()) text += it->second;
  }
  return WriteTextFile(path_, text);
}

}  // namespace clustersim::apps
