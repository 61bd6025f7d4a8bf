#include "results/event_reader.h"

#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <unordered_map>

#include "events.pb.h"  // generated from results/proto/events.proto

namespace clustersim::results {
namespace {

// Versions 3 and 4 only added kinds and fields (events.proto): a version 2 file reads the same.
constexpr uint32_t kOldestFormatVersion = 2;
constexpr uint32_t kFormatVersion = 4;

struct SentOffer {
  uint32_t framework = 0;
  uint32_t agent = 0;
  std::vector<int64_t> resources;
};

}  // namespace

struct EventReader::Impl {
  std::string path;
  std::ifstream file;
  std::unique_ptr<google::protobuf::io::IstreamInputStream> stream;
  std::vector<std::string> resource_kinds;
  std::deque<std::string> names{""};  // index 0: none; a deque keeps views into it valid
  Event event;
  int64_t time_us = 0;
  uint64_t offer = 0;
  std::unordered_map<uint64_t, SentOffer> outstanding;              // by offer id
  std::unordered_map<uint32_t, std::vector<int64_t>> last_offered;  // by agent name index
  uint64_t records = 0;

  sim::Status Malformed(const std::string& what) const {
    return sim::Status::Error(fmt::format("{}: record {}: {}", path, records, what));
  }
  // The string of name index `i`, or an error for an index no NAME record defined yet.
  sim::Result<std::string_view> Name(uint32_t i) const {
    if (i >= names.size()) return Malformed(fmt::format("name index {} not defined", i));
    return std::string_view(names[i]);
  }
  sim::Status ResolveNames(EventRecord& out) const;
  sim::Status Offer(EventRecord& out);
  sim::Status Resolve(EventRecord& out);
};

sim::Status EventReader::Impl::ResolveNames(EventRecord& out) const {
  std::pair<std::string_view*, uint32_t> fields[] = {
      {&out.framework, event.framework()}, {&out.agent, event.agent()},
      {&out.state, event.state()},         {&out.reason, event.reason()},
      {&out.image, event.image()},         {&out.os_version, event.os_version()}};
  for (auto& [field, index] : fields) {
    auto name = Name(index);
    if (!name.ok()) return name.status();
    *field = *name;
  }
  return sim::Status::Ok();
}

sim::Status EventReader::Impl::Offer(EventRecord& out) {
  out.group = EventRecord::Group::kOffer;
  offer += static_cast<uint64_t>(event.offer_delta());
  out.offer_id = offer;
  out.tasks_launched = event.tasks_launched();
  if (event.kind() == Event::OFFER_SENT) {
    SentOffer& sent = outstanding[offer];
    sent.framework = event.framework();
    sent.agent = event.agent();
    std::vector<int64_t>& last = last_offered[sent.agent];
    if (event.resources_size() > 0) last.assign(event.resources().begin(), event.resources().end());
    sent.resources = last;
    out.resources = last;
    return sim::Status::Ok();
  }
  auto it = outstanding.find(offer);
  if (it == outstanding.end()) {
    return Malformed(fmt::format("{} of offer {}, never sent", out.kind, offer));
  }
  for (auto [field, index] :
       {std::pair{&out.framework, it->second.framework}, std::pair{&out.agent, it->second.agent}}) {
    auto name = Name(index);
    if (!name.ok()) return name.status();
    *field = *name;
  }
  out.resources = std::move(it->second.resources);
  outstanding.erase(it);
  return sim::Status::Ok();
}

sim::Status EventReader::Impl::Resolve(EventRecord& out) {
  out = EventRecord{};
  out.time_us = time_us;
  out.kind = Event::Kind_Name(event.kind());
  if (out.kind.empty()) return Malformed(fmt::format("unknown kind {}", int{event.kind()}));
  if (auto s = ResolveNames(out); !s.ok()) return s;
  if (out.kind.starts_with("OFFER_")) return Offer(out);
  switch (event.kind()) {
    case Event::DECISION_STARTED:
    case Event::TRANSACTION:
    case Event::JOB_PLACED:
      out.group = EventRecord::Group::kScheduling;
      out.job_id = event.job_id();
      out.busy_us = static_cast<int64_t>(event.busy_us());
      out.placed = event.placed();
      out.claims_committed = event.claims_committed();
      out.claims_conflicted = event.claims_conflicted();
      out.wait_us = static_cast<int64_t>(event.wait_us());
      return sim::Status::Ok();
    case Event::FRAMEWORK_DISCONNECTED:
    case Event::FRAMEWORK_RECONNECTED:
    case Event::FRAMEWORK_REMOVED:
      out.group = EventRecord::Group::kFramework;
      return sim::Status::Ok();
    default:
      break;
  }
  if (!out.kind.starts_with("TASK_")) {
    out.group = EventRecord::Group::kAgent;
    return sim::Status::Ok();
  }
  out.task_id = event.task_id();
  out.job_id = event.job_id();
  out.offer_id = event.offer_id();
  out.final = event.final();
  out.os = event.os() == Event::WINDOWS ? "windows" : event.os() == Event::LINUX ? "linux" : "";
  out.resources.assign(event.resources().begin(), event.resources().end());
  return sim::Status::Ok();
}

namespace {

// Whether the file starts with text (a summary.json or a CSV given by mistake). A header record
// does not: its second byte is its first field's tag and its third the magic's length, 17.
bool LooksLikeText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char start[64];
  in.read(start, sizeof start);
  const std::streamsize n = in.gcount();
  if (n == 0) return false;
  return std::all_of(start, start + n, [](char c) {
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
  });
}

}  // namespace

