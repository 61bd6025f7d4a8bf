// Trace ingest: how fast the streaming readers turn trace files into checked rows.
//
//   BM_Google2011TaskEventsIngest/0   the shared 100,000-row task_events slice (11.2 MB) through
//                                      the Google 2011 reader: split, parse and check every field
//   BM_Google2011TaskEventsIngest/1   the same on a generated file of the same shape (1M rows),
//                                      when the shared samples are not there
//   BM_Google2011MachineEventsIngest  the shared machine_events file (37,780 rows, 2.9 MB)
//   BM_LineReaderLines                the line reader alone over the task_events slice
//
// Files are read from the page cache (the first iteration warms it); bytes_per_second is the
// file's size over the time per pass. The samples are found at
// CLUSTERSIM_SOURCE_DIR/../shared/traces; a benchmark whose file is missing is skipped.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "models/workload/google2011/google2011_reader.h"
#include "models/workload/trace_io/line_reader.h"
#include "sim/random.h"

namespace clustersim {
namespace {

namespace fs = std::filesystem;
namespace g = models::google2011;

std::string Sample(const char* name) {
  const fs::path p =
      fs::path(CLUSTERSIM_SOURCE_DIR) / ".." / "shared" / "traces" / "google2011" / name;
  return fs::exists(p) ? p.string() : std::string();
}

// A task_events file of `rows` rows shaped like the trace's (13 fields, µs times, 10-digit ids,
// base64 user hashes, normalised requests), in time order. Written once per process.
const std::string& GeneratedTaskEvents() {
  static const std::string path = [] {
    const std::string p = (fs::temp_directory_path() /
                           ("trace_bench_task_events_" + std::to_string(::getpid()) + ".csv"))
                              .string();
    std::FILE* f = std::fopen(p.c_str(), "w");
    sim::Rng rng(42);
    int64_t t = 600'000'000;
    for (int i = 0; i < 1'000'000; ++i) {
      t += static_cast<int64_t>(rng.UniformInt(50'000));
      const uint64_t job = 6'000'000'000 + rng.UniformInt(1'000'000);
      const int type = static_cast<int>(rng.UniformInt(6));
      std::fprintf(f,
                   "%lld,,%llu,%d,%llu,%d,fJYeclskJqPWsAT6TX/r9X5OiIZpSEb2PBGliYAOMxM=,%d,%d,%.5f,"
                   "%.5f,%.7f,%d\n",
                   static_cast<long long>(t), static_cast<unsigned long long>(job),
                   static_cast<int>(rng.UniformInt(2000)),
                   static_cast<unsigned long long>(rng.UniformInt(4'000'000'000)), type,
                   static_cast<int>(rng.UniformInt(4)), static_cast<int>(rng.UniformInt(12)),
                   rng.Uniform01() * 0.1, rng.Uniform01() * 0.1, rng.Uniform01() * 1e-3,
                   static_cast<int>(rng.UniformInt(2)));
    }
    std::fclose(f);
    std::atexit([] { std::remove(GeneratedTaskEvents().c_str()); });
    return p;
  }();
  return path;
}

template <typename Reader, typename Row>
void Ingest(benchmark::State& state, const std::string& path) {
  if (path.empty()) {
    state.SkipWithError("shared trace sample not found (CLUSTERSIM_SOURCE_DIR/../shared/traces)");
    return;
  }
  const auto bytes = static_cast<int64_t>(fs::file_size(path));
  uint64_t rows = 0;
  for (auto _ : state) {
    Reader reader(/*strict=*/true);
    if (!reader.Open({path}).ok()) {
      state.SkipWithError("cannot open the trace file");
      return;
    }
    Row row;
    uint64_t checksum = 0;
    while (reader.Next(row)) checksum += static_cast<uint64_t>(row.time);
    if (!reader.status().ok()) {
      state.SkipWithError(reader.status().message().c_str());
      return;
    }
    rows = reader.rows();
    benchmark::DoNotOptimize(checksum);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rows));
  state.counters["rows"] = static_cast<double>(rows);
}

void BM_Google2011TaskEventsIngest(benchmark::State& state) {
  const std::string path = state.range(0) == 0
                               ? Sample("task_events-part-00000-of-00500.lines277322-377321.csv")
                               : GeneratedTaskEvents();
  Ingest<g::TaskEventReader, g::TaskEvent>(state, path);
}
BENCHMARK(BM_Google2011TaskEventsIngest)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Google2011MachineEventsIngest(benchmark::State& state) {
  Ingest<g::MachineEventReader, g::MachineEvent>(state,
                                                 Sample("machine_events-part-00000-of-00001.csv"));
}
BENCHMARK(BM_Google2011MachineEventsIngest)->Unit(benchmark::kMillisecond);

void BM_LineReaderLines(benchmark::State& state) {
  const std::string path = Sample("task_events-part-00000-of-00500.lines277322-377321.csv");
  if (path.empty()) {
    state.SkipWithError("shared trace sample not found");
    return;
  }
  const auto bytes = static_cast<int64_t>(fs::file_size(path));
  for (auto _ : state) {
    models::LineReader reader;
    if (!reader.Open({path}).ok()) return;
    std::string_view line;
    size_t total = 0;
    while (reader.Next(line)) total += line.size();
    benchmark::DoNotOptimize(total);
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_LineReaderLines)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace clustersim
