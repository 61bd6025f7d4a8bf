#include "scheduler_plugins/external/external_placement.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <utility>

namespace clustersim::plugins::external {
namespace pb = clustersim::external::v1;

ExternalPlacement::ExternalPlacement(std::vector<std::string> argv, std::string socket,
                                     std::chrono::milliseconds timeout, std::string framework,
                                     bool charge_wall_time, std::string shared)
    : process_(std::make_shared<PolicyProcess>(std::move(argv), std::move(socket), timeout)),
      shared_(std::move(shared)),
      who_(fmt::format("external placement of framework '{}'", framework)),
      framework_(std::move(framework)),
      charge_wall_time_(charge_wall_time) {}

ExternalPlacement::~ExternalPlacement() = default;

sim::Status ExternalPlacement::Start(const PlacementContext& ctx) {
  pb::Hello hello;
  hello.set_decides(pb::PLACEMENT);
  hello.set_framework(framework_);
  hello.set_max_tasks_per_offer(static_cast<uint32_t>(std::max(0, ctx.max_tasks_per_offer())));
  hello.set_max_tasks_per_agent(static_cast<uint32_t>(std::max(0, ctx.max_tasks_per_agent())));
  for (int k = 0; k < ResourceKinds::Count(); ++k) hello.add_resource_kinds(ResourceKinds::Name(k));
  SIM_ASSIGN_OR_RETURN(const pb::HelloReply reply, process_->Hello(who_, std::move(hello)));
  wants_image_cache_ = reply.wants_image_cache();
  wants_queue_deltas_ = reply.wants_queue_deltas();
  said_hello_ = true;
  return sim::Status::Ok();
}

void ExternalPlacement::Place(PlacementContext& ctx) {
  if (process_->failed()) return;
  sim::Status status = sim::Status::Ok();
  if (!said_hello_) {
    status = Start(ctx);
  }
  if (status.ok()) {
    BuildRound(ctx);
    const WallClock clock;
    sim::Result<bool> decided =
        process_->Exchange(who_, {"round", rounds_}, out_, /*FromPolicy.decision*/ 2, decision_);
    if (charge_wall_time_) ctx.ChargeDecisionTime(clock.Elapsed());
    status = decided.status();
    has_decision_ = decided.ok() && *decided;
  }
  if (status.ok()) status = Apply(ctx);
  if (!status.ok()) process_->Fail(std::move(status));
}

void ExternalPlacement::DescribeAgent(const PlacementContext& ctx, size_t o) {
  const AgentId id = ctx.offers()[o].agent;
  if (described_.size() <= id.value) described_.resize(id.value + 1);
  // Sent again when what the framework sees of it changed (its attributes were updated).
  const Described now{true, ctx.attributes_match(o), Resources::ToFixed(ctx.mem_overhead_mib(o))};
  if (described_[id.value] == now) return;
  described_[id.value] = now;
  const AgentInfo& agent = ctx.cluster().agent(id);
  agents_.add_id(id.value);
  agents_.add_os(static_cast<uint32_t>(agent.os));
  agents_.add_os_version(static_cast<uint32_t>(agent.os_version));
  agents_.add_isolation(static_cast<uint32_t>(agent.isolation));
  agents_.add_mem_overhead(now.mem_overhead);
  agents_.add_attributes_match(now.attributes_match);
  agents_.add_name(agent.name);
}

// The round's columns go into messages kept from round to round (Clear keeps a repeated field's
// capacity; PlacementRound::Clear would delete its submessages), written out by SerializeRound.
void ExternalPlacement::BuildRound(const PlacementContext& ctx) {
  ++rounds_;
  agents_.Clear();
  offers_.Clear();
  tasks_.Clear();
  image_cache_.Clear();
  const int kinds = ResourceKinds::Count();
  for (size_t o = 0; o < ctx.offers().size(); ++o) {
    DescribeAgent(ctx, o);
    offers_.add_agent(ctx.offers()[o].agent.value);
    for (int k = 0; k < kinds; ++k) offers_.add_resources(ctx.remaining(o).Raw(k));
    offers_.add_agent_tasks(ctx.tasks_on_agent(o));
  }
  AddQueue(ctx);
  job_tallies_.Clear();
  has_job_constraints_ = ctx.has_job_constraints();
  if (has_job_constraints_) AddJobTallies(ctx);
  if (wants_image_cache_) AddImageCache(ctx);
  SerializeRound(ctx.cluster().now().micros());
}

// ToPolicy{round: PlacementRound{...}} on the wire (protocol.proto's field numbers), from the
// kept column messages: nothing allocated once the buffers have grown to the rounds' size.
void ExternalPlacement::SerializeRound(int64_t now_us) {
  using google::protobuf::MessageLite;
  using google::protobuf::io::CodedOutputStream;
  auto field_size = [](const MessageLite& m) {
    const size_t n = m.ByteSizeLong();  // caches each message's size for the write below
    return 1 + CodedOutputStream::VarintSize64(n) + n;
  };
  const bool agents = agents_.id_size() > 0;
  size_t body = 1 + CodedOutputStream::VarintSize64(rounds_) + 1 +
                CodedOutputStream::VarintSize64(static_cast<uint64_t>(now_us)) +
                field_size(offers_) + field_size(tasks_) + 1 +
                CodedOutputStream::VarintSize64(framework_.size()) + framework_.size();
  if (agents) body += field_size(agents_);
  if (wants_image_cache_) body += field_size(image_cache_);
  if (wants_queue_deltas_) body += field_size(queue_delta_);
  const bool jobs = has_job_constraints_;
  if (jobs) body += field_size(job_tallies_);
  out_.clear();
  google::protobuf::io::StringOutputStream raw(&out_);
  CodedOutputStream out(&raw);
  auto write = [&](uint32_t tag, const MessageLite& m) {
    out.WriteTag(tag);
    out.WriteVarint64(static_cast<uint64_t>(m.GetCachedSize()));
    m.SerializeWithCachedSizes(&out);
  };
  constexpr uint32_t kLen = 2, kVarint = 0;  // wire types
  out.WriteTag(2 << 3 | kLen);               // ToPolicy.round
  out.WriteVarint64(body);
  out.WriteTag(1 << 3 | kVarint);  // PlacementRound.round
  out.WriteVarint64(rounds_);
  out.WriteTag(2 << 3 | kVarint);  // .now_us
  out.WriteVarint64(static_cast<uint64_t>(now_us));
  if (agents) write(3 << 3 | kLen, agents_);
  write(4 << 3 | kLen, offers_);
  write(5 << 3 | kLen, tasks_);
  if (wants_image_cache_) write(6 << 3 | kLen, image_cache_);
  out.WriteTag(7 << 3 | kLen);  // .framework
  out.WriteVarint64(framework_.size());
  out.WriteString(framework_);
  if (wants_queue_deltas_) write(8 << 3 | kLen, queue_delta_);
  if (jobs) write(9 << 3 | kLen, job_tallies_);
}

void ExternalPlacement::AddTask(const PlacementContext& ctx, size_t t) {
  const TaskView& task = ctx.tasks()[t];
  if (ctx.has_job_constraints()) {
    tasks_.add_job(ctx.task_job(t));
    tasks_.add_different_machine(ctx.task_different_machine(t));
  }
  for (int k = 0; k < ResourceKinds::Count(); ++k) tasks_.add_resources(task.resources.Raw(k));
  tasks_.add_os(static_cast<uint32_t>(task.os));
  tasks_.add_image_version(static_cast<uint32_t>(task.image_version));
  tasks_.add_image(task.has_image ? static_cast<int32_t>(task.image.value) : -1);
  tasks_.add_shape(task.shape);
}

void ExternalPlacement::AddQueue(const PlacementContext& ctx) {
  const std::span<const TaskView> tasks = ctx.tasks();
  queue_delta_.Clear();
  size_t prepended = 0, appended_from = tasks.size();
  // With job constraints the whole queue travels: its job columns start with the first such task.
  const bool delta = wants_queue_deltas_ && !sent_ids_.empty() && !ctx.has_job_constraints() &&
                     ComputeDelta(ctx, prepended, appended_from);
  if (!delta) {
    // The whole queue, once: a ComputeDelta that gave up may have left `appended_from` inside it.
    queue_delta_.Clear();
    queue_delta_.set_full(true);
    prepended = tasks.size();
    appended_from = tasks.size();
  }
  queue_delta_.set_prepended(static_cast<uint32_t>(delta ? prepended : 0));
  for (size_t t = 0; t < prepended; ++t) AddTask(ctx, t);
  for (size_t t = appended_from; t < tasks.size(); ++t) AddTask(ctx, t);
  if (!wants_queue_deltas_) return;
  sent_ids_.clear();
  sent_views_.assign(tasks.begin(), tasks.end());
  for (size_t t = 0; t < tasks.size(); ++t) sent_ids_.push_back(ctx.task_id(t));
}

// O(n log n) for a queue of n, with no allocation once the vectors have grown.
bool ExternalPlacement::ComputeDelta(const PlacementContext& ctx, size_t& prepended,
                                     size_t& appended_from) {
  const std::span<const TaskView> tasks = ctx.tasks();
  sorted_ids_.assign(sent_ids_.begin(), sent_ids_.end());
  std::sort(sorted_ids_.begin(), sorted_ids_.end());
  auto was_sent = [&](uint64_t id) {
    return std::binary_search(sorted_ids_.begin(), sorted_ids_.end(), id);
  };
  auto same = [](const TaskView& a, const TaskView& b) {
    return a.resources == b.resources && a.os == b.os && a.image_version == b.image_version &&
           a.has_image == b.has_image && (!a.has_image || a.image == b.image) && a.shape == b.shape;
  };
  size_t t = 0;
  while (t < tasks.size() && !was_sent(ctx.task_id(t))) ++t;
  prepended = t;
  size_t p = 0;  // next position in the last round's queue
  for (; t < tasks.size(); ++t) {
    const uint64_t id = ctx.task_id(t);
    if (!was_sent(id)) break;
    while (p < sent_ids_.size() && sent_ids_[p] != id) queue_delta_.add_removed(p++);
    if (p == sent_ids_.size() || !same(tasks[t], sent_views_[p])) return false;  // moved, changed
    ++p;
  }
  appended_from = t;
  for (; t < tasks.size(); ++t) {
    if (was_sent(ctx.task_id(t))) return false;  // an old task after a new one
  }
  while (p < sent_ids_.size()) queue_delta_.add_removed(p++);
  return true;
}

// The tallies of the round's jobs on the offers' agents: O(offers x jobs) lookups.
void ExternalPlacement::AddJobTallies(const PlacementContext& ctx) {
  round_jobs_.clear();
  for (size_t t = 0; t < ctx.tasks().size(); ++t) round_jobs_.push_back(ctx.task_job(t));
  std::sort(round_jobs_.begin(), round_jobs_.end());
  round_jobs_.erase(std::unique(round_jobs_.begin(), round_jobs_.end()), round_jobs_.end());
  for (size_t o = 0; o < ctx.offers().size(); ++o) {
    for (uint64_t job : round_jobs_) {
      const PlacementContext::JobTally tally = ctx.job_tally(o, job);
      if (tally.tasks == 0) continue;
      job_tallies_.add_offer(static_cast<uint32_t>(o));
      job_tallies_.add_job(job);
      job_tallies_.add_tasks(tally.tasks);
      job_tallies_.add_different_machine(tally.different_machine);
    }
  }
}

void ExternalPlacement::AddImageCache(const PlacementContext& ctx) {
  round_images_.clear();
  for (const TaskView& task : ctx.tasks()) {
    const int32_t image = static_cast<int32_t>(task.image.value);
    if (task.has_image &&
        std::find(round_images_.begin(), round_images_.end(), image) == round_images_.end()) {
      round_images_.push_back(image);
    }
  }
  for (int32_t image : round_images_) image_cache_.add_image(image);
  for (const OfferView& offer : ctx.offers()) {
    for (int32_t image : round_images_) {
      image_cache_.add_missing_mib(
          ctx.cluster().image_missing_mib(offer.agent, ImageId(static_cast<uint32_t>(image))));
    }
  }
}

sim::Status ExternalPlacement::Apply(PlacementContext& ctx) {
  if (!has_decision_) {
    return Problem(fmt::format("round {}: expected a PlacementDecision", rounds_));
  }
  if (sim::Status s = ApplyDecision(ctx, decision_, rounds_); !s.ok()) return Problem(s.message());
  return sim::Status::Ok();
}

}  // namespace clustersim::plugins::external