EventReader::EventReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventReader::~EventReader() = default;

const std::vector<std::string>& EventReader::resource_kinds() const {
  return impl_->resource_kinds;
}

sim::Result<std::unique_ptr<EventReader>> EventReader::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->file.open(path, std::ios::binary);
  if (!impl->file) return sim::Status::Error("cannot read " + path);
  impl->stream = std::make_unique<google::protobuf::io::IstreamInputStream>(&impl->file);
  Header header;  // the first record
  bool clean_eof = false;
  if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&header, impl->stream.get(),
                                                                &clean_eof) ||
      header.magic() != "clustersim.events") {
    if (LooksLikeText(path)) {
      return sim::Status::Error(path +
                                ": not an events.binpb: it is a text file (events.binpb is the "
                                "binary file `clustersim run --events` writes)");
    }
    return sim::Status::Error(
        path +
        ": not an events.binpb of format 2 or later (a version 1 file, written before "
        "issue 13, has no header: re-run the scenario with --events)");
  }
  if (header.version() < kOldestFormatVersion || header.version() > kFormatVersion) {
    return sim::Status::Error(fmt::format("{}: format version {}; this reader reads {} to {}", path,
                                          header.version(), kOldestFormatVersion, kFormatVersion));
  }
  impl->resource_kinds.assign(header.resource_kinds().begin(), header.resource_kinds().end());
  return std::unique_ptr<EventReader>(new EventReader(std::move(impl)));
}

sim::Result<bool> EventReader::Next(EventRecord& out) {
  Impl& r = *impl_;
  while (true) {
    bool clean_eof = false;
    ++r.records;
    r.event.Clear();  // parsing merges into the message
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&r.event, r.stream.get(),
                                                                  &clean_eof)) {
      if (clean_eof) return false;
      return r.Malformed("truncated or malformed record");
    }
    r.time_us += static_cast<int64_t>(r.event.dt_us());
    if (r.event.kind() != Event::NAME) break;
    r.names.push_back(r.event.name());
  }
  if (auto s = r.Resolve(out); !s.ok()) return s;
  return true;
}

std::string FormatFixed(int64_t raw) {
  const uint64_t magnitude = raw < 0 ? 0 - static_cast<uint64_t>(raw) : static_cast<uint64_t>(raw);
  std::string out = fmt::format("{}{}", raw < 0 ? "-" : "", magnitude / 1000);
  if (magnitude % 1000 != 0) {
    std::string frac = fmt::format("{:03}", magnitude % 1000);
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out;
}

std::string FormatMicros(int64_t us) { return fmt::format("{}.{:06}", us / 1000000, us % 1000000); }

std::string FormatEventLine(const EventRecord& e, const std::vector<std::string>& kinds) {
  std::string line = FormatMicros(e.time_us) + " " + std::string(e.kind);
  auto add = [&line](std::string_view key, std::string_view value) {
    if (!value.empty()) line += fmt::format(" {}={}", key, value);
  };
  auto add_resources = [&] {
    for (size_t k = 0; k < e.resources.size() && k < kinds.size(); ++k) {
      if (e.resources[k] != 0) add(kinds[k], FormatFixed(e.resources[k]));
    }
  };
  const bool task = e.group == EventRecord::Group::kTask;
  if (e.group == EventRecord::Group::kOffer) add("offer_id", std::to_string(e.offer_id));
  if (task) add("task_id", std::to_string(e.task_id));
  add("framework", e.framework);
  add("agent", e.agent);
  if (task) {
    add("os", e.os);
    add("state", e.state);
    add("reason", e.reason);
  }
  if (e.kind == "TASK_SUBMITTED") {
    add("job_id", std::to_string(e.job_id));
    add("image", e.image);
    add("os_version", e.os_version);
  }
  if (e.kind == "TASK_LAUNCHED") add("offer_id", std::to_string(e.offer_id));
  add_resources();
  if (e.kind == "OFFER_ACCEPTED") add("tasks_launched", std::to_string(e.tasks_launched));
  if (e.kind == "TASK_ENDED") add("final", e.final ? "true" : "false");
  if (e.kind == "DECISION_STARTED") {
    add("busy_s", FormatMicros(e.busy_us));
    add("placed", std::to_string(e.placed));
  }
  if (e.kind == "TRANSACTION") {
    add("claims_committed", std::to_string(e.claims_committed));
    add("claims_conflicted", std::to_string(e.claims_conflicted));
  }
  if (e.kind == "JOB_PLACED") {
    add("job_id", std::to_string(e.job_id));
    add("wait_s", FormatMicros(e.wait_us));
  }
  return line;
}

}  // namespace clustersim::results
