#include "apps/config/yaml_value.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "apps/config/overrides.h"
#include "apps/config/units.h"
#include "sim/check.h"

namespace clustersim::apps {
namespace {

std::string FormatMark(const std::string& source_name, const YAML::Mark& mark) {
  if (mark.is_null()) return source_name;
  return fmt::format("{}:{}:{}", source_name, mark.line + 1, mark.column + 1);
}

// 'text', with control characters escaped and long text shortened.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 60;
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxShown) {
      out += "...";
      break;
    }
    const char c = text[i];
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (const std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// "a number", "a non-negative integer", "a number in [0, 1]", ...
std::string BoundedForm(std::string_view noun, std::string_view article, bool has_min, bool has_max,
                        const std::string& min, const std::string& max, bool min_is_zero,
                        bool min_is_one) {
  if (has_min && has_max) return fmt::format("{} {} in [{}, {}]", article, noun, min, max);
  if (has_min && min_is_zero) return fmt::format("a non-negative {}", noun);
  if (has_min && min_is_one && noun == "integer") return "a positive integer";
  if (has_min) return fmt::format("{} {} >= {}", article, noun, min);
  if (has_max) return fmt::format("{} {} <= {}", article, noun, max);
  return fmt::format("{} {}", article, noun);
}

std::string DoubleForm(double min, double max) {
  return BoundedForm("number", "a", std::isfinite(min), std::isfinite(max), fmt::format("{}", min),
                     fmt::format("{}", max), min == 0, min == 1);
}

std::string IntForm(int64_t min, int64_t max) {
  return BoundedForm("integer", "an", min != std::numeric_limits<int64_t>::min(),
                     max != std::numeric_limits<int64_t>::max(), fmt::format("{}", min),
                     fmt::format("{}", max), min == 0, min == 1);
}

// Length of the well-formed UTF-8 sequence starting at text[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 if it is not one.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// Scenario text ends up in JSON outputs, which must be UTF-8: reject invalid bytes up front,
// pointing at the first one ("x.yaml:3:9: invalid UTF-8 (byte 0xff) ...").
sim::Status CheckUtf8(std::string_view text, const std::string& name) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      return sim::Status::Error(
          fmt::format("{}:{}:{}: invalid UTF-8 (byte 0x{:02x}); scenario files must be UTF-8", name,
                      line, column, static_cast<unsigned char>(text[i])));
    }
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
  return sim::Status::Ok();
}

// Where each document of a stream starts: the position of its first node (an empty document
// has a null node too). The nodes themselves are not needed.
class DocumentStarts : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override { ++documents_; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnMapEnd() override {}

  std::vector<YAML::Mark> marks;  // one per document

 private:
  void Node(const YAML::Mark& mark) {
    if (marks.size() < documents_) marks.push_back(mark);
  }
  size_t documents_ = 0;
};

