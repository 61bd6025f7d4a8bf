#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace clustersim::plugins {

// A k-d tree over demand vectors (`kinds` integers each, flat), each node holding the box of its
// points' demands: per kind the least and the most any of them asks. A query for the point that
// scores best against an offer can then pass over a subtree none of whose points fits the offer
// (some kind's least demand is above the room left), or whose best possible score (that of the
// box's top corner, for a score that grows with each demand) cannot beat the best point found so
// far. Tetris's rescoring of an offer after each placement uses it instead of scoring every
// shape of a long backlog.
//
// Built once per round over the points given; points are numbered by their index in the flat
// demand array. A node is split when a query first reaches it (Expand), on the kind whose demands
// spread most relative to their largest value, at the median, until a node has at most kLeafSize
// points: a round whose queries prune most of the tree pays for the nodes they reach, O(points)
// or so, not for a whole tree, O(points × log points), which dominated a long backlog's rounds.
class DemandTree {
 public:
  static constexpr size_t kLeafSize = 8;
  static constexpr uint32_t kNone = UINT32_MAX;

  struct Node {
    uint32_t begin = 0, end = 0;  // its points: points()[begin, end)
    uint32_t left = kNone, right = kNone;
    bool expanded = false;
    // After Expand: whether the node keeps its points itself.
    bool leaf() const { return left == kNone; }
  };

  // `demands` holds `kinds` values per point and must outlive the tree's use; `points` lists the
  // points to hold.
  void Build(const int64_t* demands, size_t kinds, std::span<const uint32_t> points) {
    demands_ = demands;
    kinds_ = kinds;
    points_.assign(points.begin(), points.end());  // reuses the last round's capacity
    nodes_.clear();
    min_.clear();
    max_.clear();
    largest_.assign(kinds_, 1);
    for (const uint32_t p : points_) {
      for (size_t j = 0; j < kinds_; ++j) largest_[j] = std::max(largest_[j], demand(p)[j]);
    }
    if (!points_.empty()) AddNode(0, static_cast<uint32_t>(points_.size()));
  }

  // Splits node `n` in two unless it is small or its points all ask alike; once per node. Node
  // references taken before a call may dangle after it.
  void Expand(uint32_t n) {
    if (nodes_[n].expanded) return;
    nodes_[n].expanded = true;
    const uint32_t begin = nodes_[n].begin, end = nodes_[n].end;
    size_t widest = 0;
    double widest_spread = 0;
    for (size_t j = 0; j < kinds_; ++j) {
      const double spread =
          static_cast<double>(max(n)[j] - min(n)[j]) / static_cast<double>(largest_[j]);
      if (spread > widest_spread) {
        widest_spread = spread;
        widest = j;
      }
    }
    if (end - begin <= kLeafSize || widest_spread <= 0) return;
    const uint32_t middle = begin + (end - begin) / 2;
    std::nth_element(points_.begin() + begin, points_.begin() + middle, points_.begin() + end,
                     [&](uint32_t a, uint32_t b) { return demand(a)[widest] < demand(b)[widest]; });
    const uint32_t left = AddNode(begin, middle);
    const uint32_t right = AddNode(middle, end);
    nodes_[n].left = left;
    nodes_[n].right = right;
  }

  bool empty() const { return nodes_.empty(); }
  static constexpr uint32_t kRoot = 0;
  const Node& node(uint32_t n) const { return nodes_[n]; }
  // The node's box: per kind the least and the most demand of its points.
  const int64_t* min(uint32_t n) const { return &min_[n * kinds_]; }
  const int64_t* max(uint32_t n) const { return &max_[n * kinds_]; }
  std::span<const uint32_t> points(const Node& node) const {
    return std::span<const uint32_t>(points_).subspan(node.begin, node.end - node.begin);
  }
  const int64_t* demand(uint32_t point) const { return demands_ + point * kinds_; }

 private:
  // A node over points_[begin, end) with its box, not yet expanded.
  uint32_t AddNode(uint32_t begin, uint32_t end) {
    const uint32_t n = static_cast<uint32_t>(nodes_.size());
    nodes_.push_back(Node{begin, end});
    min_.resize(min_.size() + kinds_, INT64_MAX);
    max_.resize(max_.size() + kinds_, INT64_MIN);
    for (uint32_t i = begin; i < end; ++i) {
      const int64_t* d = demand(points_[i]);
      for (size_t j = 0; j < kinds_; ++j) {
        min_[n * kinds_ + j] = std::min(min_[n * kinds_ + j], d[j]);
        max_[n * kinds_ + j] = std::max(max_[n * kinds_ + j], d[j]);
      }
    }
    return n;
  }

  const int64_t* demands_ = nullptr;
  size_t kinds_ = 0;
  std::vector<uint32_t> points_;
  std::vector<Node> nodes_;
  std::vector<int64_t> min_, max_;  // kinds_ per node
  std::vector<int64_t> largest_;    // per kind, the largest demand (at least 1)
};

}  // namespace clustersim::plugins
