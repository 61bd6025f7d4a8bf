#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

namespace clustersim::sim {

// xoshiro256** generator. Our own rather than <random>'s engines + distributions because the
// standard distributions are implementation-defined, and results must be byte-identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed);

  uint64_t Next();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform01();
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform01(); }
  // Uniform integer in [0, n); unbiased. Precondition: n > 0.
  uint64_t UniformInt(uint64_t n);
  double Exponential(double mean);
  double StandardNormal();

  // Fisher–Yates; the only shuffle the simulator uses.
  template <typename It>
  void Shuffle(It first, It last) {
    const auto n = last - first;
    for (decltype(last - first) i = n - 1; i > 0; --i) {
      using std::swap;
      swap(first[i], first[static_cast<decltype(i)>(UniformInt(static_cast<uint64_t>(i) + 1))]);
    }
  }

 private:
  uint64_t s_[4];
};

// The root of all randomness in a run: one seed, from which each component derives its own named
// stream. A stream depends only on (root seed, name), never on how many other streams exist or the
// order they were created in, so adding a component does not perturb the others' draws (this is
// what gives common random numbers across policy cells).
class RandomStreams {
 public:
  explicit RandomStreams(uint64_t root_seed) : root_seed_(root_seed) {}
  Rng Stream(std::string_view name) const;
  uint64_t root_seed() const { return root_seed_; }

 private:
  uint64_t root_seed_;
};

// splitmix64's finaliser: a bijective 64-bit mix (Mix64(0) == 0).
uint64_t Mix64(uint64_t x);

// An item's identity for KeyedStreams, built from its parts: NameKey(a framework's name), then
// CombineKey(key, part) for each number that tells the item apart where its source made it (a
// job's stream and number, a task's index in the job). Distinct parts under one key give distinct
// keys; two chains of parts meet by chance only (about 2^-64 a pair).
uint64_t NameKey(std::string_view name);
uint64_t CombineKey(uint64_t key, uint64_t part);

// Draws that belong to one item (a job's shape, a task attempt's container start) rather than to a
// moment of the run. For(item) and For(item, purpose) give a generator that depends only on
// (root seed, name, item, purpose), whatever was drawn before: two cells of a comparison that reach
// the same item at other times or in another order draw the same for it (common random numbers),
// and one item's draws never shift another's, as they would on a shared sequential stream.
class KeyedStreams {
 public:
  KeyedStreams(const RandomStreams& streams, std::string_view name);
  Rng For(uint64_t item) const;
  Rng For(uint64_t item, uint64_t purpose) const;

 private:
  uint64_t salt_;
};

}  // namespace clustersim::sim