// A scenario is one document. yaml-cpp's LoadAll would say how many there are, but on a token
// no node can start with at the top level (a lone ',') its parser returns an empty document
// without consuming anything, so LoadAll loops for ever, a new document each time (yaml-cpp 0.7;
// a fuzz finding). So the documents are counted here, stopping at the second one or at one
// whose first node is where the previous one's was. Throws what yaml-cpp throws.
sim::Status CheckOneDocument(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  while (starts.marks.size() < 2 && parser.HandleNextDocument(starts)) {
  }
  if (starts.marks.size() < 2) return sim::Status::Ok();
  const YAML::Mark& second = starts.marks[1];
  if (second.pos == starts.marks[0].pos) {
    const size_t pos = static_cast<size_t>(std::max(second.pos, 0));
    const std::string token = pos < text.size() ? text.substr(pos, 1) : std::string();
    return sim::Status::Error(
        fmt::format("{}: invalid YAML: unexpected '{}'", FormatMark(name, second), token));
  }
  return sim::Status::Error(fmt::format("{}: expected one YAML document, found a second one here",
                                        FormatMark(name, second)));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// YamlValue

YamlValue::YamlValue(YAML::Node node, std::string source)
    : node_(std::move(node)),
      source_(std::make_shared<internal::YamlSource>(internal::YamlSource{std::move(source), {}})),
      mark_(node_.Mark()) {}

YamlValue YamlValue::MakeChild(std::string child_path, const YAML::Node& key_node,
                               const YAML::Node& value_node) const {
  YamlValue child;
  child.node_ = value_node;
  child.source_ = source_;
  child.path_ = std::move(child_path);
  // For everything but scalars the key is the better place to point at: a block collection's
  // own position is its first entry, and an empty value's is wherever the next token starts.
  const bool point_at_key = !value_node.IsScalar();
  child.mark_ = point_at_key && !key_node.Mark().is_null() ? key_node.Mark() : value_node.Mark();
  // A collection copied by --set out of an alias has no position of its own: use the parent's.
  if (child.mark_.is_null()) child.mark_ = mark_;
  child.override_label_ = override_label_;
  for (auto it = source_->overrides.rbegin(); it != source_->overrides.rend(); ++it) {
    if (it->first == child.path_) {
      child.override_label_ = it->second;
      break;
    }
  }
  return child;
}

YamlValue YamlValue::MakeMissing(std::string child_path, std::string reason) const {
  YamlValue missing;
  missing.source_ = source_;
  missing.path_ = std::move(child_path);
  missing.mark_ = mark_;
  missing.override_label_ = override_label_;
  missing.missing_ = std::move(reason);
  return missing;
}

std::string YamlValue::ChildPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

YamlValue YamlValue::Child(std::string_view key) const {
  std::string child_path = ChildPath(key);
  if (!IsDefined()) return MakeMissing(std::move(child_path), missing_);
  if (IsMap()) {
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        return MakeChild(std::move(child_path), kv.first, kv.second);
      }
    }
  } else if (!IsNull()) {
    return MakeMissing(
        std::move(child_path),
        Prefix() + fmt::format("expected a mapping with key '{}', got {}", key, Found()));
  }
  return MakeMissing(std::move(child_path),
                     Prefix() + fmt::format("missing required key '{}'", key));
}

YamlValue YamlValue::Index(size_t i) const {
  std::string child_path = fmt::format("{}[{}]", path_, i);
  if (!IsDefined()) return MakeMissing(std::move(child_path), missing_);
  if (!IsSequence() && !IsNull()) {
    return MakeMissing(std::move(child_path), Prefix() + "expected a list, got " + Found());
  }
  if (i >= size()) {
    return MakeMissing(std::move(child_path),
                       Prefix() + fmt::format("index {} out of range (the list has {} element{})",
                                              i, size(), size() == 1 ? "" : "s"));
  }
  return MakeChild(std::move(child_path), YAML::Node(), node_[i]);
}

sim::Result<std::vector<YamlValue>> YamlValue::Elements() const {
  if (!IsDefined()) return sim::Status::Error(missing_);
  std::vector<YamlValue> out;
  if (IsNull()) return out;
  if (!IsSequence()) return Error("a list");
  out.reserve(size());
  for (size_t i = 0; i < size(); ++i) out.push_back(Index(i));
  return out;
}

sim::Result<std::vector<std::pair<std::string, YamlValue>>> YamlValue::Entries() const {
  SIM_ASSIGN_OR_RETURN(YamlMap map, YamlMap::From(*this));
  std::vector<std::pair<std::string, YamlValue>> out;
  out.reserve(map.entries_.size());
  for (YamlMap::Entry& e : map.entries_) out.emplace_back(std::move(e.key), std::move(e.value));
  return out;
}

sim::Result<YamlMap> YamlValue::AsMap() const { return YamlMap::From(*this); }

bool YamlValue::IsNull() const { return IsDefined() && node_.IsNull(); }
bool YamlValue::IsScalar() const { return IsDefined() && node_.IsScalar(); }
bool YamlValue::IsMap() const { return IsDefined() && node_.IsMap(); }
bool YamlValue::IsSequence() const { return IsDefined() && node_.IsSequence(); }

size_t YamlValue::size() const { return IsMap() || IsSequence() ? node_.size() : 0; }

sim::Result<std::string> YamlValue::ScalarText(std::string_view expected) const {
  if (!IsDefined()) return sim::Status::Error(missing_);
  if (!IsScalar()) return Error(expected);
  return node_.Scalar();
}

sim::Result<double> YamlValue::AsDouble(double min, double max) const {
  const std::string form = DoubleForm(min, max);
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(form));
  const sim::Result<double> v = ParseNumber(text);
  if (!v.ok() || *v < min || *v > max) return Error(form);
  return *v;
}

