// results/README.md shows a whole summary.json, from `clustersim run scenarios/drf-paper.yaml`.
// It drifted once (fields added since were missing, offer counts from before DRF's tie-break): this
// test reruns that scenario and holds the example to it, key for key and value for value, except
// the wall-clock `run` object, whose keys only must match.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cli_runner.h"

namespace clustersim::test {
namespace {

using json = nlohmann::ordered_json;  // the example shows the file's key order

constexpr std::string_view kExampleIntro =
    "Example, from `build/clustersim run scenarios/drf-paper.yaml`";
constexpr std::string_view kShortened = ", …,";  // the doc keeps a cdf's first and last two

// The example's JSON text, with its shortened lists made whole JSON ([a, b, c, d]).
std::string ExampleFromReadme() {
  std::istringstream readme(ReadFile(SourcePath("results/README.md")));
  std::string line, text;
  bool after_intro = false, in_block = false;
  while (std::getline(readme, line)) {
    if (line.starts_with(kExampleIntro)) after_intro = true;
    if (after_intro && !in_block && line == "```json") {
      in_block = true;
    } else if (in_block && line == "```") {
      break;
    } else if (in_block) {
      for (size_t at; (at = line.find(kShortened)) != std::string::npos;)
        line.replace(at, kShortened.size(), ",");
      text += line + "\n";
    }
  }
  return text;
}

// A cdf list of the run (101 numbers) as the example shortens it.
json Shortened(const json& list) {
  if (list.size() < 4) return list;
  const size_t n = list.size();
  return json::array({list[0], list[1], list[n - 2], list[n - 1]});
}

void ExpectSame(const json& example, const json& actual, const std::string& path) {
  if (actual.is_object()) {
    ASSERT_TRUE(example.is_object()) << path << " is an object in the run";
    std::vector<std::string> example_keys, actual_keys;
    for (const auto& [key, value] : example.items()) example_keys.push_back(key);
    for (const auto& [key, value] : actual.items()) actual_keys.push_back(key);
    EXPECT_EQ(example_keys, actual_keys)
        << "the keys of " << (path.empty() ? "the top level" : path);
    if (path == ".run") return;  // wall clock and CPU time: differ from run to run
    for (const auto& [key, value] : actual.items()) {
      if (example.contains(key)) ExpectSame(example[key], value, path + "." + key);
    }
  } else if (actual.is_array()) {
    ASSERT_TRUE(example.is_array()) << path << " is a list in the run";
    const bool cdf = path.starts_with(".cdf.");
    const json expected = cdf ? Shortened(actual) : actual;
    ASSERT_EQ(example.size(), expected.size()) << path;
    for (size_t i = 0; i < expected.size(); ++i)
      ExpectSame(example[i], expected[i], path + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(example, actual) << path;
  }
}

TEST(ResultsReadmeExample, IsTheSummaryOfTheDrfPaperRun) {
  const std::string example_text = ExampleFromReadme();
  ASSERT_FALSE(example_text.empty()) << "results/README.md has no example after its intro line";
  const json example = json::parse(example_text);

  const std::string out = TempDir("readme-example");
  const CliResult r = RunCli({"run", SourcePath("scenarios/drf-paper.yaml"), "--out", out, "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json actual = json::parse(ReadFile(out + "/summary.json"));
  ExpectSame(example, actual, "");
  EXPECT_TRUE(example.contains("run"));
}

}  // namespace
}  // namespace clustersim::test
