#include "scheduler_plugins/external/external_allocator.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <utility>

namespace clustersim::plugins::external {

namespace pb = clustersim::external::v1;

ExternalAllocator::ExternalAllocator(std::vector<std::string> argv, std::string socket,
                                     std::chrono::milliseconds timeout, bool charge_wall_time,
                                     std::string shared)
    : process_(std::make_shared<PolicyProcess>(std::move(argv), std::move(socket), timeout)),
      shared_(std::move(shared)),
      charge_wall_time_(charge_wall_time) {}

sim::Status ExternalAllocator::Start(const ClusterView&) {
  pb::Hello hello;
  hello.set_decides(pb::ALLOCATION);
  for (int k = 0; k < ResourceKinds::Count(); ++k) hello.add_resource_kinds(ResourceKinds::Name(k));
  SIM_RETURN_IF_ERROR(process_->Hello("external allocator", std::move(hello)).status());
  said_hello_ = true;
  return sim::Status::Ok();
}

sim::Time ExternalAllocator::PlanCycle(const ClusterView& view, const CyclePlan& plan) {
  ++cycles_;
  if (process_->failed()) return sim::Time::Zero();
  const WallClock clock;
  sim::Status status = said_hello_ ? sim::Status::Ok() : Start(view);
  if (status.ok()) {
    BuildCycle(view, plan);
    sim::Result<bool> answered = process_->Exchange("external allocator", {"cycle", cycles_}, out_,
                                                    /*FromPolicy.order*/ 4, order_);
    status = answered.status();
    if (status.ok() && !*answered) {
      status = Problem(fmt::format("cycle {}: expected an AllocationOrder", cycles_));
    }
  }
  if (status.ok()) status = Accept(view, plan);
  if (!status.ok()) process_->Fail(std::move(status));
  return charge_wall_time_ ? clock.Elapsed() : sim::Time::Zero();
}

// Agents, subscriptions and role paths the process has not seen yet: described once each.
void ExternalAllocator::DescribeNews(const ClusterView& view) {
  agents_.Clear();
  for (; agents_described_ < view.agent_count(); ++agents_described_) {
    const AgentInfo& agent = view.agent(AgentId(static_cast<uint32_t>(agents_described_)));
    agents_.add_id(agent.id.value);
    agents_.add_os(static_cast<uint32_t>(agent.os));
    agents_.add_os_version(static_cast<uint32_t>(agent.os_version));
    agents_.add_isolation(static_cast<uint32_t>(agent.isolation));
    agents_.add_name(agent.name);
  }
  subscriptions_.Clear();
  cycle_.clear_paths();
  for (; subscriptions_described_ < view.framework_count(); ++subscriptions_described_) {
    const FrameworkInfo& fw =
        view.framework(FrameworkId(static_cast<uint32_t>(subscriptions_described_)));
    const std::string& role = view.role(fw.role).name;
    subscriptions_.add_id(fw.id.value);
    subscriptions_.add_framework(fw.name);
    subscriptions_.add_role(fw.role.value);
    subscriptions_.add_role_name(role);
    subscriptions_.add_registration_order(fw.registration_order);
    subscriptions_.add_owner(fw.owner.value);
    AddPaths(role);
  }
}

// `eng/web/api` brings `eng`, `eng/web` and `eng/web/api`, each once over the run.
void ExternalAllocator::AddPaths(const std::string& role) {
  for (size_t end = 0;; ++end) {
    end = role.find('/', end);
    std::string path = role.substr(0, end);
    if (std::find(paths_.begin(), paths_.end(), path) == paths_.end()) {
      cycle_.add_paths(path);
      paths_.push_back(std::move(path));
    }
    if (end == std::string::npos) return;
  }
}

void ExternalAllocator::BuildCycle(const ClusterView& view, const CyclePlan& plan) {
  DescribeNews(view);
  const int kinds = ResourceKinds::Count();
  cycle_.set_cycle(cycles_);
  cycle_.set_now_us(view.now().micros());
  cycle_.clear_path_weight();
  for (const std::string& path : paths_) cycle_.add_path_weight(view.role_weight(path));
  cycle_.clear_cluster_total();
  for (int k = 0; k < kinds; ++k) cycle_.add_cluster_total(view.cluster_total().Raw(k));
  cycle_.set_fairness_excluded_kinds(view.fairness_excluded_kinds());
  cycle_.clear_role_offer_count();
  for (size_t r = 0; r < view.role_count(); ++r) {
    cycle_.add_role_offer_count(view.role_offer_count(RoleId(static_cast<uint32_t>(r))));
  }
  cycle_.clear_allocated();
  cycle_.clear_offer_count();
  cycle_.clear_active();
  for (size_t f = 0; f < view.framework_count(); ++f) {
    const FrameworkId id(static_cast<uint32_t>(f));
    for (int k = 0; k < kinds; ++k) cycle_.add_allocated(view.framework_allocated(id).Raw(k));
    cycle_.add_offer_count(view.framework_offer_count(id));
    cycle_.add_active(view.framework_active(id));
  }
  cycle_.clear_visit_agent();
  cycle_.clear_visit_available();
  cycle_.clear_eligible_count();
  cycle_.clear_eligible();
  for (const CyclePlan::Agent& agent : plan.agents) {
    cycle_.add_visit_agent(agent.id.value);
    for (int k = 0; k < kinds; ++k) cycle_.add_visit_available(agent.offerable.Raw(k));
    cycle_.add_eligible_count(agent.count);
    for (uint32_t i = agent.first; i < agent.first + agent.count; ++i) {
      cycle_.add_eligible(plan.eligible[i].value);
    }
  }
  SerializeCycle();
}

// ToPolicy{cycle: AllocationCycle{...}} on the wire, from the kept messages: the cycle's own
// fields, then the agents and subscriptions described this cycle (a message's fields may come
// in any order). Nothing allocated once the buffers have grown.
void ExternalAllocator::SerializeCycle() {
  using google::protobuf::MessageLite;
  using google::protobuf::io::CodedOutputStream;
  constexpr uint32_t kLen = 2;  // wire type
  auto field_size = [](const MessageLite& m) {
    const size_t n = m.ByteSizeLong();  // caches each message's size for the write below
    return 1 + CodedOutputStream::VarintSize64(n) + n;
  };
  const bool agents = agents_.id_size() > 0;
  const bool subscriptions = subscriptions_.id_size() > 0;
  const size_t own = cycle_.ByteSizeLong();
  const size_t body =
      own + (agents ? field_size(agents_) : 0) + (subscriptions ? field_size(subscriptions_) : 0);
  out_.clear();
  google::protobuf::io::StringOutputStream raw(&out_);
  CodedOutputStream out(&raw);
  out.WriteTag(5 << 3 | kLen);  // ToPolicy.cycle
  out.WriteVarint64(body);
  cycle_.SerializeWithCachedSizes(&out);
  auto write = [&](uint32_t field, const MessageLite& m) {
    out.WriteTag(field << 3 | kLen);
    out.WriteVarint64(static_cast<uint64_t>(m.GetCachedSize()));
    m.SerializeWithCachedSizes(&out);
  };
  if (agents) write(3, agents_);  // AllocationCycle.agents
  if (subscriptions) write(4, subscriptions_);
}

sim::Status ExternalAllocator::Accept(const ClusterView& view, const CyclePlan& plan) {
  if (sim::Status s = order_check_.Check(view, plan, order_, cycles_, ranges_); !s.ok()) {
    return Problem(s.message());
  }
  if (order_cycle_.size() < view.agent_count()) {
    order_cycle_.resize(view.agent_count(), 0);
    order_range_.resize(view.agent_count());
  }
  for (size_t a = 0; a < plan.agents.size(); ++a) {
    order_cycle_[plan.agents[a].id.index()] = cycles_;
    order_range_[plan.agents[a].id.index()] = ranges_[a];
  }
  return sim::Status::Ok();
}

// An agent the cycle did not plan (none should reach here) or a failed process: no one.
void ExternalAllocator::VisitInOrder(const ClusterView&, AgentId agent,
                                     FunctionRef<bool(FrameworkId)> visit) {
  if (process_->failed() || agent.index() >= order_cycle_.size() ||
      order_cycle_[agent.index()] != cycles_) {
    return;
  }
  const auto [first, count] = order_range_[agent.index()];
  for (uint32_t i = first; i < first + count; ++i) {
    if (visit(FrameworkId(order_.framework(static_cast<int>(i))))) return;
  }
}

}  // namespace clustersim::plugins::external