sim::Result<int64_t> YamlValue::AsInt(int64_t min, int64_t max) const {
  const std::string form = IntForm(min, max);
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(form));
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  // A whole number past int64's range gets the bound in the message: "a non-negative integer"
  // alone would not tell why 9223372036854775808 is refused.
  const auto beyond_int64 = [&](bool negative) {
    if (negative && min == std::numeric_limits<int64_t>::min()) {
      return Error(fmt::format("{} (at least {})", form, min));
    }
    if (!negative && max == std::numeric_limits<int64_t>::max()) {
      return Error(fmt::format("{} (at most {})", form, max));
    }
    return Error(form);  // the form already states the bound that was passed
  };
  if (ec == std::errc::result_out_of_range && ptr == digits.data() + digits.size()) {
    return beyond_int64(digits.front() == '-');
  }
  if (digits.empty() || digits.front() == '+' || ec != std::errc() ||
      ptr != digits.data() + digits.size()) {
    // Integral values in other spellings: "1e6", "2.0".
    const sim::Result<double> d = ParseNumber(text);
    if (!d.ok() || *d != std::floor(*d)) return Error(form);
    if (!(std::abs(*d) < 9.2e18)) return beyond_int64(*d < 0);
    value = static_cast<int64_t>(*d);
  }
  if (value < min || value > max) return Error(form);
  return value;
}

sim::Result<bool> YamlValue::AsBool() const {
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText("true or false"));
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return Error("true or false");
}

sim::Result<std::string> YamlValue::AsString() const { return ScalarText("a string"); }

sim::Result<double> YamlValue::AsSizeMiB(double max) const {
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(kSizeForm));
  sim::Result<double> v = ParseSizeMiB(text, max);
  if (!v.ok()) return Fail(v.error());
  return v;
}

sim::Result<sim::Time> YamlValue::AsDuration() const {
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(kDurationForm));
  sim::Result<sim::Time> v = ParseDuration(text);
  if (!v.ok()) return Fail(v.error());
  return v;
}

sim::Result<double> YamlValue::AsRate() const {
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(kRateForm));
  sim::Result<double> v = ParseRatePerSecond(text);
  if (!v.ok()) return Fail(v.error());
  return v;
}

sim::Result<double> YamlValue::AsBandwidth(double max) const {
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(kBandwidthForm));
  sim::Result<double> v = ParseBandwidthMiBps(text, max);
  if (!v.ok()) return Fail(v.error());
  return v;
}

sim::Result<size_t> YamlValue::MatchEnum(std::span<const std::string_view> names) const {
  const std::string form = "one of " + Join(names);
  SIM_ASSIGN_OR_RETURN(const std::string text, ScalarText(form));
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return i;
  }
  const std::optional<std::string> hint = ClosestMatch(text, names);
  if (!hint) return Error(form);
  return Fail(fmt::format("expected {}, got {} (did you mean '{}'?)", form, Found(), *hint));
}

sim::Result<std::string> YamlValue::AsEnum(std::initializer_list<std::string_view> allowed) const {
  const std::span<const std::string_view> names(allowed.begin(), allowed.size());
  SIM_ASSIGN_OR_RETURN(const size_t i, MatchEnum(names));
  return std::string(names[i]);
}

std::string YamlValue::Location() const {
  if (!override_label_.empty()) return override_label_;
  return FormatMark(source_->name, mark_);
}

std::string YamlValue::Prefix() const {
  if (path_.empty()) return Location() + ": ";
  return fmt::format("{}: {}: ", Location(), path_);
}

std::string YamlValue::Found() const {
  if (!IsDefined()) return "nothing";
  if (IsScalar()) return Quote(node_.Scalar());
  if (IsMap()) return size() == 0 ? "an empty mapping" : "a mapping";
  if (IsSequence()) return size() == 0 ? "an empty list" : "a list";
  return "an empty value";
}

sim::Status YamlValue::Error(std::string_view expected) const {
  if (!IsDefined()) return sim::Status::Error(missing_);
  return sim::Status::Error(fmt::format("{}expected {}, got {}", Prefix(), expected, Found()));
}

sim::Status YamlValue::Fail(std::string_view message) const {
  if (!IsDefined()) return sim::Status::Error(missing_);
  return sim::Status::Error(Prefix() + std::string(message));
}

