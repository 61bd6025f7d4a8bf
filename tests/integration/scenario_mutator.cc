#include "scenario_mutator.h"

#include <yaml-cpp/yaml.h>

#include <string_view>

namespace clustersim::test {
namespace {

// Values users get wrong: signs, zeros, overflows, non-numbers, units on the wrong key, names of
// other things, empties.
const std::vector<std::string> kWeirdValues = {
    "-1",      "0",        "1e308",      "-0.0",   "nan",       "inf",     "99999999999999999999",
    "",        "~",        "abc",        "true",   "0x10",      "1ms",     "0s",
    "1e9s",    "512MiB",   "-5GiB",      "1EiB",   "1/0s",      "1e9/s",   "linux",
    "windows", "ltsc2019", "hyperv",     "drf",    "first-fit", "eng/web", "/",
    "a/../b",  "3.5",      "2147483648", "1e-300", "[1, 2]",    "{a: 1}"};

struct Place {
  YAML::Node parent;  // a map or a sequence
  YAML::Node key;     // map key (a scalar) or, for a sequence, the index as a scalar
  YAML::Node node;
};

void Collect(const YAML::Node& node, std::vector<Place>& places, int depth) {
  if (depth > 32) return;
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      places.push_back({node, it->first, it->second});
      Collect(it->second, places, depth + 1);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      places.push_back({node, YAML::Node(std::to_string(i)), node[i]});
      Collect(node[i], places, depth + 1);
    }
  }
}

std::string PathOf(const Place& p) { return p.key.as<std::string>("?"); }

// One scalar parsed as YAML, so that "[1, 2]" becomes a list and "~" a null.
YAML::Node ParseValue(const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception&) {
    return YAML::Node(text);
  }
}

}  // namespace

std::string ScenarioMutator::Mutate(const std::string& yaml, int mutations,
                                    std::vector<std::string>& log, bool numbers_only) {
  YAML::Node root = YAML::Load(yaml);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); };
  for (int m = 0; m < mutations; ++m) {
    std::vector<Place> places;
    Collect(root, places, 0);
    if (places.empty()) break;
    Place& p = places[pick(places.size())];
    const std::string key = PathOf(p);
    switch (numbers_only ? 1 : pick(7)) {
      case 0:
      case 6: {  // a weird value in place of this one
        const std::string& value = kWeirdValues[pick(kWeirdValues.size())];
        p.node = ParseValue(value);
        log.push_back("set '" + key + "' to '" + value + "'");
        break;
      }
      case 1:
      case 2: {  // a number (any in the document) scaled by a factor users get wrong
        std::vector<Place*> numbers;
        double number = 0;
        for (Place& q : places) {
          if (q.node.IsScalar() && YAML::convert<double>::decode(q.node, number)) {
            numbers.push_back(&q);
          }
        }
        if (numbers.empty()) break;
        Place& q = *numbers[pick(numbers.size())];
        YAML::convert<double>::decode(q.node, number);
        const std::vector<double> wild = {0, -1, 1e6, 1e-6, 1e15, 0.5, 2};
        const std::vector<double> mild = {0, 1e-3, 0.1, 0.5, 2, 10, 1e3, -1};
        const std::vector<double>& factors = numbers_only ? mild : wild;
        const double factor = factors[pick(factors.size())];
        q.node = YAML::Node(number * factor);
        log.push_back("scaled '" + PathOf(q) + "' by " + std::to_string(factor));
        break;
      }
      case 3:  // the key or element removed
        if (p.parent.IsMap()) {
          p.parent.remove(p.key);
        } else {
          p.parent.remove(std::stoi(p.key.as<std::string>()));
        }
        log.push_back("removed '" + key + "'");
        break;
      case 4:  // an unknown key beside it, or a copy of the element
        if (p.parent.IsMap()) {
          p.parent[key + "x"] = 1;
          log.push_back("added '" + key + "x'");
        } else {
          p.parent.push_back(YAML::Clone(p.node));
          log.push_back("duplicated element " + key);
        }
        break;
      default:  // a collection where a value belongs, or a value where a collection does
        if (p.node.IsScalar()) {
          p.node = ParseValue(pick(2) ? "[]" : "{}");
        } else {
          p.node = YAML::Node(pick(2) ? "1" : "x");
        }
        log.push_back("changed the kind of '" + key + "'");
        break;
    }
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace clustersim::test
