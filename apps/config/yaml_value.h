#pragma once

// A typed, error-reporting view over yaml-cpp nodes for reading scenario files.
//
// Every YamlValue remembers where it came from (file and position, or the --set flag that put it
// there) and its key path from the document root, so that every error reads
//   x.yaml:12:5: frameworks[1].workload.rate: expected a rate like 2/s or 10/min, got 'fast'
//   --set frameworks[1].workload.rate=fast: frameworks[1].workload.rate: expected a rate ...
// that is LOCATION: PATH: WHAT WAS EXPECTED, got WHAT WAS FOUND, with a 1-based line:column and
// the path left out at the root. Nothing here throws: yaml-cpp exceptions become sim::Status.
//
// Typical use, in a factory that validates its own parameters:
//
//   SIM_ASSIGN_OR_RETURN(YamlMap m, value.AsMap());
//   SIM_ASSIGN_OR_RETURN(YamlValue count_v, m.Required("count"));
//   SIM_ASSIGN_OR_RETURN(int64_t count, count_v.AsInt(/*min=*/0));
//   double rate = 1.0;
//   if (std::optional<YamlValue> r = m.Optional("rate")) {
//     SIM_ASSIGN_OR_RETURN(rate, r->AsRate());
//   }
//   SIM_RETURN_IF_ERROR(m.Finish());  // rejects keys nobody asked for, with a suggestion

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/status.h"
#include "sim/time.h"

namespace clustersim::apps {

class YamlMap;
class YamlDocument;

namespace internal {
// Shared by a document and every YamlValue taken from it.
struct YamlSource {
  std::string name;  // the file name, or the name given to LoadYamlString
  // Key paths replaced by --set, each with its label ("--set a.b=3"), in the order applied.
  std::vector<std::pair<std::string, std::string>> overrides;
};
}  // namespace internal

// A node of a loaded document plus its provenance. Cheap to copy (yaml-cpp nodes are handles).
// A value may be "missing" (IsDefined() false): navigating to an absent key, an index out of
// range or into a scalar gives such a value rather than failing at once, and every As*() on it
// returns the reason, e.g. "x.yaml:3:1: master: missing required key 'allocation_interval'".
class YamlValue {
 public:
  static constexpr double kNoMax = std::numeric_limits<double>::infinity();

  // A standalone value not taken from a YamlDocument (handy in tests); `source` names it.
  YamlValue(YAML::Node node, std::string source);

  // --- Navigation -------------------------------------------------------------------------------
  // The value under `key` of a mapping. Never fails; see "missing" above.
  YamlValue Child(std::string_view key) const;
  // Element i of a sequence. Never fails; see "missing" above.
  YamlValue Index(size_t i) const;
  // The elements of a sequence, in order. Error unless a sequence.
  sim::Result<std::vector<YamlValue>> Elements() const;
  // The entries of a mapping, in source order. Error unless a mapping whose keys are unique
  // scalars. For maps whose keys are data (e.g. resource names), not a fixed schema.
  sim::Result<std::vector<std::pair<std::string, YamlValue>>> Entries() const;
  // A strict reader over a mapping (see YamlMap). Error unless a mapping with unique scalar keys.
  sim::Result<YamlMap> AsMap() const;

  bool IsDefined() const { return missing_.empty(); }
  bool IsNull() const;  // present but empty: "key:" or "key: ~"
  bool IsScalar() const;
  bool IsMap() const;
  bool IsSequence() const;
  // Number of elements of a sequence or entries of a mapping; 0 otherwise.
  size_t size() const;

  // --- Typed reads ------------------------------------------------------------------------------
  // Bounds are inclusive; a value outside them is an error that states the bound ("expected a
  // non-negative integer, got '-3'"). NaN and infinities are always rejected.
  sim::Result<double> AsDouble(double min = -std::numeric_limits<double>::infinity(),
                               double max = std::numeric_limits<double>::infinity()) const;
  // Accepts integral numbers written as "42", "1e6" or "2.0"; rejects "2.5".
  sim::Result<int64_t> AsInt(int64_t min = std::numeric_limits<int64_t>::min(),
                             int64_t max = std::numeric_limits<int64_t>::max()) const;
  // true/false only (also True/TRUE/False/FALSE), not YAML 1.1's yes/no/on/off.
  sim::Result<bool> AsBool() const;
  // Any scalar, verbatim. Mappings, lists and empty values are errors.
  sim::Result<std::string> AsString() const;
  // The unit parsers of units.h, with this value's location and path on errors.
  // `max`, if given, is in MiB (MiB/s): a larger value is an error stating it.
  sim::Result<double> AsSizeMiB(double max = kNoMax) const;    // "512MiB" -> 512
  sim::Result<sim::Time> AsDuration() const;                   // "250ms"; "inf" -> sim::Time::Max()
  sim::Result<double> AsRate() const;                          // per second: "10/min" -> 0.1666...
  sim::Result<double> AsBandwidth(double max = kNoMax) const;  // MiB/s: "1GiB/s" -> 1024
  // One of `allowed` (case-sensitive). The error lists them in the order given and suggests the
  // nearest: "expected one of fifo, drf, got 'dfr' (did you mean 'drf'?)".
  sim::Result<std::string> AsEnum(std::initializer_list<std::string_view> allowed) const;
  // Same, mapping each name to a value: AsEnum<Os>({{"linux", Os::kLinux}, ...}).
  template <typename E>
  sim::Result<E> AsEnum(std::initializer_list<std::pair<std::string_view, E>> allowed) const;