// ---------------------------------------------------------------------------------------------
// YamlMap

sim::Result<YamlMap> YamlMap::From(const YamlValue& value) {
  if (!value.IsDefined()) return sim::Status::Error(value.missing_);
  YamlMap map;
  map.value_ = value;
  if (value.IsNull()) return map;  // "key:" with nothing under it is an empty mapping
  if (!value.IsMap()) return value.Error("a mapping");
  map.entries_.reserve(value.node_.size());
  std::unordered_map<std::string, size_t> seen;
  // Range-for, not it->first: yaml-cpp's operator-> returns a temporary proxy.
  for (const auto& kv : value.node_) {
    const YAML::Node& key_node = kv.first;
    if (!key_node.IsScalar()) {
      YamlValue key_value = value;
      key_value.node_ = key_node;
      key_value.mark_ = key_node.Mark();
      return key_value.Error("a plain key");
    }
    const std::string& key = key_node.Scalar();
    Entry entry{key, value.MakeChild(value.ChildPath(key), key_node, kv.second), "", false};
    entry.key_location = entry.value.from_override()
                             ? entry.value.override_label_
                             : FormatMark(value.source_->name, key_node.Mark());
    const auto [previous, inserted] = seen.emplace(key, map.entries_.size());
    if (!inserted) {
      return sim::Status::Error(fmt::format(
          "{}: {}{}duplicate key '{}' (first given at {})", entry.key_location, value.path_,
          value.path_.empty() ? "" : ": ", key, map.entries_[previous->second].key_location));
    }
    map.entries_.push_back(std::move(entry));
  }
  return map;
}

YamlMap::Entry* YamlMap::Find(std::string_view key) {
  for (Entry& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

void YamlMap::Remember(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
}

std::optional<YamlValue> YamlMap::Optional(std::string_view key) {
  Remember(key);
  Entry* e = Find(key);
  if (e == nullptr) return std::nullopt;
  e->read = true;
  return e->value;
}

sim::Result<YamlValue> YamlMap::Required(std::string_view key) {
  Remember(key);
  Entry* e = Find(key);
  if (e == nullptr) {
    // A present key that nobody asked for and that looks like this one is probably a typo.
    std::vector<std::string> unread;
    for (const Entry& other : entries_) {
      if (!other.read) unread.push_back(other.key);
    }
    if (std::optional<std::string> typo = ClosestMatch(key, unread)) {
      return value_.Fail(fmt::format("missing required key '{}' (is '{}' a typo?)", key, *typo));
    }
    return value_.Fail(fmt::format("missing required key '{}'", key));
  }
  e->read = true;
  return e->value;
}

bool YamlMap::Has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return e.key == key; });
}

namespace {
constexpr std::string_view kUnknownKey = "unknown key '";
}  // namespace

sim::Status YamlMap::Finish() const {
  for (const Entry& e : entries_) {
    if (e.read) continue;
    std::vector<std::string> valid = known_;
    std::sort(valid.begin(), valid.end());
    const std::string& path = value_.path();
    std::string hint;
    const auto under = std::find_if(nested_.begin(), nested_.end(), [&](const auto& n) {
      return std::find(n.second.begin(), n.second.end(), e.key) != n.second.end();
    });
    if (under != nested_.end()) {
      hint = fmt::format("it belongs under '{}': {}{}{}.{}", under->first, path,
                         path.empty() ? "" : ".", under->first, e.key);
    } else if (valid.empty()) {
      hint = "no keys are read here";
    } else {
      std::string list;
      for (const std::string& k : valid) list += (list.empty() ? "" : ", ") + k;
      const std::optional<std::string> nearest = ClosestMatch(e.key, valid);
      hint = nearest ? fmt::format("did you mean '{}'? valid keys: {}", *nearest, list)
                     : fmt::format("valid keys: {}", list);
    }
    return sim::Status::Error(fmt::format("{}: {}{}{}{}' ({})", e.key_location, path,
                                          path.empty() ? "" : ": ", kUnknownKey, e.key, hint));
  }
  return sim::Status::Ok();
}

