#include "sim/random.h"

#include <cmath>
#include <numbers>

#include "sim/check.h"

namespace clustersim::sim {
namespace {

// splitmix64 (Steele, Lea, Flood 2014): the recommended seeder for the xoshiro family.
uint64_t SplitMix64(uint64_t& state) { return Mix64(state += 0x9e3779b97f4a7c15ULL); }

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// FNV-1a, 64-bit, over the name's bytes: defined byte by byte, so the same on every platform.
uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

Rng::Rng(uint64_t seed) {
  uint64_t state = seed;
  for (uint64_t& word : s_) word = SplitMix64(state);
  // splitmix64 is a bijection of its counter, so four consecutive outputs are never all zero in
  // practice; guard anyway, since the all-zero state is xoshiro's one fixed point.
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
}

// xoshiro256** 1.0 (Blackman, Vigna 2018).
uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

// Lemire, "Fast random integer generation in an interval" (2019): multiply-shift with a rejection
// step that only runs (and only divides) when the low product word falls in the biased zone.
uint64_t Rng::UniformInt(uint64_t n) {
  SIM_CHECK_MSG(n > 0, "Rng::UniformInt: n must be positive");
  __extension__ using U128 = unsigned __int128;
  U128 m = static_cast<U128>(Next()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<U128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

// Inversion: 1 - U is in (0, 1], so the logarithm is finite.
double Rng::Exponential(double mean) { return -mean * std::log1p(-Uniform01()); }

// Box–Muller, cosine branch only: two fresh uniforms per call and no cached second value, so a
// draw depends only on the generator state, never on the parity of earlier calls.
double Rng::StandardNormal() {
  const double u1 = 1.0 - Uniform01();  // (0, 1]
  const double u2 = Uniform01();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Rng RandomStreams::Stream(std::string_view name) const {
  uint64_t state = root_seed_;
  const uint64_t mixed_root = SplitMix64(state);
  uint64_t name_state = Fnv1a64(name) ^ mixed_root;
  return Rng(SplitMix64(name_state));
}

uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t NameKey(std::string_view name) { return Mix64(Fnv1a64(name)); }

// As KeyedStreams::For(item, purpose) folds a purpose into an item.
uint64_t CombineKey(uint64_t key, uint64_t part) {
  return Mix64(Mix64(key) + part + 0x9e3779b97f4a7c15ULL);
}

KeyedStreams::KeyedStreams(const RandomStreams& streams, std::string_view name)
    : salt_(streams.Stream(name).Next()) {}

Rng KeyedStreams::For(uint64_t item) const { return Rng(Mix64(salt_ ^ Mix64(item))); }

// The purpose goes in after one mix of the item: two pairs (i1, p1) != (i2, p2) share a generator
// only if Mix64(i1) - Mix64(i2) == p2 - p1 (mod 2^64), for small purposes a chance of about
// purposes / 2^64 per pair of items. A large constant rather than a small one keeps For(0, p)
// (Mix64(0) is 0) away from the one-key For of a small item.
Rng KeyedStreams::For(uint64_t item, uint64_t purpose) const {
  return For(Mix64(item) + purpose + 0x9e3779b97f4a7c15ULL);
}

}  // namespace clustersim::sim
