#include "results/event_log.h"

#include <google/protobuf/io/coded_stream.h>

#include <cstdio>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events.pb.h"  // generated from results/proto/events.proto
#include "results/output_file.h"
#include "sim/check.h"

namespace clustersim::results {
namespace {

// Records collect in memory and go to the file in writes of about this size: one write per
// record costs more than encoding it.
constexpr size_t kFlushBytes = size_t{1} << 20;

Event::Os ToProto(plugins::Os os) {
  return os == plugins::Os::kWindows ? Event::WINDOWS : Event::LINUX;
}

}  // namespace

struct EventLog::Impl {
  std::string path;  // written as TempPath(path) until Close renames it
  std::ofstream file;
  std::string buffer;  // encoded records not yet written
  models::Cluster* cluster = nullptr;
  Event event;  // reused: no allocation per record once its fields have grown
  Event name_record;
  int64_t last_time_us = 0;  // of the previous record: Event.dt_us is relative to it
  int resource_kinds = plugins::kBuiltinResourceKinds;

  // Interned names (events.proto): index by string, and caches by dense id for the names the
  // offer records ask for on every record (0: not interned yet).
  uint32_t next_name = 1;
  std::unordered_map<std::string, uint32_t> names;
  std::vector<uint32_t> framework_names;
  std::vector<uint32_t> agent_names;
  uint64_t last_offer =
      0;  // id of the previous OFFER_* record: Event.offer_delta is relative to it
  // Per agent, the resources of its previous OFFER_SENT: a re-offer of the same leaves them out.
  std::vector<plugins::Resources> last_offered;

  // The name's index, writing its NAME record first if it is new.
  uint32_t Intern(std::string_view name) {
    auto [it, inserted] = names.try_emplace(std::string(name), next_name);
    if (inserted) {
      ++next_name;
      name_record.set_kind(Event::NAME);
      name_record.set_name(it->first);
      Append(name_record);
    }
    return it->second;
  }
  uint32_t InternCached(std::vector<uint32_t>& cache, size_t id, std::string_view name) {
    if (id >= cache.size()) cache.resize(id + 1, 0);
    if (cache[id] == 0) cache[id] = Intern(name);
    return cache[id];
  }
  uint32_t Framework(plugins::FrameworkId f) {
    return InternCached(framework_names, f.index(), cluster->spec().frameworks[f.index()].name);
  }
  uint32_t Agent(plugins::AgentId a) {
    return InternCached(agent_names, a.index(), cluster->master().agent(a).name);
  }

  // Trailing zero kinds are left out, but never all of them: no resources on an OFFER_SENT means
  // "as the agent's previous offer".
  void SetResources(const plugins::Resources& r) {
    int end = resource_kinds;
    while (end > 1 && r.Raw(end - 1) == 0) --end;
    for (int k = 0; k < end; ++k) event.add_resources(r.Raw(k));
  }

  void Begin(Event::Kind kind) {
    event.Clear();
    const int64_t now = cluster->simulator().Now().micros();
    SIM_CHECK_MSG(now >= last_time_us, "event log: time went backwards");
    event.set_dt_us(static_cast<uint64_t>(now - last_time_us));
    last_time_us = now;
    event.set_kind(kind);
  }
  void Task(Event::Kind kind, const models::Task& t) {
    Begin(kind);
    event.set_task_id(t.id);
    event.set_framework(Framework(t.framework));
    if (models::IsActive(t.state) || !t.launched.IsMax()) event.set_agent(Agent(t.agent));
    event.set_state(Intern(models::TaskStateName(t.state)));
    event.set_os(ToProto(t.os));
  }
  void Launched(const models::Task& t) {
    Task(Event::TASK_LAUNCHED, t);
    event.set_offer_id(t.offer.value);
    SetResources(t.allocated);
  }
  void Submitted(const models::Task& t) {
    Task(Event::TASK_SUBMITTED, t);
    event.set_job_id(t.job);
    SetResources(t.resources);
    if (t.has_image) event.set_image(Intern(cluster->spec().images.images[t.image.index()].name));
    if (t.image_version != plugins::OsVersion::kNone) {
      event.set_os_version(Intern(plugins::OsVersionName(t.image_version)));
    }
  }
  // ACCEPTED, DECLINED and RESCINDED: the offer only (its OFFER_SENT says the rest).
  void Offer(Event::Kind kind, const models::Offer& o) {
    Begin(kind);
    event.set_offer_delta(static_cast<int64_t>(o.id.value - last_offer));
    last_offer = o.id.value;
  }
  void OfferSent(const models::Offer& o) {
    Offer(Event::OFFER_SENT, o);
    event.set_framework(Framework(o.framework));
    event.set_agent(Agent(o.agent));
    if (o.agent.index() >= last_offered.size()) last_offered.resize(o.agent.index() + 1);
    plugins::Resources& last = last_offered[o.agent.index()];
    if (o.resources != last || last.IsZero()) SetResources(o.resources);
    last = o.resources;
  }