  // --- Errors -----------------------------------------------------------------------------------
  // "<location>: <path>: expected <expected>, got <Found()>". On a missing value, the reason it
  // is missing instead.
  sim::Status Error(std::string_view expected) const;
  // "<location>: <path>: <message>", for checks that are not about the form (e.g. "p99 must be at
  // least the median"). On a missing value, the reason it is missing instead.
  sim::Status Fail(std::string_view message) const;
  // "scenarios/x.yaml:12:5", or "--set a.b=3" for values that came from an override.
  std::string Location() const;
  // How the value looks in messages: 'text' (quoted, shortened), "a mapping", "a list" (or
  // "an empty mapping", "an empty list"), "an empty value" or "nothing" (missing).
  std::string Found() const;
  // Key path from the document root, e.g. "frameworks[1].workload.rate"; "" at the root.
  const std::string& path() const { return path_; }
  // True if this value (or an ancestor) was set by ApplyOverride.
  bool from_override() const { return !override_label_.empty(); }
  // The underlying node, for what this class does not cover. Undefined if !IsDefined().
  const YAML::Node& node() const { return node_; }

 private:
  friend class YamlMap;
  friend class YamlDocument;
  YamlValue() = default;

  // The value `value_node` (under `key_node`, or an element if that is undefined) of this
  // collection, with provenance.
  YamlValue MakeChild(std::string child_path, const YAML::Node& key_node,
                      const YAML::Node& value_node) const;
  std::string ChildPath(std::string_view key) const;
  // A missing value below this one, explained by `reason` (already a full message).
  YamlValue MakeMissing(std::string child_path, std::string reason) const;
  std::string Prefix() const;  // "<location>: <path>: " or "<location>: "
  sim::Result<std::string> ScalarText(std::string_view expected) const;
  sim::Result<size_t> MatchEnum(std::span<const std::string_view> names) const;

  YAML::Node node_;
  std::shared_ptr<const internal::YamlSource> source_;
  std::string path_;
  YAML::Mark mark_;             // where errors about this value point (0-based)
  std::string override_label_;  // "--set ..." if it came from an override
  std::string missing_;         // non-empty: the value does not exist, and this says why
};

// Strict reader of a mapping with a fixed schema: read keys with Optional/Required, then
// Finish() rejects every key that was never asked for, naming the closest known key:
//   x.yaml:7:5: frameworks[1].workload: unknown key 'rat' (did you mean 'rate'? valid keys:
//   count, os, rate)
// Keys are examined in source order, so the first unknown key in the file is the one reported.
class YamlMap {
 public:
  // Error unless `value` is a mapping ("expected a mapping") with unique scalar keys.
  static sim::Result<YamlMap> From(const YamlValue& value);

  // The value under `key` if present (possibly an empty value), and marks `key` as known.
  std::optional<YamlValue> Optional(std::string_view key);
  // The value under `key`; error "missing required key 'key'" if absent, naming a present
  // unread key that looks like a typo of it ("(is 'meen' a typo?)"). Marks `key` as known.
  sim::Result<YamlValue> Required(std::string_view key);
  // Whether `key` is present; does not mark it as known.
  bool Has(std::string_view key) const;
  // Checks that every key in the mapping was read by Optional or Required.
  sim::Status Finish() const;
  // The key path Finish's error names, "frameworks[1].workload.rat" for
  // "frameworks[1].workload: unknown key 'rat' (...)", given the message without its location;
  // nullopt for any other message. Lets a sweep say a typo is in its axis's path, not its value.
  static std::optional<std::string> UnknownKeyPath(std::string_view message);
  // For Finish: an unknown key that is one of `keys` is said to belong under `child` (a workload
  // key written beside `workload:` instead of inside it).
  void KeysBelongUnder(std::string child, std::vector<std::string> keys) {
    nested_.emplace_back(std::move(child), std::move(keys));
  }

