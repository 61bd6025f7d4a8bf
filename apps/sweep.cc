#include "apps/sweep.h"

#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "apps/batch_runner.h"
#include "apps/config/overrides.h"
#include "apps/run_metrics.h"
#include "apps/scenario.h"
#include "apps/stats.h"
#include "apps/sweep_mpi.h"

namespace clustersim::apps {
namespace {

namespace fs = std::filesystem;
using sim::Status;

// One dimension of the sweep. Usually one key path and its values; several paths move together
// (each value is then a list with one entry per path), e.g. the sizes of three agent groups.
struct Axis {
  std::string name;  // column name: `name:` or the paths joined by '+'
  std::vector<std::string> paths;
  std::vector<std::vector<std::string>> values;  // [value][path]: YAML text, as --set takes it
  std::vector<std::string> labels;               // [value]: entries joined by '/'
};

struct Sweep {
  std::string name;
  std::optional<YamlDocument> base;  // optional only because a document has no empty state
  std::vector<std::string> base_overrides;
  std::vector<Axis> axes;
  int seeds = 3;
  uint64_t base_seed = 1;
  std::vector<MetricPath> metrics;
};

std::string YamlText(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

sim::Result<Sweep> LoadSweep(const std::string& file) {
  SIM_ASSIGN_OR_RETURN(YamlDocument doc, LoadYamlFile(file));
  SIM_ASSIGN_OR_RETURN(YamlMap m, doc.Root().AsMap());
  Sweep sweep;
  sweep.name = fs::path(file).stem().string();
  if (auto v = m.Optional("name")) {
    SIM_ASSIGN_OR_RETURN(sweep.name, v->AsString());
  }
  SIM_ASSIGN_OR_RETURN(YamlValue base, m.Required("base"));
  SIM_ASSIGN_OR_RETURN(std::string base_path, base.AsString());
  if (fs::path(base_path).is_relative())
    base_path = (fs::path(file).parent_path() / base_path).string();
  auto base_doc = LoadYamlFile(base_path);
  if (!base_doc.ok()) return base.Fail(base_doc.error());
  sweep.base.emplace(std::move(*base_doc));
  if (auto v = m.Optional("set")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string s, item.AsString());
      sweep.base_overrides.push_back(s);
    }
  }
  if (auto v = m.Optional("seeds")) {
    SIM_ASSIGN_OR_RETURN(const int64_t seeds, v->AsInt(1, 100000));
    sweep.seeds = static_cast<int>(seeds);
  }
  SIM_ASSIGN_OR_RETURN(YamlValue axes, m.Required("axes"));
  SIM_ASSIGN_OR_RETURN(auto axis_items, axes.Elements());
  for (const YamlValue& item : axis_items) {
    SIM_ASSIGN_OR_RETURN(YamlMap am, item.AsMap());
    Axis axis;
    std::vector<YamlValue> path_values;
    if (auto p = am.Optional("path")) {
      path_values.push_back(*p);
    } else if (auto ps = am.Optional("paths")) {
      SIM_ASSIGN_OR_RETURN(path_values, ps->Elements());
      if (path_values.empty()) return ps->Error("a non-empty list of key paths");
    } else {
      return item.Fail("an axis needs 'path' (or 'paths' moving together) and 'values'");
    }
    for (const YamlValue& p : path_values) {
      SIM_ASSIGN_OR_RETURN(std::string path, p.AsString());
      if (auto parsed = ParseKeyPath(path); !parsed.ok()) return p.Fail(parsed.error());
      axis.paths.push_back(path);
      axis.name += (axis.name.empty() ? "" : "+") + path;
    }
    if (auto n = am.Optional("name")) {
      SIM_ASSIGN_OR_RETURN(axis.name, n->AsString());
    }
    SIM_ASSIGN_OR_RETURN(YamlValue values, am.Required("values"));
    SIM_ASSIGN_OR_RETURN(auto value_items, values.Elements());
    if (value_items.empty()) return values.Error("a non-empty list of values");
    for (const YamlValue& v : value_items) {
      std::vector<std::string> texts;
      if (axis.paths.size() == 1) {
        texts.push_back(YamlText(v.node()));
      } else {
        SIM_ASSIGN_OR_RETURN(auto parts, v.Elements());
        if (parts.size() != axis.paths.size()) {
          return v.Error(fmt::format("a list of {} values, one per path", axis.paths.size()));
        }
        for (const YamlValue& part : parts) texts.push_back(YamlText(part.node()));
      }
      std::string label;
      for (const auto& t : texts) label += (label.empty() ? "" : "/") + t;
      axis.labels.push_back(label);
      axis.values.push_back(std::move(texts));
    }
    SIM_RETURN_IF_ERROR(am.Finish());
    sweep.axes.push_back(std::move(axis));
  }
  if (auto v = m.Optional("metrics")) {
    SIM_ASSIGN_OR_RETURN(auto items, v->Elements());
    for (const YamlValue& item : items) {
      SIM_ASSIGN_OR_RETURN(std::string s, item.AsString());
      auto metric = ParseMetricPath(s);
      if (!metric.ok()) return item.Fail(metric.error());
      sweep.metrics.push_back(*metric);
    }
  } else {
    sweep.metrics = DefaultMetrics();
  }
  SIM_RETURN_IF_ERROR(m.Finish());
  return sweep;
}

// Cell c's value index on each axis (row-major: the last axis varies fastest).
std::vector<size_t> CellCoordinates(const Sweep& sweep, size_t cell) {
  std::vector<size_t> idx(sweep.axes.size());
  for (size_t a = sweep.axes.size(); a-- > 0;) {
    idx[a] = cell % sweep.axes[a].values.size();
    cell /= sweep.axes[a].values.size();
  }
  return idx;
}

std::vector<std::string> CellOverrides(const Sweep& sweep, size_t cell) {
  std::vector<std::string> o = sweep.base_overrides;
  const auto idx = CellCoordinates(sweep, cell);
  for (size_t a = 0; a < sweep.axes.size(); ++a) {
    for (size_t p = 0; p < sweep.axes[a].paths.size(); ++p) {
      o.push_back(sweep.axes[a].paths[p] + "=" + sweep.axes[a].values[idx[a]][p]);
    }
  }
  return o;
}

std::string RowPrefix(const Sweep& sweep, size_t cell, uint64_t seed) {
  std::string row = std::to_string(cell);
  const auto idx = CellCoordinates(sweep, cell);
  for (size_t a = 0; a < sweep.axes.size(); ++a)
    row += "," + CsvField(sweep.axes[a].labels[idx[a]]);
  return row + "," + std::to_string(seed);
}

std::string Header(const Sweep& sweep, const std::vector<std::string>& tail) {
  std::string h = "cell";
  for (const Axis& a : sweep.axes) h += "," + CsvField(a.name);
  h += ",seed";
  for (const auto& t : tail) h += "," + t;
  return h + "\n";
}

std::string FormatValue(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

// The fields of one CSV line as CsvField writes them (quotes kept: only cells, seeds and numbers
// are read back, and those are never quoted).
std::vector<std::string> SplitCsvRow(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// Rows of a CSV we wrote, keyed by (cell, seed); the header is returned separately.
std::map<std::pair<size_t, uint64_t>, std::string> ReadRows(const fs::path& path,
                                                            size_t seed_column,
                                                            std::string* header) {
  std::map<std::pair<size_t, uint64_t>, std::string> rows;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return rows;
  if (header) *header = line + "\n";
  const size_t header_fields = SplitCsvRow(line).size();
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = SplitCsvRow(line);
    // A line cut short by a kill has fewer fields than the header: that run is redone.
    if (fields.size() != header_fields) continue;
    try {
      rows[{std::stoull(fields[0]), std::stoull(fields[seed_column])}] = line + "\n";
    } catch (const std::exception&) {
      continue;
    }
  }
  return rows;
}

}  // namespace

Status RunSweep(const std::string& sweep_file, const SweepOptions& options, const MpiJob* mpi) {
  SIM_ASSIGN_OR_RETURN(Sweep sweep, LoadSweep(sweep_file));
  size_t cells = 1;
  for (const Axis& a : sweep.axes) cells *= a.values.size();
  const bool distributed = mpi != nullptr && mpi->active;

  // Every cell must be a valid scenario before anything runs.
  for (size_t c = 0; c < cells; ++c) {
    YamlDocument doc = sweep.base->Clone();
    SIM_RETURN_IF_ERROR(ApplyOverrides(doc, CellOverrides(sweep, c)));
    auto scenario = LoadScenario(doc);
    if (!scenario.ok()) return scenario.status();
    if (c == 0) sweep.base_seed = scenario->spec.seed;
  }
  if (distributed && mpi->rank != 0) {
    MpiWork(*mpi, *sweep.base, [&](size_t cell, uint64_t seed) {
      return RunRequest{cell, CellOverrides(sweep, cell), seed, ""};
    });
    return Status::Ok();
  }

  const fs::path out = options.out_dir.empty() ? fs::path("out") / ("sweep-" + sweep.name)
                                               : fs::path(options.out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return Status::Error(fmt::format("cannot create {}: {}", out.string(), ec.message()));
  const fs::path runs_path = out / "runs.csv", timing_path = out / "timing.csv";
  const size_t seed_column = sweep.axes.size() + 1;

  std::vector<std::string> metric_names;
  for (const MetricPath& m : sweep.metrics) metric_names.push_back(m.name);
  const std::string runs_header = Header(sweep, metric_names);
  std::map<std::pair<size_t, uint64_t>, std::string> done_rows;
  if (options.resume) {
    std::string header;
    done_rows = ReadRows(runs_path, seed_column, &header);
    if (!done_rows.empty() && header != runs_header) {
      return Status::Error(
          fmt::format("{}: written by a different sweep (other axes or metrics); "
                      "use another --out or drop --resume",
                      runs_path.string()));
    }
  }

  std::vector<RunRequest> requests;
  for (size_t c = 0; c < cells; ++c) {
    const auto overrides = CellOverrides(sweep, c);
    for (int s = 0; s < sweep.seeds; ++s) {
      const uint64_t seed = sweep.base_seed + static_cast<uint64_t>(s);
      if (done_rows.count({c, seed})) continue;
      requests.push_back(RunRequest{c, overrides, seed, ""});
    }
  }

  // Rewrite runs.csv with the finished rows only (drops a line cut short by a kill), then append.
  {
    std::ofstream runs(runs_path, std::ios::trunc);
    runs << runs_header;
    for (const auto& [key, row] : done_rows) runs << row;
  }
  std::ofstream runs(runs_path, std::ios::app);
  std::ofstream timing(timing_path, options.resume ? std::ios::app : std::ios::trunc);
  if (!options.resume || fs::file_size(timing_path, ec) == 0) {
    timing << Header(sweep, {"wall_seconds", "events_per_second"});
  }

  const size_t total = cells * static_cast<size_t>(sweep.seeds);
  size_t finished = done_rows.size();
  const bool tty = isatty(fileno(stderr)) == 1;
  const auto start = std::chrono::steady_clock::now();
  std::string first_error;
  const RunDone record = [&](size_t i, const RunResult& result) {
    const RunRequest& r = requests[i];
    if (!result.status.ok()) {
      if (first_error.empty()) first_error = result.status.message();
      return;
    }
    std::string row = RowPrefix(sweep, r.cell, r.seed);
    for (const MetricPath& m : sweep.metrics)
      row += "," + FormatValue(LookupMetric(result.summary, m));
    runs << row << '\n' << std::flush;  // on disk now: a kill loses only runs in flight
    const auto t = TimingFields(result.summary);
    std::string trow = RowPrefix(sweep, r.cell, r.seed);
    for (const char* key : {"wall_seconds", "events_per_second"}) {
      auto it = std::find_if(t.begin(), t.end(), [&](const auto& kv) { return kv.first == key; });
      trow += "," + (it == t.end() ? std::string() : fmt::format("{}", it->second));
    }
    timing << trow << '\n' << std::flush;
    ++finished;
    if (tty) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const size_t ran = finished - done_rows.size();
      const double eta =
          ran > 0 ? elapsed / static_cast<double>(ran) * static_cast<double>(total - finished) : 0;
      const int width = 30;
      const int filled = static_cast<int>(width * finished / std::max<size_t>(1, total));
      std::fprintf(stderr, "\r  [%s%s] %zu / %zu runs  ETA %.0f s   ",
                   std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(width - filled), '.').c_str(), finished, total,
                   eta);
    }
  };
  if (distributed) {
    MpiCoordinate(*mpi, requests, record);
  } else {
    RunBatch(*sweep.base, requests, options.jobs, record);
  }
  if (tty) std::fprintf(stderr, "\r%70s\r", "");
  runs.close();
  timing.close();
  if (!first_error.empty()) return Status::Error(first_error);

