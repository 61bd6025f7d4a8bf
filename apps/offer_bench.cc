#include "apps/offer_bench.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "scheduler_plugins/api/policy_params.h"
#include "scheduler_plugins/api/registry.h"

namespace clustersim::apps {
namespace {

using plugins::Resources;

// The published Mesos figures the report compares with (issue 6; Apache Mesos 1.7,
// src/tests/hierarchical_allocator_benchmarks.cpp and hierarchical_allocator_tests.cpp):
//   HierarchicalAllocator_BENCHMARK_Test.DeclineOffers/21, 10k agents x 1k frameworks: ~1.06 s per
//   cycle (~9.4k offers/s);
//   LargeAndSmallQuota/2, 3,000 agents x 3,000 roles: ~15.4 s for 3,500 offers, 13.7 s for the
//   cycle that makes none.
constexpr double kMesosDeclineCycleS = 1.06;
constexpr double kMesosDeclineOffersPerS = 9.4e3;
constexpr double kMesosQuotaCycleS = 15.4;
constexpr double kMesosQuotaEmptyCycleS = 13.7;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Duration(double s) {
  if (s >= 1) return fmt::format("{:.3g} s", s);
  if (s >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  return fmt::format("{:.3g} us", s * 1e6);
}

std::string Rate(double r) {
  if (r >= 1e6) return fmt::format("{:.3g}M", r / 1e6);
  if (r >= 1e3) return fmt::format("{:.3g}k", r / 1e3);
  return fmt::format("{:.3g}", r);
}

}  // namespace

OfferBenchOptions LargeAndSmallQuotaOptions(OfferBenchOptions options, int roles) {
  options.shape = OfferBenchOptions::Shape::kLargeAndSmallQuota;
  options.large_quota_roles = roles / 6;
  options.small_quota_roles = roles - options.large_quota_roles;
  return options;
}

OfferBench::OfferBench(const OfferBenchOptions& options) : options_(options), sim_(options.seed) {}

OfferBench::~OfferBench() = default;

sim::Result<std::unique_ptr<OfferBench>> OfferBench::Create(const OfferBenchOptions& options) {
  using Shape = OfferBenchOptions::Shape;
  const bool quota = options.shape == Shape::kLargeAndSmallQuota;
  if (!quota && (options.agents < 1 || options.frameworks < 1)) {
    return sim::Status::Error("bench offers: --agents and --frameworks must be at least 1");
  }
  if (quota && (options.small_quota_roles < 0 || options.large_quota_roles < 0 ||
                options.small_quota_roles + options.large_quota_roles < 1)) {
    return sim::Status::Error("bench offers: the quota shape needs at least one role");
  }
  if (quota && options.small_quota_roles / 5 + options.large_quota_roles * 5 < 1) {
    return sim::Status::Error(fmt::format(
        "bench offers: the quota shape with {} role{} has no agent (small roles / 5 + 5 x large "
        "roles = 0); use --frameworks 5 or more",
        options.small_quota_roles + options.large_quota_roles,
        options.small_quota_roles + options.large_quota_roles == 1 ? "" : "s"));
  }
  std::unique_ptr<OfferBench> b(new OfferBench(options));
  b->spec_.master.allocator = b->options_.allocator;

  // The policy, through the registry like a scenario's.
  const Resources small = Resources::Of(1, 1024, 1024);
  const Resources large = Resources::Of(4, 4096, 4096);
  auto role_name = [&](int i) {
    if (!quota) return options.one_role ? std::string("*") : fmt::format("role-{}", i);
    return i < options.small_quota_roles
               ? fmt::format("smallQuotaRole{}", i)
               : fmt::format("largeQuotaRole{}", i - options.small_quota_roles);
  };
  const int roles =
      quota ? options.small_quota_roles + options.large_quota_roles : options.frameworks;
  if (quota) {
    // Quota is the master's (master.quotas); as guarantee, with no limit, as Mesos's benchmark.
    for (int i = 0; i < roles; ++i) {
      b->spec_.master.quotas[role_name(i)].guarantee =
          i < options.small_quota_roles ? small : large;
    }
  }
  plugins::NoPolicyParams params;
  plugins::PolicyEnv env{b->sim_.random().Stream("allocator"), ""};
  SIM_ASSIGN_OR_RETURN(b->policy_,
                       plugins::Allocators().Create(b->options_.allocator, params, env));

  b->runtime_ = std::make_unique<models::ContainerRuntime>(
      b->sim_, b->tasks_, b->spec_,
      models::ContainerRuntime::Callbacks{[](models::TaskSlot) {}, [](models::TaskSlot) {},
                                          [](models::TaskSlot, models::TaskState) {}});
  OfferBench* self = b.get();
  b->master_ = std::make_unique<models::Master>(
      b->sim_, b->spec_.master, b->tasks_, *b->runtime_, *b->policy_, b->signals_,
      models::Master::Callbacks{
          [self](plugins::FrameworkId, std::span<const models::OfferSlot> slots) {
            self->outstanding_.insert(self->outstanding_.end(), slots.begin(), slots.end());
          },
          [self](plugins::FrameworkId, models::OfferSlot slot) {
            std::erase(self->outstanding_, slot);
          },
          [](plugins::FrameworkId, models::TaskSlot) {}, nullptr, nullptr, nullptr});

  const int agents =
      quota ? options.small_quota_roles / 5 + options.large_quota_roles * 5 : options.agents;
  const Resources capacity = quota ? Resources::Of(2, 2048, 2048) : Resources::Of(24, 4096, 4096);
  const double extract = b->spec_.runtime.For(models::Isolation::kDocker).extract_mib_per_s;
  for (int i = 0; i < agents; ++i) {
    b->runtime_->puller().AddAgent(100.0 * 1024, 100, 3, extract);
    plugins::AgentInfo info;
    info.name = fmt::format("agent-{}", i);
    info.capacity = capacity;
    b->master_->AddAgent(std::move(info));
  }
  for (int i = 0; i < roles; ++i) {
    b->master_->AddFramework(fmt::format("framework-{}", i), role_name(i), 1.0);
  }
  b->outstanding_.reserve(static_cast<size_t>(agents) * 2);
  return b;
}

size_t OfferBench::agent_count() const { return master_->agent_count(); }
size_t OfferBench::framework_count() const { return master_->framework_count(); }

int OfferBench::RunCycle() { return master_->AllocateNow(); }

void OfferBench::DeclineAll(sim::Time refuse) {
  for (models::OfferSlot slot : outstanding_) master_->Decline(slot, refuse);
  outstanding_.clear();
}

void OfferBench::FilterEverything() {
  DeclineAll();
  while (RunCycle() > 0) DeclineAll(sim::Time::Seconds(365LL * 24 * 3600));
}

void OfferBench::SuppressAll() {
  DeclineAll();
  for (size_t f = 0; f < master_->framework_count(); ++f) {
    master_->Suppress(plugins::FrameworkId(static_cast<uint32_t>(f)));
  }
}

sim::Result<OfferBenchResult> RunOfferBench(const OfferBenchOptions& options, int cycles) {
  if (cycles < 1) return sim::Status::Error("bench offers: --cycles must be at least 1");
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  };
  OfferBenchResult r;
  r.cycles = cycles;
  const auto setup_start = Clock::now();
  SIM_ASSIGN_OR_RETURN(std::unique_ptr<OfferBench> bench, OfferBench::Create(options));
  r.setup_s = seconds(setup_start, Clock::now());