std::optional<std::string> YamlMap::UnknownKeyPath(std::string_view message) {
  const size_t at = message.find(kUnknownKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view parent;
  if (at != 0) {
    if (at < 2 || message.substr(at - 2, 2) != ": ") return std::nullopt;
    parent = message.substr(0, at - 2);
  }
  const std::string_view rest = message.substr(at + kUnknownKey.size());
  const size_t end = rest.find("' (");
  if (end == std::string_view::npos || end == 0) return std::nullopt;
  const std::string_view key = rest.substr(0, end);
  return parent.empty() ? std::string(key) : fmt::format("{}.{}", parent, key);
}

// ---------------------------------------------------------------------------------------------
// YamlDocument and loading

YamlValue YamlDocument::Root() const {
  YamlValue root;
  root.node_ = root_;
  root.source_ = source_;
  root.mark_ = root_.Mark();
  return root;
}

void YamlDocument::RecordOverride(const std::string& path, std::string_view assignment) {
  RecordCreated(path, assignment);
  assignments_.emplace_back(assignment);
}

void YamlDocument::RecordCreated(const std::string& path, std::string_view assignment) {
  auto& overrides = source_->overrides;
  // A new value at `path` replaces whatever earlier overrides put below it.
  std::erase_if(overrides, [&](const std::pair<std::string, std::string>& o) {
    const std::string& p = o.first;
    return p == path || (p.size() > path.size() && p.compare(0, path.size(), path) == 0 &&
                         (p[path.size()] == '.' || p[path.size()] == '['));
  });
  overrides.emplace_back(path, fmt::format("--set {}", assignment));
}

YamlDocument YamlDocument::Clone() const {
  sim::Result<YamlDocument> copy = LoadYamlString(text_, source_->name);
  SIM_CHECK_MSG(copy.ok(), "re-parsing a document that parsed before failed");
  for (const std::string& assignment : assignments_) {
    const sim::Status s = ApplyOverride(*copy, assignment);
    SIM_CHECK_MSG(s.ok(), "re-applying an override that applied before failed");
  }
  return std::move(copy).value();
}

sim::Result<YamlDocument> LoadYamlString(std::string_view text, std::string_view source_name) {
  const std::string name(source_name);
  SIM_RETURN_IF_ERROR(CheckUtf8(text, name));
  const std::string owned(text);
  YAML::Node root;
  try {
    SIM_RETURN_IF_ERROR(CheckOneDocument(owned, name));
    root = YAML::Load(owned);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp reports its nesting limit as "bad file"; say what it is.
    return sim::Status::Error(fmt::format(
        "{}: invalid YAML: collections nested more than {} deep (yaml-cpp's limit; a scenario "
        "needs fewer than 10)",
        FormatMark(name, e.mark), e.depth() - 1));
  } catch (const YAML::ParserException& e) {
    return sim::Status::Error(fmt::format("{}: invalid YAML: {}", FormatMark(name, e.mark), e.msg));
  } catch (const YAML::Exception& e) {
    return sim::Status::Error(fmt::format("{}: invalid YAML: {}", name, e.msg));
  }
  YamlDocument doc;
  // An empty text has no document: its root is an empty value, as "~" would be.
  doc.root_ = root.IsNull() && root.Mark().is_null() ? YAML::Node(YAML::NodeType::Null) : root;
  doc.text_ = std::string(text);
  doc.source_ = std::make_shared<internal::YamlSource>(internal::YamlSource{name, {}});
  return doc;
}

sim::Result<YamlDocument> LoadYamlFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return sim::Status::Error(fmt::format("{}: cannot read: is a directory", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return sim::Status::Error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return sim::Status::Error(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  }
  return LoadYamlString(buffer.str(), path);
}

// ---------------------------------------------------------------------------------------------
// Suggestions

size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::optional<std::string> ClosestMatch(std::string_view name,
                                        std::span<const std::string_view> candidates) {
  std::optional<std::string> best;
  size_t best_distance = 0;
  for (const std::string_view candidate : candidates) {
    const size_t d = EditDistance(name, candidate);
    if (d > 2 || 3 * d > candidate.size()) continue;
    if (!best || d < best_distance) {
      best = std::string(candidate);
      best_distance = d;
    }
  }
  return best;
}

std::optional<std::string> ClosestMatch(std::string_view name,
                                        std::span<const std::string> candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return ClosestMatch(name, views);
}

}  // namespace clustersim::apps
