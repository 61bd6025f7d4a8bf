// `clustersim bench offers`: allocation cycles of a real master (apps/offer_bench.h).
#include <fmt/format.h>

#include <cstdio>

#include "apps/cli/command.h"
#include "apps/offer_bench.h"

namespace clustersim::apps::cli {
namespace {

class BenchCommand : public Command {
 public:
  void AddOptions(CLI::App& bench) override {
    bench.require_subcommand(1);
    CLI::App* offers = bench.add_subcommand(
        "offers", "time allocation cycles of a real master: min/median/max, offers/s, vs Mesos");
    agents_ = offers->add_option("--agents", options_.agents, "agents (default 10000)");
    offers->add_option("--frameworks", options_.frameworks,
                       "frameworks, one role each unless --one-role (default 1000)");
    one_role_ =
        offers->add_flag("--one-role", options_.one_role,
                         "all frameworks in role `*`, as Mesos's DeclineOffers benchmark (default: "
                         "role-<i> each)");
    offers->add_option("--allocator", options_.allocator,
                       "allocator policy, default parameters (default drf)");
    offers->add_option("--cycles", cycles_, "timed cycles (default 10)");
    offers->add_flag(
        "--quota", quota_,
        "Mesos's LargeAndSmallQuota shape instead, as master.quotas: --frameworks roles "
        "(5/6 small, 1/6 large quota) on small/5 + 5 x large agents");
    offers->add_option("--seed", options_.seed, "seed of the agent order (default 1)");
  }

  // `offers` is the only benchmark, and CLI11 requires one.
  int Run() override {
    // The quota shape sets the agents and roles itself: a flag it ignores would be benchmarked
    // as if it applied.
    for (const CLI::Option* ignored : {agents_, one_role_}) {
      if (quota_ && ignored->count() > 0) {
        return Fail(sim::Status::Error(fmt::format(
            "bench offers: {} does not apply with --quota (its agents are small roles / 5 + 5 x "
            "large roles, from --frameworks; one role per framework)",
            ignored->get_name())));
      }
    }
    const OfferBenchOptions options =
        quota_ ? LargeAndSmallQuotaOptions(options_, options_.frameworks) : options_;
    auto result = RunOfferBench(options, cycles_);
    if (!result.ok()) return Fail(result.status());
    std::fputs(FormatOfferBenchReport(options, *result).c_str(), stdout);
    return 0;
  }

 private:
  OfferBenchOptions options_;
  int cycles_ = 10;
  bool quota_ = false;
  CLI::Option* agents_ = nullptr;
  CLI::Option* one_role_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> NewBenchCommand() { return std::make_unique<BenchCommand>(); }

}  // namespace clustersim::apps::cli