  const YamlValue& value() const { return value_; }
  // The keys asked for so far (Optional, Required), in first-asked order.
  const std::vector<std::string>& known() const { return known_; }

 private:
  friend class YamlValue;
  struct Entry {
    std::string key;
    YamlValue value;
    std::string key_location;  // where "unknown key" points: the key itself
    bool read = false;
  };
  YamlMap() = default;
  Entry* Find(std::string_view key);
  void Remember(std::string_view key);

  YamlValue value_;
  std::vector<Entry> entries_;      // source order
  std::vector<std::string> known_;  // keys asked for, in first-asked order
  std::vector<std::pair<std::string, std::vector<std::string>>> nested_;  // KeysBelongUnder
};

// A parsed YAML document plus its source text and the --set overrides applied to it.
// Move-only, because yaml-cpp nodes share their data: copying would alias, so use Clone().
class YamlDocument {
 public:
  YamlDocument(YamlDocument&&) = default;
  YamlDocument& operator=(YamlDocument&&) = default;
  YamlDocument(const YamlDocument&) = delete;
  YamlDocument& operator=(const YamlDocument&) = delete;

  // The root value (path ""). Values stay valid after the document is moved or destroyed.
  YamlValue Root() const;
  const std::string& source_name() const { return source_->name; }
  const std::string& text() const { return text_; }
  // The --set assignments applied so far, in order.
  const std::vector<std::string>& applied_overrides() const { return assignments_; }
  // An independent deep copy, with source positions intact (yaml-cpp's YAML::Clone drops them):
  // re-parses text() and re-applies applied_overrides(). O(document size).
  YamlDocument Clone() const;

  // For ApplyOverride (overrides.h): the mutable tree, and recording that `path` (canonical,
  // as FormatKeyPath prints it) now holds a value from `assignment` ("a.b=3", without "--set ").
  // Recording a path forgets earlier overrides below it.
  YAML::Node& mutable_root() { return root_; }
  void RecordOverride(const std::string& path, std::string_view assignment);
  // That `assignment` created the block at `path` on its way to a deeper key (`runtime` for
  // runtime.docker.start_latency=1s on a document without `runtime:`): the block and what it
  // holds are located at the assignment in messages. Call before RecordOverride(its path).
  void RecordCreated(const std::string& path, std::string_view assignment);

 private:
  friend sim::Result<YamlDocument> LoadYamlString(std::string_view text,
                                                  std::string_view source_name);
  YamlDocument() = default;

  YAML::Node root_;
  std::string text_;
  std::shared_ptr<internal::YamlSource> source_;
  std::vector<std::string> assignments_;
};

// Parses `text` as a single YAML document; `source_name` (usually a file name) prefixes every
// error. Syntax errors read "x.yaml:3:7: invalid YAML: end of sequence flow not found". An empty
// text gives a document whose root is an empty value.
sim::Result<YamlDocument> LoadYamlString(std::string_view text, std::string_view source_name);
// Reads and parses a file; errors name the path ("x.yaml: cannot read: No such file or
// directory").
sim::Result<YamlDocument> LoadYamlFile(const std::string& path);

// Optimal string alignment distance: Levenshtein plus adjacent transpositions ("cpu" -> "cpus"
// is 1, "cpsu" -> "cpus" is 1). O(|a| x |b|).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `name` by edit distance (adjacent transpositions count as one edit),
// if close enough to be a plausible typo: at most 2 edits and at most a third of the candidate's
// length ("rat" -> "rate", "dfr" -> "drf", but not "median" -> "mean"). Ties go to the earliest
// candidate. For "did you mean" hints in registries too.
std::optional<std::string> ClosestMatch(std::string_view name,
                                        std::span<const std::string> candidates);
std::optional<std::string> ClosestMatch(std::string_view name,
                                        std::span<const std::string_view> candidates);

// --- Implementation details ----------------------------------------------------------------------

template <typename E>
sim::Result<E> YamlValue::AsEnum(
    std::initializer_list<std::pair<std::string_view, E>> allowed) const {
  std::vector<std::string_view> names;
  names.reserve(allowed.size());
  for (const auto& [name, value] : allowed) names.push_back(name);
  SIM_ASSIGN_OR_RETURN(const size_t i, MatchEnum(names));
  return (allowed.begin() + i)->second;
}

}  // namespace clustersim::apps
