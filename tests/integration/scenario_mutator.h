#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace clustersim::test {

// Damages a valid scenario the way users do: a value of the wrong kind, sign or size, a number
// with a unit it does not take, a key missing, a key unknown, a list where a value belongs or the
// other way round, an entry duplicated. What comes out is YAML (the input's comments and layout
// are lost) that may or may not be a valid scenario. The same seed and input give the same
// document.
class ScenarioMutator {
 public:
  explicit ScenarioMutator(uint64_t seed) : rng_(seed) {}
  // `yaml` with `mutations` changes; what each one did is appended to `log` (for the test's
  // failure message). `numbers_only`: every change scales a number (by 0, 1/1000 .. 1000, -1),
  // so that more of the documents stay valid and run with values at their edges.
  std::string Mutate(const std::string& yaml, int mutations, std::vector<std::string>& log,
                     bool numbers_only = false);

 private:
  std::mt19937_64 rng_;
};

}  // namespace clustersim::test
