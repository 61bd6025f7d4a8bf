#pragma once

#include <cstdint>
#include <functional>

namespace clustersim::plugins {

// Dense ids: index into the owner's vector, so lookups are O(1) and hot loops touch contiguous
// memory. Distinct types so an AgentId cannot be passed where a FrameworkId is expected.
template <typename Tag, typename Rep = uint32_t>
struct DenseId {
  Rep value = 0;
  constexpr DenseId() = default;
  constexpr explicit DenseId(Rep v) : value(v) {}
  constexpr auto operator<=>(const DenseId&) const = default;
  constexpr size_t index() const { return static_cast<size_t>(value); }
};

using AgentId = DenseId<struct AgentTag>;
using FrameworkId = DenseId<struct FrameworkTag>;
using RoleId = DenseId<struct RoleTag>;
using ImageId = DenseId<struct ImageTag>;
using OfferId = DenseId<struct OfferTag, uint64_t>;

}  // namespace clustersim::plugins

template <typename Tag, typename Rep>
struct std::hash<clustersim::plugins::DenseId<Tag, Rep>> {
  size_t operator()(const clustersim::plugins::DenseId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>()(id.value);
  }
};