  // Encodes `record` (varint length, then the message) at the end of the buffer.
  void Append(const Event& record) {
    const size_t size = record.ByteSizeLong();
    const size_t old = buffer.size();
    buffer.resize(old + size + 10);
    auto* start = reinterpret_cast<uint8_t*>(buffer.data() + old);
    uint8_t* p = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(size, start);
    p = record.SerializeWithCachedSizesToArray(p);
    buffer.resize(old + static_cast<size_t>(p - start));
  }
  void Write() {
    Append(event);
    if (buffer.size() >= kFlushBytes) Flush();
  }
  void Flush() {
    file.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
  }
  void WriteHeader() {
    Header header;
    header.set_magic("clustersim.events");
    header.set_version(4);
    resource_kinds = plugins::ResourceKinds::Count();
    for (int k = 0; k < resource_kinds; ++k) {
      header.add_resource_kinds(plugins::ResourceKinds::Name(k));
    }
    header.set_scenario(cluster->spec().name);
    header.set_seed(cluster->spec().seed);
    std::string bytes;
    header.SerializeToString(&bytes);
    uint8_t size[10];
    const uint8_t* end =
        google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(bytes.size(), size);
    buffer.append(reinterpret_cast<const char*>(size), static_cast<size_t>(end - size));
    buffer += bytes;
    // The frameworks take the first name indices (1, 2, ...): small numbers on every record.
    for (size_t f = 0; f < cluster->spec().frameworks.size(); ++f) {
      InternCached(framework_names, f, cluster->spec().frameworks[f].name);
    }
  }
  void Connect(models::ClusterSignals& s);
  void ConnectScheduling(models::ClusterSignals& s);
  void ConnectFrameworks(models::ClusterSignals& s);
};

using ClusterSignalAgent = models::Signal<models::AgentId>;
using ClusterSignalFramework = models::Signal<models::FrameworkId>;

void EventLog::Impl::Connect(models::ClusterSignals& s) {
  s.task_submitted.Connect([this](const models::Task& t) {
    Submitted(t);
    Write();
  });
  s.task_launched.Connect([this](const models::Task& t) {
    Launched(t);
    Write();
  });
  s.task_starting.Connect([this](const models::Task& t) {
    Task(Event::TASK_STARTING, t);
    Write();
  });
  s.task_running.Connect([this](const models::Task& t) {
    Task(Event::TASK_RUNNING, t);
    Write();
  });
  s.task_ended.Connect([this](const models::Task& t, bool final) {
    Task(Event::TASK_ENDED, t);
    event.set_final(final);
    if (t.reason != models::TaskReason::kNone) {
      event.set_reason(Intern(models::TaskReasonName(t.reason)));
    }
    Write();
  });
  s.offer_sent.Connect([this](const models::Offer& o) {
    OfferSent(o);
    Write();
  });
  s.offer_accepted.Connect([this](const models::Offer& o, int launched) {
    Offer(Event::OFFER_ACCEPTED, o);
    event.set_tasks_launched(static_cast<uint32_t>(launched));
    Write();
  });
  s.offer_declined.Connect([this](const models::Offer& o) {
    Offer(Event::OFFER_DECLINED, o);
    Write();
  });
  s.offer_rescinded.Connect([this](const models::Offer& o) {
    Offer(Event::OFFER_RESCINDED, o);
    Write();
  });
  s.agent_up.Connect([this](models::AgentId a) {
    Begin(Event::AGENT_UP);
    event.set_agent(Agent(a));
    Write();
  });
  auto agent_event = [this](ClusterSignalAgent& signal, Event::Kind kind) {
    signal.Connect([this, kind](models::AgentId a) {
      Begin(kind);
      event.set_agent(Agent(a));
      Write();
    });
  };
  agent_event(s.agent_down, Event::AGENT_DOWN);
  agent_event(s.agent_deactivated, Event::AGENT_DEACTIVATED);
  agent_event(s.agent_reactivated, Event::AGENT_REACTIVATED);
  agent_event(s.agent_unreachable, Event::AGENT_UNREACHABLE);
  agent_event(s.agent_removed, Event::AGENT_REMOVED);
  agent_event(s.agent_reregistered, Event::AGENT_REREGISTERED);
  s.task_recovered.Connect([this](const models::Task& t) {
    Task(Event::TASK_RECOVERED, t);
    Write();
  });
  agent_event(s.machine_draining, Event::MACHINE_DRAINING);
  agent_event(s.machine_down, Event::MACHINE_DOWN);
  agent_event(s.machine_up, Event::MACHINE_UP);
  agent_event(s.agent_draining, Event::AGENT_DRAINING);
  agent_event(s.agent_drained, Event::AGENT_DRAINED);
  s.inverse_offer_sent.Connect([this](models::FrameworkId f, models::AgentId a) {
    Begin(Event::INVERSE_OFFER_SENT);
    event.set_framework(Framework(f));
    event.set_agent(Agent(a));
    Write();
  });
  s.inverse_offer_answered.Connect([this](models::FrameworkId f, models::AgentId a, bool accepted) {
    Begin(accepted ? Event::INVERSE_OFFER_ACCEPTED : Event::INVERSE_OFFER_DECLINED);
    event.set_framework(Framework(f));
    event.set_agent(Agent(a));
    Write();
  });
  ConnectScheduling(s);
  ConnectFrameworks(s);
}

void EventLog::Impl::ConnectFrameworks(models::ClusterSignals& s) {
  auto framework_event = [this](ClusterSignalFramework& signal, Event::Kind kind) {
    signal.Connect([this, kind](models::FrameworkId f) {
      Begin(kind);
      event.set_framework(Framework(f));
      Write();
    });
  };
  framework_event(s.framework_disconnected, Event::FRAMEWORK_DISCONNECTED);
  framework_event(s.framework_reconnected, Event::FRAMEWORK_RECONNECTED);
  framework_event(s.framework_removed, Event::FRAMEWORK_REMOVED);
}

void EventLog::Impl::ConnectScheduling(models::ClusterSignals& s) {
  s.decision_started.Connect([this](models::FrameworkId f, sim::Time busy, size_t placed) {
    Begin(Event::DECISION_STARTED);
    event.set_framework(Framework(f));
    event.set_busy_us(static_cast<uint64_t>(busy.micros()));
    event.set_placed(static_cast<uint32_t>(placed));
    Write();
  });
  s.transaction.Connect([this](models::FrameworkId f, uint32_t committed, uint32_t conflicted) {
    Begin(Event::TRANSACTION);
    event.set_framework(Framework(f));
    event.set_claims_committed(committed);
    event.set_claims_conflicted(conflicted);
    Write();
  });
  s.job_fully_placed.Connect(
      [this](models::FrameworkId f, uint64_t job, sim::Time /*submitted*/, sim::Time queued) {
        Begin(Event::JOB_PLACED);
        event.set_framework(Framework(f));
        event.set_job_id(job);
        event.set_wait_us(static_cast<uint64_t>(queued.micros()));
        Write();
      });
}

EventLog::EventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventLog::~EventLog() {
  if (impl_->file.is_open()) {  // never closed (the run failed): the partial file goes
    impl_->file.close();
    std::remove(TempPath(impl_->path).c_str());
  }
}

sim::Result<std::unique_ptr<EventLog>> EventLog::Open(const std::string& path,
                                                      models::Cluster& cluster) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->file.open(TempPath(path), std::ios::binary | std::ios::trunc);
  if (!impl->file) return sim::Status::Error("cannot write " + path);
  impl->cluster = &cluster;
  impl->buffer.reserve(kFlushBytes + 4096);
  impl->WriteHeader();
  impl->Connect(cluster.signals());
  return std::unique_ptr<EventLog>(new EventLog(std::move(impl)));
}

sim::Status EventLog::Close() {
  if (!impl_->file.is_open()) return sim::Status::Ok();
  impl_->Flush();
  impl_->file.close();
  if (!impl_->file) {
    std::remove(TempPath(impl_->path).c_str());
    return sim::Status::Error("error writing " + impl_->path);
  }
  return RenameIntoPlace(impl_->path);
}

}  // namespace clustersim::results
