#include "scheduler_plugins/api/registry.h"

#include <gtest/gtest.h>

#include <memory>

#include "scheduler_plugins/allocators/drf.h"
#include "scheduler_plugins/builtin.h"
#include "scheduler_plugins/placements/first_fit.h"

namespace clustersim::plugins {
namespace {

AllocatorRegistry::Factory DrfFactory() {
  return [](PolicyParams&, const PolicyEnv&) -> sim::Result<std::unique_ptr<AllocatorPolicy>> {
    return std::unique_ptr<AllocatorPolicy>(std::make_unique<DrfAllocator>());
  };
}

TEST(RegistryTest, CreatesRegisteredPolicies) {
  AllocatorRegistry registry("allocator");
  ASSERT_TRUE(registry.Register("drf", "dominant resource fairness", DrfFactory()).ok());
  EXPECT_TRUE(registry.Contains("drf"));
  EXPECT_EQ(registry.Description("drf"), "dominant resource fairness");
  NoPolicyParams params;
  auto policy = registry.Create("drf", params, PolicyEnv{});
  ASSERT_TRUE(policy.ok()) << policy.error();
  EXPECT_NE(dynamic_cast<DrfAllocator*>(policy.value().get()), nullptr);
}

TEST(RegistryTest, DuplicateNameIsAnErrorAndKeepsTheFirst) {
  AllocatorRegistry registry("allocator");
  ASSERT_TRUE(registry.Register("drf", "first", DrfFactory()).ok());
  const sim::Status dup = registry.Register("drf", "second", DrfFactory());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.message(), "allocator policy 'drf' is already registered");
  EXPECT_EQ(registry.Description("drf"), "first");
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"drf"}));
}

TEST(RegistryTest, EmptyNameIsAnError) {
  PlacementRegistry registry("placement");
  const sim::Status s = registry.Register("", "nameless", nullptr);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("must not be empty"), std::string::npos) << s.message();
  EXPECT_TRUE(registry.Names().empty());
}

TEST(RegistryTest, UnknownNameListsTheValidOnesSorted) {
  PlacementRegistry registry("placement");
  auto factory = [](PolicyParams&,
                    const PolicyEnv&) -> sim::Result<std::unique_ptr<PlacementPolicy>> {
    return std::unique_ptr<PlacementPolicy>(std::make_unique<FirstFitPlacement>());
  };
  // Registered out of order; listings are sorted so messages are stable.
  ASSERT_TRUE(registry.Register("worst-fit", "", factory).ok());
  ASSERT_TRUE(registry.Register("first-fit", "", factory).ok());
  ASSERT_TRUE(registry.Register("best-fit", "", factory).ok());
  NoPolicyParams params;
  auto missing = registry.Create("frist-fit", params, PolicyEnv{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(),
            "unknown placement policy 'frist-fit' (valid: best-fit, first-fit, worst-fit)");
  EXPECT_FALSE(registry.Contains("frist-fit"));
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"best-fit", "first-fit", "worst-fit"}));
}

TEST(RegistryTest, FactoryErrorsPassThrough) {
  // A factory validates its own parameters and returns the error; Create hands it back as is.
  AllocatorRegistry registry("allocator");
  ASSERT_TRUE(registry
                  .Register("picky", "",
                            [](PolicyParams& p,
                               const PolicyEnv&) -> sim::Result<std::unique_ptr<AllocatorPolicy>> {
                              return p.Error("alpha", "a number in [0, 1]");
                            })
                  .ok());
  NoPolicyParams params;
  auto r = registry.Create("picky", params, PolicyEnv{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "alpha: expected a number in [0, 1]");
}

TEST(RegistryTest, BuiltinsRegisterOnceAndAreIdempotent) {
  ASSERT_TRUE(RegisterBuiltinPolicies().ok());
  ASSERT_TRUE(RegisterBuiltinPolicies().ok());  // second call does nothing, no duplicate error
  EXPECT_TRUE(Allocators().Contains("drf"));
  EXPECT_TRUE(Placements().Contains("first-fit"));
  NoPolicyParams params;
  auto drf = Allocators().Create("drf", params, PolicyEnv{});
  ASSERT_TRUE(drf.ok()) << drf.error();
  EXPECT_NE(dynamic_cast<DrfAllocator*>(drf.value().get()), nullptr);
  auto ff = Placements().Create("first-fit", params, PolicyEnv{});
  ASSERT_TRUE(ff.ok()) << ff.error();
  EXPECT_NE(dynamic_cast<FirstFitPlacement*>(ff.value().get()), nullptr);
  auto bad = Allocators().Create("no-such-allocator", params, PolicyEnv{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("valid: drf"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace clustersim::plugins
