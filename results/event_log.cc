#include "results/event_log.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include <cstdio>

#include "events.pb.h"  // generated from results/proto/events.proto
#include "results/output_file.h"

namespace clustersim::results {

struct EventLog::Impl {
  std::string path;  // written as TempPath(path) until Close renames it
  std::ofstream file;
  std::unique_ptr<google::protobuf::io::OstreamOutputStream> stream;
  models::Cluster* cluster = nullptr;
  Event event;  // reused: no allocation per record once its strings have grown
  bool failed = false;

  void Begin(Event::Kind kind) {
    event.Clear();
    event.set_time_us(cluster->simulator().Now().micros());
    event.set_kind(kind);
  }
  void Task(Event::Kind kind, const models::Task& t) {
    Begin(kind);
    event.set_task_id(t.id);
    event.set_job_id(t.job);
    event.set_framework(cluster->spec().frameworks[t.framework.index()].name);
    if (models::IsActive(t.state) || !t.launched.IsMax()) {
      event.set_agent(cluster->master().agent(t.agent).name);
    }
    event.set_state(std::string(models::TaskStateName(t.state)));
    if (kind == Event::TASK_ENDED) event.set_reason(std::string(models::TaskReasonName(t.reason)));
  }
  void Offer(Event::Kind kind, const models::Offer& o) {
    Begin(kind);
    event.set_offer_id(o.id.value);
    event.set_framework(cluster->spec().frameworks[o.framework.index()].name);
    event.set_agent(cluster->master().agent(o.agent).name);
    event.set_resources(o.resources.ToString());
  }
  void Write() {
    if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(event, stream.get())) {
      failed = true;
    }
  }
};

EventLog::EventLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventLog::~EventLog() {
  if (impl_->stream) {  // never closed (the run failed): the partial file goes
    impl_->stream.reset();
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
  impl->stream = std::make_unique<google::protobuf::io::OstreamOutputStream>(&impl->file);
  impl->cluster = &cluster;
  Impl* p = impl.get();
  auto& s = cluster.signals();
  s.task_submitted.Connect([p](const models::Task& t) {
    p->Task(Event::TASK_SUBMITTED, t);
    p->Write();
  });
  s.task_launched.Connect([p](const models::Task& t) {
    p->Task(Event::TASK_LAUNCHED, t);
    p->Write();
  });
  s.task_starting.Connect([p](const models::Task& t) {
    p->Task(Event::TASK_STARTING, t);
    p->Write();
  });
  s.task_running.Connect([p](const models::Task& t) {
    p->Task(Event::TASK_RUNNING, t);
    p->Write();
  });
  s.task_ended.Connect([p](const models::Task& t, bool final) {
    p->Task(Event::TASK_ENDED, t);
    p->event.set_final(final);
    p->Write();
  });
  s.offer_sent.Connect([p](const models::Offer& o) {
    p->Offer(Event::OFFER_SENT, o);
    p->Write();
  });
  s.offer_accepted.Connect([p](const models::Offer& o, int launched) {
    p->Offer(Event::OFFER_ACCEPTED, o);
    p->event.set_tasks_launched(launched);
    p->Write();
  });
  s.offer_declined.Connect([p](const models::Offer& o) {
    p->Offer(Event::OFFER_DECLINED, o);
    p->Write();
  });
  s.offer_rescinded.Connect([p](const models::Offer& o) {
    p->Offer(Event::OFFER_RESCINDED, o);
    p->Write();
  });
  s.agent_up.Connect([p](models::AgentId a) {
    p->Begin(Event::AGENT_UP);
    p->event.set_agent(p->cluster->master().agent(a).name);
    p->Write();
  });
  s.agent_down.Connect([p](models::AgentId a) {
    p->Begin(Event::AGENT_DOWN);
    p->event.set_agent(p->cluster->master().agent(a).name);
    p->Write();
  });
  return std::unique_ptr<EventLog>(new EventLog(std::move(impl)));
}

sim::Status EventLog::Close() {
  if (!impl_->stream) return sim::Status::Ok();
  impl_->stream.reset();
  impl_->file.close();
  if (impl_->failed || !impl_->file) {
    std::remove(TempPath(impl_->path).c_str());
    return sim::Status::Error("error writing " + impl_->path);
  }
  return RenameIntoPlace(impl_->path);
}

}  // namespace clustersim::results