  bench->RunCycle();  // warm-up: scratch vectors reach their working size
  bench->DeclineAll();
  std::vector<double> full, empty, offers;
  for (int i = 0; i < cycles; ++i) {
    const auto t0 = Clock::now();
    const int made = bench->RunCycle();
    const auto t1 = Clock::now();
    bench->RunCycle();  // everything is offered: nothing left to offer
    const auto t2 = Clock::now();
    bench->DeclineAll();
    full.push_back(seconds(t0, t1));
    empty.push_back(seconds(t1, t2));
    offers.push_back(made);
  }
  r.min_s = *std::min_element(full.begin(), full.end());
  r.max_s = *std::max_element(full.begin(), full.end());
  r.median_s = Median(full);
  r.offers_per_cycle = Median(offers);
  r.offers_per_s = r.median_s > 0 ? r.offers_per_cycle / r.median_s : 0;
  r.empty_min_s = *std::min_element(empty.begin(), empty.end());
  r.empty_max_s = *std::max_element(empty.begin(), empty.end());
  r.empty_median_s = Median(empty);
  return r;
}

std::string FormatOfferBenchReport(const OfferBenchOptions& o, const OfferBenchResult& r) {
  const bool quota = o.shape == OfferBenchOptions::Shape::kLargeAndSmallQuota;
  std::string out;
  if (quota) {
    const int roles = o.small_quota_roles + o.large_quota_roles;
    out += fmt::format(
        "offer benchmark: LargeAndSmallQuota shape, {} agents x {} roles ({} small, {} large "
        "quota as master.quotas; one framework each), allocator {}, {} cycles\n",
        o.small_quota_roles / 5 + o.large_quota_roles * 5, roles, o.small_quota_roles,
        o.large_quota_roles, o.allocator, r.cycles);
  } else {
    out += fmt::format(
        "offer benchmark: DeclineOffers shape, {} agents x {} frameworks ({}), allocator {}, {} "
        "cycles\n",
        o.agents, o.frameworks, o.one_role ? "all in role *" : "one role each", o.allocator,
        r.cycles);
  }
  // Two "offers/s" figures exist; say which one this is, once, before any number.
  out += kOfferBenchMeasures;
  out += fmt::format("  setup:                   {}\n", Duration(r.setup_s));
  out += fmt::format("  cycle time:              min {}  median {}  max {}  (every agent free)\n",
                     Duration(r.min_s), Duration(r.median_s), Duration(r.max_s));
  out += fmt::format("  offers per cycle:        {:.0f}\n", r.offers_per_cycle);
  out += fmt::format("  offers/s:                {}  (offers per cycle / median cycle time)\n",
                     Rate(r.offers_per_s));
  out += fmt::format("  cycle, nothing to offer: min {}  median {}  max {}\n",
                     Duration(r.empty_min_s), Duration(r.empty_median_s), Duration(r.empty_max_s));
  out += "Mesos 1.7 allocator, published (for comparison):\n";
  out += fmt::format(
      "  DeclineOffers/21, 10,000 agents x 1,000 frameworks: {} per cycle, ~{} offers/s\n",
      Duration(kMesosDeclineCycleS), Rate(kMesosDeclineOffersPerS));
  out += fmt::format(
      "  LargeAndSmallQuota/2, 3,000 agents x 3,000 roles: {} for 3,500 offers, {} for a cycle "
      "with no offers\n",
      Duration(kMesosQuotaCycleS), Duration(kMesosQuotaEmptyCycleS));
  if (!quota && o.agents == 10'000 && o.frameworks == 1'000 && r.median_s > 0) {
    out += fmt::format("  this run vs DeclineOffers/21: {:.0f}x faster per cycle\n",
                       kMesosDeclineCycleS / r.median_s);
  }
  if (quota && o.small_quota_roles == 2'500 && o.large_quota_roles == 500 && r.median_s > 0) {
    out += fmt::format(
        "  this run vs LargeAndSmallQuota/2: {:.0f}x faster per cycle, {:.0f}x for the empty "
        "cycle\n",
        kMesosQuotaCycleS / r.median_s,
        r.empty_median_s > 0 ? kMesosQuotaEmptyCycleS / r.empty_median_s : 0.0);
  }
  return out;
}

}  // namespace clustersim::apps