  // Final files, independent of the order runs finished in or how often the sweep was resumed.
  std::string header;
  auto rows = ReadRows(runs_path, seed_column, &header);
  {
    std::ofstream sorted(runs_path, std::ios::trunc);
    sorted << runs_header;
    for (const auto& [key, row] : rows) sorted << row;
  }
  std::string timing_header;
  auto timing_rows = ReadRows(timing_path, seed_column, &timing_header);
  {
    std::ofstream sorted(timing_path, std::ios::trunc);
    sorted << timing_header;
    for (const auto& [key, row] : timing_rows) sorted << row;
  }

  // summary.csv / summary.md: mean and 95% interval per cell and metric.
  std::vector<std::vector<std::vector<double>>> samples(
      cells, std::vector<std::vector<double>>(sweep.metrics.size()));
  for (const auto& [key, row] : rows) {
    const std::vector<std::string> fields = SplitCsvRow(row.substr(0, row.size() - 1));
    for (size_t m = 0; m < sweep.metrics.size(); ++m) {
      const std::string& f = fields[seed_column + 1 + m];
      if (!f.empty()) samples[key.first][m].push_back(std::stod(f));
    }
  }
  std::vector<std::string> summary_cols = {"runs"};
  for (const MetricPath& m : sweep.metrics) {
    summary_cols.push_back(m.name + "_mean");
    summary_cols.push_back(m.name + "_ci95");
  }
  std::string summary_csv = Header(sweep, summary_cols);
  // No seed column in the summary.
  summary_csv.replace(summary_csv.find(",seed"), 5, "");
  std::string md = fmt::format(
      "# Sweep {}: {} cells x {} seeds\n\nMean ± half-width of the 95% "
      "Student-t interval over seeds.\n\n| ",
      sweep.name, cells, sweep.seeds);
  for (const Axis& a : sweep.axes) md += a.name + " | ";
  std::string rule = "|";
  for (size_t a = 0; a < sweep.axes.size(); ++a) rule += "---|";
  for (const MetricPath& m : sweep.metrics) {
    md += m.name + " | ";
    rule += "---:|";
  }
  md += "\n" + rule + "\n";
  for (size_t c = 0; c < cells; ++c) {
    std::string prefix = RowPrefix(sweep, c, 0);
    prefix.erase(prefix.rfind(','));
    summary_csv += prefix + "," + std::to_string(samples[c].empty() ? 0 : samples[c][0].size());
    md += "| ";
    const auto idx = CellCoordinates(sweep, c);
    for (size_t a = 0; a < sweep.axes.size(); ++a) md += sweep.axes[a].labels[idx[a]] + " | ";
    for (size_t m = 0; m < sweep.metrics.size(); ++m) {
      const MeanCi ci = MeanWithCi(samples[c][m]);
      summary_csv += fmt::format(",{},{}", ci.mean, ci.half_width);
      md += FormatMeanCi(ci) + " | ";
    }
    summary_csv += "\n";
    md += "\n";
  }
  std::ofstream(out / "summary.csv") << summary_csv;
  std::ofstream(out / "summary.md") << md;
  std::fputs(md.c_str(), stdout);
  std::printf("  results in %s/\n", out.string().c_str());
  return Status::Ok();
}

}  // namespace clustersim::apps
