#pragma once

#include <cstddef>
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

// The ids Id{0} .. Id{count - 1} in order, for walking a vector indexed by Id:
//   for (AgentId id : FirstIds<AgentId>(agents.size())) Visit(id, agents[id.index()]);
template <typename Id>
class FirstIds {
 public:
  using Rep = decltype(Id::value);
  class Iterator {
   public:
    constexpr explicit Iterator(Rep value) : value_(value) {}
    constexpr Id operator*() const { return Id(value_); }
    constexpr Iterator& operator++() {
      ++value_;
      return *this;
    }
    constexpr bool operator==(const Iterator&) const = default;

   private:
    Rep value_;
  };

  constexpr explicit FirstIds(size_t count) : end_(static_cast<Rep>(count)) {}
  constexpr Iterator begin() const { return Iterator(0); }
  constexpr Iterator end() const { return Iterator(end_); }

 private:
  Rep end_;
};

}  // namespace clustersim::plugins

template <typename Tag, typename Rep>
struct std::hash<clustersim::plugins::DenseId<Tag, Rep>> {
  size_t operator()(const clustersim::plugins::DenseId<Tag, Rep>& id) const noexcept {
    return std::hash<Rep>()(id.value);
  }
};
